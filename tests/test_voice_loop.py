"""The hands-free loop on recorded speech: real PocketSphinx, Piper and journal, no sound card."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from audio_fixtures import Render

from voice_coach.audio_io.convert import AudioConverter, concatenate, silence
from voice_coach.audio_io.doubles import RecordingSpeaker, WavMicrophone
from voice_coach.audio_io.earcons import earcon
from voice_coach.audio_io.gate import HalfDuplexGate
from voice_coach.clock import ManualClock
from voice_coach.dialogue import replies
from voice_coach.dialogue.engine import Coach
from voice_coach.exercises import registry
from voice_coach.journal.store import Journal
from voice_coach.messages import AudioChunk
from voice_coach.paths import resolve_paths
from voice_coach.recognition import Recognizer
from voice_coach.recognition.grammar import Grammars
from voice_coach.recognition.select import create_recognizer
from voice_coach.settings import Settings
from voice_coach.speech.output import SpeechOutput
from voice_coach.speech.piper_voice import PiperSynthesizer
from voice_coach.understanding import Understanding
from voice_coach.voice_loop import VoiceLoop


@pytest.fixture(scope="module")
def recognizer() -> Recognizer:
    return create_recognizer(Settings(engine="pocketsphinx"), resolve_paths())


def spoken(render: Render, *parts: str | float) -> AudioChunk:
    """Phrases (str) and pauses (seconds) as one 16 kHz recording."""
    pieces = []
    for part in parts:
        if isinstance(part, str):
            pieces.append(AudioConverter(16000, 1).convert(render(part)))
        else:
            pieces.append(silence(part, 16000))
    return concatenate(pieces)


MORNING = datetime(2026, 11, 26, 10, 0).astimezone()
"""The loop's clock unless a test is about the time of day (pinned: any hour of the run)."""


def run_loop(
    tmp_path: Path, recognizer: Recognizer, synthesizer: PiperSynthesizer, audio: AudioChunk,
    at: datetime = MORNING, states: list[str] | None = None, **settings: object,
) -> tuple[Journal, RecordingSpeaker]:
    """Run the loop on `audio` to its end; `states` collects the state at each listen."""
    options: dict[str, object] = {"name": "Sam", "evening_reflection_time": "off"}
    options.update(settings)
    config = Settings(**options)  # type: ignore[arg-type]
    journal = Journal.open(tmp_path / "journal.sqlite3")
    journal.set_profile("first_run_done", "yes")
    clock = ManualClock(at)
    coach = Coach(Understanding.load(), journal, config, clock, registry())
    speaker = RecordingSpeaker()
    loop = VoiceLoop(
        coach,
        WavMicrophone(audio),
        SpeechOutput(synthesizer, speaker),
        recognizer,
        Grammars(Understanding.load()),
        config,
        gate=HalfDuplexGate(tail=0.0),  # audio arrives faster than real time here
        on_listening=None if states is None else lambda state, _expecting: states.append(state),
    )
    loop.run()
    return journal, speaker


def test_a_spoken_urge_rating_and_stop_are_carried_through(  # type: ignore[no-untyped-def]
    tmp_path: Path, recognizer, synthesizer, render
) -> None:
    audio = spoken(render, 0.5, "I'm having an urge.", 1.5, "Seven.", 1.5, "Stop please.", 1.5)
    journal, speaker = run_loop(tmp_path, recognizer, synthesizer, audio)
    sessions = journal.snapshot().sessions
    assert [s.exercise for s in sessions] == ["urge_help"]
    assert {a.key: a.text for a in sessions[0].answers} == {"intensity_before": "7"}
    assert sessions[0].status == "stopped"
    assert len(speaker.plays) >= 4  # hello, the urge intro, the trigger question, the stop reply


def test_at_half_past_nine_the_evening_offer_still_hears_a_request(  # type: ignore[no-untyped-def]
    tmp_path: Path, recognizer, synthesizer, render
) -> None:
    """The coach opens with the evening offer; "I'm having an urge" is an answer to it."""
    audio = spoken(render, 0.5, "I'm having an urge.", 1.5, "Stop please.", 1.5)
    journal, _ = run_loop(
        tmp_path, recognizer, synthesizer, audio,
        at=datetime(2026, 11, 26, 21, 30).astimezone(), evening_reflection_time="21:00",
    )
    assert journal.get_profile("reflection_offered_on") == "2026-11-26"  # the offer was made
    assert [s.exercise for s in journal.snapshot().sessions] == ["urge_help"]


