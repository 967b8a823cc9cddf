"""Wake-phrase mode through a real sound server: urge talk is not a crisis, an overdose is.

`voice-coach run --service` listens on PulseAudio's virtual microphone while
Piper's speech is played into it (no sound card, as on this machine).
Before issue 8, "I'm having an urge" said without the wake phrase was forced
onto a crisis sentence and answered with the crisis lines, 3 times out of 3.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from coach_process import CoachProcess

from voice_coach.audio_io.speaker import SoundDeviceSpeaker
from voice_coach.journal.store import Journal

pytestmark = pytest.mark.audio


def test_wake_phrase_mode_ignores_urge_talk_but_answers_an_overdose(  # type: ignore[no-untyped-def]
    named_home: Path, render
) -> None:
    config = named_home / "config.toml"
    config.write_text(config.read_text() + 'listening_mode = "wake-phrase"\n')
    coach = CoachProcess(named_home)
    try:
        coach.wait_for("Voice Coach is listening", timeout=120)
        for phrase in ("I'm having an urge.", "I'm having an urge.", "I really want a drink.",
                       "I'm having an urge."):
            time.sleep(0.5)
            SoundDeviceSpeaker().play([render(phrase)])
            time.sleep(3.0)
        time.sleep(0.5)
        SoundDeviceSpeaker().play([render("I took too many pills.")])
        coach.wait_for("listening (safety)", timeout=120)
        with Journal.open(named_home / "data" / "journal.sqlite3") as journal:
            sessions = journal.snapshot().sessions
        assert [(s.exercise, s.answers[0].text) for s in sessions] == [
            ("crisis_answer", "overdose")
        ]
    finally:
        coach.proc.kill()
