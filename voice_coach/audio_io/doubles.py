"""Small real stand-ins for the sound card: a microphone playing a WAV, a recording speaker.

Tests, benchmarks and a "no sound card" mode pass these in where the real
devices would go; nothing is patched.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import TracebackType

from voice_coach.audio_io.convert import AudioConverter, concatenate, silence, split
from voice_coach.audio_io.ports import RECOGNIZER_RATE
from voice_coach.audio_io.wav import read_wav
from voice_coach.messages import AudioChunk


class WavMicrophone:
    """A microphone that "hears" a WAV file (or chunk), optionally padded with silence.

    `realtime=True` paces the chunks like a real device (for loops that must
    not spin); the default delivers them as fast as they are read.
    """

    def __init__(
        self,
        source: Path | AudioChunk,
        *,
        realtime: bool = False,
        chunk_seconds: float = 0.03,
        lead_silence: float = 0.0,
        trail_silence: float = 0.0,
    ) -> None:
        self.source = source
        self.realtime = realtime
        self.chunk_seconds = chunk_seconds
        self.lead_silence = lead_silence
        self.trail_silence = trail_silence
        self.rate = RECOGNIZER_RATE
        self._closed = False

    def __enter__(self) -> WavMicrophone:
        self._closed = False
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self._closed = True

    def audio(self) -> AudioChunk:
        """Everything the microphone will deliver, as one 16 kHz mono chunk."""
        raw = read_wav(self.source) if isinstance(self.source, Path) else self.source
        speech = AudioConverter(self.rate, 1).convert(raw)
        parts = [
            silence(self.lead_silence, self.rate),
            AudioChunk(speech.samples, self.rate),
            silence(self.trail_silence, self.rate),
        ]
        return concatenate(parts)

    def chunks(self) -> Iterator[AudioChunk]:
        start = time.monotonic()
        offset = 0.0
        for piece in split(self.audio(), self.chunk_seconds):
            if self._closed:
                return
            if self.realtime:
                delay = start + offset + piece.seconds - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            yield AudioChunk(piece.samples, piece.rate, 1, time.monotonic())
            offset += piece.seconds


class RecordingSpeaker:
    """A speaker that keeps what it was asked to play, one list of chunks per `play()`."""

    def __init__(self, on_chunk: Callable[[AudioChunk], None] | None = None) -> None:
        self.plays: list[list[AudioChunk]] = []
        self._on_chunk = on_chunk

    def play(self, chunks: Iterable[AudioChunk]) -> None:
        played: list[AudioChunk] = []
        self.plays.append(played)
        for chunk in chunks:
            played.append(chunk)
            if self._on_chunk is not None:
                self._on_chunk(chunk)

    def audio(self, index: int = -1) -> AudioChunk:
        """One `play()` call's audio joined into a single chunk (converted to its first rate)."""
        chunks = self.plays[index]
        if not chunks:
            raise ValueError("that play() call received no audio")
        converter = AudioConverter(chunks[0].rate, chunks[0].channels)
        return concatenate([converter.convert(c) for c in chunks])
