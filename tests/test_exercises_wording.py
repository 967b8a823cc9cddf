"""How the exercises sound: the behaviour's name, numbers as words, TTS-friendly lines."""

from __future__ import annotations

import re

import pytest
from conftest import ExerciseDriver

from voice_coach.exercises import breathing, deads, registry, urges
from voice_coach.exercises.script import Answer
from voice_coach.exercises.wording import (
    as_number,
    as_text,
    as_yes,
    behaviour,
    count,
    join_words,
    spoken_number,
    strip_lead,
)

MINE = {
    "urge_help", "urge_surfing", "deads", "disarm", "breathing", "evening_reflection",
    "check_in", "progress", "relapse",
}


def test_the_behaviour_is_named_the_way_people_say_it() -> None:
    assert [behaviour(f) for f in ("alcohol", "drugs", "smoking", "gambling", "other")] == [
        "drinking", "using", "smoking", "gambling", "using",
    ]
    assert behaviour("Alcohol") == "drinking"
    assert behaviour("something new") == "using"


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (0, "zero"), (7, "seven"), (19, "nineteen"), (20, "twenty"), (45, "forty-five"),
        (100, "one hundred"), (365, "three hundred and sixty-five"),
        (1000, "one thousand"), (1001, "one thousand and one"),
        (2024, "two thousand and twenty-four"), (1500, "one thousand five hundred"),
    ],
)
def test_day_counts_are_spoken_as_words(value: int, words: str) -> None:
    assert spoken_number(value) == words


def test_counts_agree_with_their_number() -> None:
    assert count(1, "urge") == "one urge"
    assert count(3, "urge") == "three urges"
    assert count(0, "day") == "zero days"
    assert count(2, "evening reflection") == "two evening reflections"


def test_lists_are_joined_as_spoken() -> None:
    assert join_words([]) == ""
    assert join_words(["a walk"]) == "a walk"
    assert join_words(["a walk", "tea", "a call"]) == "a walk, tea and a call"


def test_answers_are_narrowed_and_skips_become_none() -> None:
    assert as_number(7) == 7
    assert as_number(True) is None and as_number(None) is None and as_number("7") is None
    assert as_yes(False) is False and as_yes(1) is None and as_yes(None) is None
    assert as_text("  a text from my ex. ") == "a text from my ex"
    assert as_text("") is None and as_text(None) is None and as_text(5) is None


def test_lead_ins_the_person_repeats_are_dropped_once() -> None:
    assert strip_lead("I'm grateful for my dog", ["i'm grateful for"]) == "my dog"
    assert strip_lead("my dog", ["i'm grateful for"]) == "my dog"
    assert strip_lead("I'm grateful for", ["i'm grateful for"]) == "I'm grateful for"


def test_every_exercise_of_mine_is_registered_with_a_title_and_help() -> None:
    found = registry()
    assert set(found) >= MINE
    for name in MINE:
        exercise = found[name]
        assert exercise.title and exercise.help


FREE_ANSWER = "a walk with my dog"
FULL: dict[str, Answer] = {
    **dict.fromkeys(
        ("intensity_before", "intensity_after", "rounds", "calm_after", "mood", "urge_level",
         "sleep", "urge_peak"),
        5,
    ),
    **{f"rating_{minutes}min": 4 for minutes in range(2, 31)},
    **{f"stop_{minutes}min": False for minutes in range(2, 31)},
    **dict.fromkeys(("urges_today", "start_counting", "reset_count", "did_it_help"), True),
    "method": urges.METHOD_CHOICES[0].value,
    "pattern": breathing.PATTERN_CHOICES[0].value,
    **{letter.key: letter.values[0] for letter in deads.DEADS_LETTERS},
}


class FullAnswers(dict[str, Answer]):
    """Every question answered: typed answers by key, free text for the rest."""

    def get(self, key: str, default: Answer = None) -> Answer:  # type: ignore[override]
        return FULL.get(key, FREE_ANSWER)


@pytest.mark.parametrize("name", sorted(MINE))
@pytest.mark.parametrize("answered", [False, True], ids=["skipped", "answered"])
def test_every_line_is_easy_to_speak(driver: ExerciseDriver, name: str, answered: bool) -> None:
    """No digits, brackets, abbreviations or symbols a voice would stumble over."""
    run = driver.drive(
        registry()[name].run, FullAnswers() if answered else {}, urge_surfing_minutes=2
    )
    for line in [s.text for s in run.said] + run.prompts:
        assert not re.search(r"[0-9()\[\]{}<>&/*_#@%]", line), line
        assert not re.search(r"\b(e\.g|etc|i\.e|approx|mins?)\b", line, re.I), line
        assert line.isascii(), line
        assert line.strip() == line and line.endswith((".", "?", "!")), line
        assert "None" not in line, line
