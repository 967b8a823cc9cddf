"""Helper-2 exercises through the real engine: real understanding, real journal.

A conversation is typed line by line, as in `chat --fast`; the tests check what
the person hears and what the journal keeps.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from voice_coach.clock import ManualClock
from voice_coach.dialogue.engine import Coach
from voice_coach.exercises import registry
from voice_coach.exercises.motivation import conclusion_choices
from voice_coach.journal.store import Journal
from voice_coach.messages import Listen, ListenFor, Utterance
from voice_coach.settings import Settings
from voice_coach.understanding import Understanding

START = datetime(2026, 11, 26, 14, 0).astimezone()
"""A fixed afternoon: the evening offer is not due, whatever the hour of the run."""


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal.open(tmp_path / "journal.sqlite3") as opened:
        yield opened


def talk(journal: Journal, lines: list[str]) -> list[str]:
    """Say each line to a fresh coach; returns what the coach said after each one."""
    coach = Coach(Understanding.load(), journal, Settings(name="Sam", focus="alcohol"),
                  ManualClock(START), registry())
    coach.start()
    said = []
    for line in lines:
        reply = coach.handle(Utterance(line))
        said.append(reply.text)
    assert coach.state == "idle", f"still in {coach.state}: {said[-1]}"
    return said


CBA_LINES = ["it helps me relax", "nothing", "a walk by the river", "hangovers", "my job",
             "better sleep", "skip", "friday nights", "no"]


def test_remind_me_why_builds_a_cba_then_reads_it_back_next_time(journal: Journal) -> None:
    said = talk(journal, ["remind me why", "yes", *CBA_LINES, "staying as I am", "skip"])

    assert "cost benefit" in said[0]
    assert "hangovers. And in the long run, your job" in said[-3]  # the read-back
    assert "Thank you for being honest" in said[-2]
    kept = journal.latest_answers("cost_benefit")
    assert kept["conclusion"] == "no_change"
    assert kept["costs_of_using_long_term"] == "my job"
    assert "costs_of_stopping_long_term" in kept and "benefits_of_stopping_long_term" not in kept

    again = talk(journal, ["remind me why", "better sleep"])
    assert "What drinking costs you: hangovers. And in the long run, your job." in again[0]
    assert "What gets better when you stop: better sleep." in again[0]
    assert again[-1] == "Better sleep. Hold on to that today."


def test_balance_pie_to_change_plan_gives_the_evening_reflection_a_goal(
    journal: Journal,
) -> None:
    said = talk(journal, [
        "how balanced is my life", "7", "3", "6", "three", "2", "8", "skip", "5",
        "fun", "yes", "play football on Sundays", "nine", "seven", "I used to love it",
        "call Dan", "Dan", "three weeks running", "hangovers", "skip",
    ])

    assert "Your lowest two are fun and recreation, at two, and friends and social life, " \
        "at three." in said[8]
    assert "change plan for fun and recreation" in said[9]
    assert "Your goal: play football on Sundays." in said[-1]
    assert journal.latest_answers("plan")["goal"] == "play football on Sundays"
    assert journal.latest_answers("balance")["area_health"] == "3"


def test_abc_through_the_engine_keeps_every_answer(journal: Journal) -> None:
    said = talk(journal, [
        "I want to do the ABC tool", "my boss walked past me", "he hates me", "anxious",
        "no", "he was on the phone", "no", "he was just busy",
    ])

    assert "A B C" in said[0] and "camera" in said[0]
    assert "You told yourself that he hates you." in said[3]
    assert "And your new, more helpful belief: he was just busy." in said[-1]
    kept = journal.latest_answers("abc")
    assert kept["dispute_evidence"] == "he was on the phone"
    assert kept["effective_belief"] == "he was just busy"


@pytest.mark.parametrize(("said", "side"), [
    ("changing", "change"),
    ("I think making a change", "change"),
    ("staying as I am", "no_change"),
    ("I'm not ready to change", "no_change"),
    ("not sure yet", "unsure"),
    ("about the same", "unsure"),
])
def test_the_weighing_answer_is_understood(said: str, side: str) -> None:
    options = {c.value: c.phrases for c in conclusion_choices("drinking")}
    assert Understanding.load().match_choice(said, options)[0] == side


def test_the_weighing_question_is_a_choice_with_spoken_options(journal: Journal) -> None:
    coach = Coach(
        Understanding.load(), journal, Settings(name="Sam"), ManualClock(START), registry()
    )
    coach.start()
    reply = coach.handle(Utterance("cost benefit analysis"))
    for line in CBA_LINES:
        reply = coach.handle(Utterance(line))

    assert reply.text.endswith("Changing, staying as you are, or not sure yet?")
    assert isinstance(reply.next, Listen)
    assert reply.next.kind is ListenFor.CHOICE
    assert "staying as I am" in reply.next.phrases
