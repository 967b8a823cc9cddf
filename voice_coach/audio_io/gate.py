"""Half-duplex: while the coach speaks, what the microphone hears is not fed to recognition.

Without echo cancellation the microphone hears the coach's own voice, which a
recognizer would happily transcribe as the person's answer. Chunks carry their
capture time, so audio recorded during speech is dropped even when the loop
reads it from the queue afterwards.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from voice_coach.messages import AudioChunk


class HalfDuplexGate:
    """Wrap speech in `with gate.speaking():` and read the microphone through `gate.filter()`."""

    def __init__(self, tail: float = 0.25, clock: Callable[[], float] = time.monotonic) -> None:
        self.tail = tail
        """Seconds after speech ends that are still dropped (room echo, device latency)."""
        self._clock = clock
        self._lock = threading.Lock()
        self._speaking = 0
        self._started = 0.0
        self._muted: deque[tuple[float, float]] = deque(maxlen=16)
        """Recent (start, end + tail) intervals, newest last."""
        self.dropped = 0
        """Chunks dropped so far (for logs and tests)."""

    @contextmanager
    def speaking(self) -> Iterator[None]:
        """The microphone is shut while the block runs, and for `tail` seconds after."""
        with self._lock:
            if self._speaking == 0:
                self._started = self._clock()
            self._speaking += 1
        try:
            yield
        finally:
            with self._lock:
                self._speaking -= 1
                if self._speaking == 0:
                    self._muted.append((self._started, self._clock() + self.tail))

    @property
    def open(self) -> bool:
        """True when the microphone may be heard now."""
        with self._lock:
            if self._speaking:
                return False
            return not self._muted or self._clock() >= self._muted[-1][1]

    def allows(self, chunk: AudioChunk) -> bool:
        """Was this chunk captured while the gate was open?"""
        with self._lock:
            if self._speaking:
                return False
            captured = chunk.time or self._clock()
            return not any(start <= captured < end for start, end in self._muted)

    def filter(self, chunks: Iterable[AudioChunk]) -> Iterator[AudioChunk]:
        """Pass through only the chunks captured while the gate was open."""
        for chunk in chunks:
            if self.allows(chunk):
                yield chunk
            else:
                self.dropped += 1