def test_with_a_wake_phrase_requests_without_it_are_ignored(  # type: ignore[no-untyped-def]
    tmp_path: Path, recognizer, synthesizer, render
) -> None:
    audio = spoken(render, 0.5, "I'm having an urge.", 2.0)
    journal, _ = run_loop(tmp_path, recognizer, synthesizer, audio, listening_mode="wake-phrase")
    assert journal.snapshot().sessions == ()


def test_with_a_wake_phrase_the_request_after_it_is_heard(  # type: ignore[no-untyped-def]
    tmp_path: Path, recognizer, synthesizer, render
) -> None:
    audio = spoken(render, 0.5, "Hey coach.", 1.2, "I'm having an urge.", 2.0)
    journal, speaker = run_loop(
        tmp_path, recognizer, synthesizer, audio, listening_mode="wake-phrase"
    )
    assert [s.exercise for s in journal.snapshot().sessions] == ["urge_help"]
    assert [earcon("listening")] in speaker.plays  # the wake phrase was acknowledged
    assert [earcon("got_it")] in speaker.plays  # and so was the request


def test_with_a_wake_phrase_a_request_in_the_same_breath_is_kept(  # type: ignore[no-untyped-def]
    tmp_path: Path, recognizer, synthesizer, render
) -> None:
    audio = spoken(render, 0.5, "Hey coach, I'm having an urge.", 2.0)
    journal, speaker = run_loop(
        tmp_path, recognizer, synthesizer, audio, listening_mode="wake-phrase"
    )
    assert [s.exercise for s in journal.snapshot().sessions] == ["urge_help"]
    assert [earcon("listening")] not in speaker.plays  # no "your turn": it was already said
    assert [earcon("got_it")] in speaker.plays


def test_a_crisis_is_heard_even_without_the_wake_phrase(  # type: ignore[no-untyped-def]
    tmp_path: Path, recognizer, synthesizer, render
) -> None:
    audio = spoken(render, 0.5, "I want to kill myself.", 2.0)
    journal, _ = run_loop(
        tmp_path, recognizer, synthesizer, audio, listening_mode="wake-phrase"
    )
    (answer,) = journal.snapshot().sessions
    assert answer.exercise == "crisis_answer" and answer.answers[0].text == "suicidal"


def test_without_the_wake_phrase_urge_talk_never_raises_a_crisis(  # type: ignore[no-untyped-def]
    tmp_path: Path, recognizer, synthesizer, render
) -> None:
    """Issue 8: "I'm having an urge" was forced onto a crisis sentence, 3 times out of 3."""
    audio = spoken(
        render, 0.5, "I'm having an urge.", 2.0, "I'm having an urge.", 2.0,
        "I really want a drink.", 2.0, "I'm having an urge.", 2.0,
    )
    journal, speaker = run_loop(
        tmp_path, recognizer, synthesizer, audio, listening_mode="wake-phrase"
    )
    assert journal.snapshot().sessions == ()
    assert len(speaker.plays) == len(replies.greeting("Sam"))  # only the hello: nothing answered


def test_without_the_wake_phrase_a_spoken_overdose_is_answered(  # type: ignore[no-untyped-def]
    tmp_path: Path, recognizer, synthesizer, render
) -> None:
    audio = spoken(render, 0.5, "I took too many pills.", 2.0)
    journal, _ = run_loop(tmp_path, recognizer, synthesizer, audio, listening_mode="wake-phrase")
    (answer,) = journal.snapshot().sessions
    assert answer.exercise == "crisis_answer" and answer.answers[0].text == "overdose"


def test_without_the_wake_phrase_distress_gets_the_safety_question(  # type: ignore[no-untyped-def]
    tmp_path: Path, recognizer, synthesizer, render
) -> None:
    """Distress is in no grammar: dictation hears it, the coach asks (issue 8 leftover)."""
    states: list[str] = []
    audio = spoken(render, 0.5, "I feel completely hopeless.", 2.5)
    journal, speaker = run_loop(
        tmp_path, recognizer, synthesizer, audio, states=states, listening_mode="wake-phrase"
    )
    assert "safety" in states  # the safety question was asked, and the coach listens for the answer
    assert journal.snapshot().sessions == ()  # a question, not a crisis answer
    assert len(speaker.plays) > len(replies.greeting("Sam"))
