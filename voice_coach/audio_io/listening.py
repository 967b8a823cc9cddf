"""From microphone chunks to one utterance, fed to a decoder while the person speaks.

The audio plumbing of the hands-free loop: the endpointer decides where speech
starts and ends, the audio from just before the start (the pre-roll) is kept,
and every chunk of speech goes to the decoder as it arrives, so at the endpoint
only the final search is left.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from typing import Protocol

from voice_coach.audio_io.vad import Endpointer, NoSpeech, SpeechStarted, UtteranceComplete
from voice_coach.messages import SAMPLE_WIDTH, AudioChunk

FEED_SECONDS = 0.1
"""How much audio `feed` hands a decoder at a time when the audio is already recorded."""


class AudioSink(Protocol):
    """Where speech goes: a recognizer (`voice_coach.recognition.Recognizer`)."""

    def accept(self, chunk: bytes, /) -> object:
        """Take the next piece of 16-bit PCM (whatever it returns is not used here)."""


EndEarly = Callable[[str, float, float], bool]
"""(partial text, seconds of speech, seconds of trailing silence) -> end the utterance now?
(`voice_coach.recognition.endpointing.EarlyEndpoint.should_end`)."""


def stream_utterance(
    chunks: Iterator[AudioChunk],
    endpointer: Endpointer,
    sink: AudioSink,
    end_early: EndEarly | None = None,
) -> UtteranceComplete | NoSpeech | None:
    """Listen until the endpointer decides; speech (with its pre-roll) goes to `sink`.

    Returns the complete utterance, `NoSpeech` after the endpointer's timeout,
    or None when the microphone has no more audio. The pre-roll length is the
    endpointer's own (`EndpointerConfig.preroll`), whatever the chunk size.
    With `end_early`, the partial result the sink returns (its `.text`) is
    offered after every chunk, and the utterance ends as soon as it says so.
    """
    preroll = endpointer.config.preroll
    recent: deque[AudioChunk] = deque()
    held = 0.0  # seconds in `recent`
    speaking = False
    partial = ""

    def take(samples: bytes) -> None:
        nonlocal partial
        text = getattr(sink.accept(samples), "text", None)
        if isinstance(text, str) and text:
            partial = text

    for chunk in chunks:
        events = endpointer.process(chunk)
        if speaking:
            take(chunk.samples)
        else:
            recent.append(chunk)
            held += chunk.seconds
            while held - recent[0].seconds >= preroll:
                held -= recent.popleft().seconds
        for event in events:
            if isinstance(event, SpeechStarted) and not speaking:
                speaking = True
                for earlier in recent:
                    take(earlier.samples)
            elif isinstance(event, (UtteranceComplete, NoSpeech)):
                return event
        if (
            end_early is not None
            and speaking
            and end_early(partial, endpointer.speech_seconds, endpointer.trailing_silence)
        ):
            return endpointer.end_now()
    return None


def feed(audio: AudioChunk, sink: AudioSink) -> None:
    """Hand recorded audio to `sink` in pieces of `FEED_SECONDS` (any rate, any channels)."""
    step = max(1, int(audio.rate * FEED_SECONDS)) * SAMPLE_WIDTH * max(1, audio.channels)
    samples = audio.samples
    for start in range(0, len(samples), step):
        sink.accept(samples[start : start + step])
