"""The loop's audio plumbing on real Piper speech: pre-roll, streaming to a decoder, feeding."""

from __future__ import annotations

import pytest

from voice_coach.audio_io.convert import AudioConverter, concatenate, silence, split
from voice_coach.audio_io.listening import feed, stream_utterance
from voice_coach.audio_io.vad import Endpointer, EndpointerConfig, NoSpeech, UtteranceComplete
from voice_coach.messages import SAMPLE_WIDTH, AudioChunk


class Collect:
    """A decoder stand-in that keeps what it is given (the sink is the real recognizer's seat)."""

    def __init__(self) -> None:
        self.pieces: list[bytes] = []

    def accept(self, chunk: bytes, /) -> None:
        self.pieces.append(chunk)

    def seconds(self, rate: int = 16000) -> float:
        return sum(len(p) for p in self.pieces) / (rate * SAMPLE_WIDTH)


@pytest.mark.parametrize("chunk_seconds", [0.01, 0.03, 0.1])
@pytest.mark.parametrize("preroll", [0.1, 0.3, 0.6])
def test_the_decoder_gets_the_speech_with_the_endpointers_own_preroll(  # type: ignore[no-untyped-def]
    render, chunk_seconds: float, preroll: float
) -> None:
    speech = AudioConverter(16000, 1).convert(render("I'm having an urge."))
    audio = concatenate([silence(1.0, 16000), speech, silence(1.5, 16000)])
    sink = Collect()
    endpointer = Endpointer(EndpointerConfig(preroll=preroll, silence_timeout=0.8))
    event = stream_utterance(iter(split(audio, chunk_seconds)), endpointer, sink)
    assert isinstance(event, UtteranceComplete)
    # The decoder heard the utterance the endpointer cut, pre-roll included, whatever the
    # microphone's chunk size: within a chunk, a frame and the endpointer's `min_speech`
    # (speech is detected that much after it starts).
    heard = sink.seconds()
    slack = chunk_seconds + endpointer.config.frame_seconds + endpointer.config.min_speech + 0.01
    assert abs(heard - event.audio.seconds) <= slack, (heard, event.audio.seconds)
    assert heard >= speech.seconds


def test_silence_alone_is_no_speech_and_nothing_reaches_the_decoder() -> None:
    sink = Collect()
    endpointer = Endpointer(EndpointerConfig(no_speech_timeout=1.0))
    event = stream_utterance(iter(split(silence(3.0, 16000), 0.03)), endpointer, sink)
    assert isinstance(event, NoSpeech)
    assert sink.pieces == []


def test_a_microphone_that_ends_gives_none() -> None:
    assert stream_utterance(iter([]), Endpointer(), Collect()) is None


@pytest.mark.parametrize("rate,channels", [(16000, 1), (48000, 2)])
def test_feed_hands_over_every_sample_in_tenth_of_a_second_pieces(rate: int, channels: int) -> None:
    frames = int(rate * 0.55)
    audio = AudioChunk(bytes(range(256)) * (frames * channels * SAMPLE_WIDTH // 256 + 1), rate,
                       channels)
    audio = AudioChunk(audio.samples[: frames * channels * SAMPLE_WIDTH], rate, channels)
    sink = Collect()
    feed(audio, sink)
    assert b"".join(sink.pieces) == audio.samples
    assert len(sink.pieces) == 6  # five full tenths and the rest
    assert len(sink.pieces[0]) == int(rate * 0.1) * SAMPLE_WIDTH * channels
