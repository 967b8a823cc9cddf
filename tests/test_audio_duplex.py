"""The microphone and speaker taking turns (audio_io.duplex) on real Piper speech."""

from __future__ import annotations

import threading
import time

import pytest

from voice_coach.audio_io.convert import AudioConverter, split
from voice_coach.audio_io.doubles import RecordingSpeaker, WavMicrophone
from voice_coach.audio_io.duplex import Duplex, play_interruptibly
from voice_coach.audio_io.gate import HalfDuplexGate
from voice_coach.audio_io.vad import NoSpeech, UtteranceComplete
from voice_coach.messages import AudioChunk


class Collect:
    def __init__(self) -> None:
        self.pieces: list[bytes] = []

    def accept(self, chunk: bytes, /) -> None:
        self.pieces.append(chunk)


def test_an_utterance_is_heard_then_the_microphone_ends(render) -> None:  # type: ignore[no-untyped-def]
    speech = AudioConverter(16000, 1).convert(render("I'm having an urge."))
    duplex = Duplex(HalfDuplexGate(tail=0.0))
    with duplex.open(WavMicrophone(speech, lead_silence=0.5, trail_silence=1.0)):
        sink = Collect()
        first = duplex.hear(sink, silence_timeout=0.4, no_speech_timeout=5.0)
        assert isinstance(first, UtteranceComplete)
        assert first.audio.seconds >= speech.seconds * 0.8
        assert sink.pieces
        # What is left is silence shorter than the timeout, then the end of the audio.
        assert duplex.hear(Collect(), silence_timeout=0.4, no_speech_timeout=5.0) is None


def test_nothing_said_is_no_speech_after_the_timeout() -> None:
    duplex = Duplex()
    with duplex.open(WavMicrophone(AudioChunk(b"\0\0" * 16000 * 3, 16000))):
        assert isinstance(duplex.hear(Collect(), 0.4, 1.0), NoSpeech)


def test_hearing_before_the_microphone_is_open_is_a_clear_error() -> None:
    with pytest.raises(RuntimeError, match="not open"):
        Duplex().hear(Collect(), 0.4, 1.0)


def test_an_earcon_plays_with_the_microphone_shut() -> None:
    gate = HalfDuplexGate(tail=10.0)
    speaker = RecordingSpeaker()
    Duplex(gate).earcon(speaker, "listening")
    assert speaker.audio().seconds > 0.05
    assert not gate.open  # its tail still drops the echo of the tone


def test_an_interruption_stops_playback_at_its_next_chunk(render) -> None:  # type: ignore[no-untyped-def]
    reply = split(render("Let's take a slow breath together, in through the nose."), 0.05)
    speaker = RecordingSpeaker(on_chunk=lambda _chunk: time.sleep(0.005))
    polls = [0]

    def play(cancel: threading.Event) -> None:
        speaker.play(c for c in reply if not cancel.is_set())

    def listen() -> str | None:
        polls[0] += 1
        time.sleep(0.02)
        return "stop" if polls[0] == 3 else None

    assert play_interruptibly(play, listen) == "stop"
    assert 0 < len(speaker.plays[0]) < len(reply)


def test_playback_that_ends_by_itself_is_not_an_interruption(render) -> None:  # type: ignore[no-untyped-def]
    reply = split(render("Well done."), 0.05)
    speaker = RecordingSpeaker()
    assert play_interruptibly(lambda _cancel: speaker.play(reply), lambda: None) is None
    assert len(speaker.plays[0]) == len(reply)


def test_a_playback_error_reaches_the_caller() -> None:
    def broken(_cancel: threading.Event) -> None:
        raise OSError("speaker unplugged")

    with pytest.raises(OSError, match="unplugged"):
        play_interruptibly(broken, lambda: time.sleep(0.01))
