"""Speech not addressed to the coach (wake-phrase mode) or said while it speaks (barge-in).

`Coach.overheard` decides what the voice loop does with it, from what the
listening grammar forced it onto and what open dictation heard: the crisis
answer needs both, distress (which no grammar holds) gets the safety question
from dictation alone, a crisis only dictation heard the gentle "are you
okay?", and urge talk or everyday talk nothing at all. Real
engine, understanding and journal; the audio side is in test_voice_loop.py.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from voice_coach.clock import ManualClock
from voice_coach.dialogue.engine import Coach
from voice_coach.exercises import registry
from voice_coach.journal.store import Journal
from voice_coach.messages import Unclear, Utterance
from voice_coach.settings import Settings
from voice_coach.understanding import Understanding

QUESTION = "are you thinking about ending your life, or hurting yourself?"
FORCED_CRISIS = "i want to end it all"
"""A crisis sentence of the grammar: what "I'm having an urge" was once forced onto."""


@pytest.fixture
def journal(tmp_path: Path):  # type: ignore[no-untyped-def]
    with Journal.open(tmp_path / "journal.sqlite3") as opened:
        yield opened


@pytest.fixture
def coach(journal: Journal) -> Coach:
    settings = Settings(name="Sam", evening_reflection_time="off", listening_mode="wake-phrase")
    clock = ManualClock(datetime(2026, 12, 3, 10, 0).astimezone())
    made = Coach(Understanding.load(), journal, settings, clock, registry())
    made.start()
    return made


@pytest.mark.parametrize("forced", ["", FORCED_CRISIS, "i am having an urge"])
@pytest.mark.parametrize(
    "dictated",
    ["i'm having an urge", "i really want a drink", "this craving is killing me",
     "what time is dinner", "i'm so tired after work"],
)
def test_urge_talk_and_everyday_talk_get_nothing(coach: Coach, forced: str, dictated: str) -> None:
    assert coach.overheard(forced, dictated) is None
    assert coach.state == "idle"


@pytest.mark.parametrize(
    "dictated",
    ["i feel completely hopeless", "i'm a burden to everyone", "i can't do this anymore",
     "everything feels so pointless"],
)
def test_distress_heard_in_dictation_gets_the_safety_question(coach: Coach, dictated: str) -> None:
    event = coach.overheard("", dictated)
    assert event == Unclear(dictated)
    asked = coach.handle(event)
    assert QUESTION in asked.text and asked.intent == "distress" and coach.state == "safety"
    assert "nine eight eight" not in asked.text  # a question, never the crisis lines


def test_a_crisis_needs_the_grammar_and_dictation_to_agree(coach: Coach) -> None:
    event = coach.overheard("i want to kill myself", "i want to kill myself")
    assert event == Utterance("i want to kill myself")
    answer = coach.handle(event)
    assert answer.intent == "crisis" and "nine eight eight" in answer.text


def test_a_crisis_only_dictation_heard_is_asked_about_gently(
    coach: Coach, journal: Journal,
) -> None:
    event = coach.overheard("", "i took too many pills")
    assert event == Unclear("i took too many pills")
    asked = coach.handle(event)
    assert asked.text == "It sounded like you might not be safe. Are you okay?"
    assert not [s for s in journal.snapshot().sessions if s.exercise == "crisis_answer"]


def test_the_coachs_own_words_echoed_back_are_not_the_person(coach: Coach) -> None:
    """Barge-in: what echo cancellation leaves of the coach's voice is dictated too."""
    speaking = ("Some people tell themselves I can't do this anymore.", "What do you say?")
    assert coach.overheard("", "i can't do this anymore", speaking) is None
    assert isinstance(coach.overheard("", "i can't do this anymore"), Unclear)


def test_distress_overheard_then_yes_after_pills_is_the_emergency_answer(coach: Coach) -> None:
    event = coach.overheard("", "i swallowed some of my pills and feel strange")
    assert isinstance(event, Unclear)
    assert QUESTION in coach.handle(event).text
    answer = coach.handle(Utterance("yes"))
    assert answer.speech[0].text.startswith("Please call nine one one right now")
