"""The unit of audio passed between pipeline stages."""

from __future__ import annotations

from dataclasses import dataclass

SAMPLE_WIDTH = 2
"""Bytes per sample: every chunk holds signed 16-bit little-endian PCM."""


@dataclass(frozen=True)
class AudioChunk:
    """A piece of 16-bit PCM audio (interleaved when there is more than one channel)."""

    samples: bytes
    """Signed 16-bit little-endian samples."""
    rate: int
    """Hertz."""
    channels: int = 1
    """Interleaved channels in `samples`."""
    time: float = 0.0
    """When the first sample was captured (`time.monotonic()`); 0.0 when unknown.

    The half-duplex gate uses it to drop audio recorded while the coach spoke,
    even when that audio is read from the queue later.
    """

    @property
    def frames(self) -> int:
        """Samples per channel."""
        return len(self.samples) // (SAMPLE_WIDTH * max(1, self.channels))

    @property
    def seconds(self) -> float:
        """Duration."""
        return self.frames / self.rate if self.rate else 0.0
