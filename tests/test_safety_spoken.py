"""A crisis said where the grammar has no room for it is still heard (real Piper, PocketSphinx).

Inside an exercise the recognizer listens for that state's sentences (a rating
from zero to ten, yes or no). The voice loop decodes speech heard there again
in open dictation; a crisis heard only in dictation gets "It sounded like you
might not be safe. Are you okay?", and "I'm okay" carries on where it was.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from audio_fixtures import Render

from voice_coach.audio_io.convert import AudioConverter, concatenate, silence
from voice_coach.audio_io.doubles import RecordingSpeaker, WavMicrophone
from voice_coach.audio_io.gate import HalfDuplexGate
from voice_coach.clock import ManualClock
from voice_coach.dialogue.engine import Coach
from voice_coach.exercises import registry
from voice_coach.journal.store import Journal
from voice_coach.paths import resolve_paths
from voice_coach.recognition import Recognizer
from voice_coach.recognition.grammar import Grammars
from voice_coach.recognition.select import create_recognizer
from voice_coach.settings import Settings
from voice_coach.speech.output import SpeechOutput
from voice_coach.speech.piper_voice import PiperSynthesizer
from voice_coach.understanding import Understanding
from voice_coach.voice_display import VoiceDisplay
from voice_coach.voice_loop import VoiceLoop

WEAK = "It sounded like you might not be safe. Are you okay?"


class Said(VoiceDisplay):
    """Keeps every sentence the coach spoke."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def speaking(self, text: str) -> None:
        self.lines.append(text)


@pytest.fixture(scope="module")
def recognizer() -> Recognizer:
    return create_recognizer(Settings(engine="pocketsphinx"), resolve_paths())


def converse(
    tmp_path: Path, recognizer: Recognizer, synthesizer: PiperSynthesizer, render: Render,
    *parts: str | float,
) -> tuple[Journal, list[str]]:
    """Phrases (str) and pauses (seconds) said to the coach; its journal and its sentences."""
    audio = concatenate([
        AudioConverter(16000, 1).convert(render(p)) if isinstance(p, str) else silence(p, 16000)
        for p in parts
    ])
    settings = Settings(name="Sam", evening_reflection_time="off")
    journal = Journal.open(tmp_path / "journal.sqlite3")
    journal.set_profile("first_run_done", "yes")
    understanding = Understanding.load()
    clock = ManualClock(datetime(2026, 11, 26, 10, 0).astimezone())
    coach = Coach(understanding, journal, settings, clock, registry())
    said = Said()
    VoiceLoop(
        coach, WavMicrophone(audio), SpeechOutput(synthesizer, RecordingSpeaker()),
        recognizer, Grammars(understanding), settings,
        gate=HalfDuplexGate(tail=0.0), display=said,
    ).run()
    return journal, said.lines


def test_a_means_said_instead_of_a_rating_is_asked_about(  # type: ignore[no-untyped-def]
    tmp_path: Path, recognizer, synthesizer, render
) -> None:
    journal, said = converse(
        tmp_path, recognizer, synthesizer, render,
        0.5, "I'm having an urge.", 1.5, "I have a rope.", 2.0,
    )
    # The rating grammar hears "i have a role"; dictation hears the rope.
    assert WEAK in said
    assert not any("number from zero to ten is fine" in line for line in said)
    urge = next(s for s in journal.snapshot().sessions if s.exercise == "urge_help")
    assert urge.answers == ()


def test_okay_after_the_question_carries_on_with_the_rating(  # type: ignore[no-untyped-def]
    tmp_path: Path, recognizer, synthesizer, render
) -> None:
    journal, said = converse(
        tmp_path, recognizer, synthesizer, render,
        0.5, "I'm having an urge.", 1.5, "I have a rope.", 2.0,
        "Yes, I'm okay.", 2.0, "Seven.", 1.5, "Stop please.", 1.5,
    )
    assert WEAK in said
    urge = next(s for s in journal.snapshot().sessions if s.exercise == "urge_help")
    assert {a.key: a.text for a in urge.answers} == {"intensity_before": "7"}


DISTRESS_QUESTION = "are you thinking about ending your life, or hurting yourself?"


def test_hopelessness_said_instead_of_a_rating_gets_the_safety_question(  # type: ignore[no-untyped-def]
    tmp_path: Path, recognizer, synthesizer, render
) -> None:
    """Distress is not a crisis, but it deserves the direct question in every state: the
    rating grammar cannot hold "I feel completely hopeless", dictation can."""
    journal, said = converse(
        tmp_path, recognizer, synthesizer, render,
        0.5, "I'm having an urge.", 1.5, "I feel completely hopeless.", 2.0,
    )
    assert any(DISTRESS_QUESTION in line for line in said), said
    # Not taken for a rating (the rating grammar alone heard a number in it).
    urge = next(s for s in journal.snapshot().sessions if s.exercise == "urge_help")
    assert urge.answers == ()
