"""Recordings as the recognizers take them: 16 kHz mono 16-bit, fed in microphone-sized chunks."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from voice_coach.audio_io.convert import AudioConverter
from voice_coach.audio_io.wav import read_wav as read_chunk

RATE = 16000
"""Sample rate both engines are run at (Hz)."""


def read_wav(path: Path) -> bytes:
    """Any WAV file's audio as 16 kHz mono little-endian int16 bytes."""
    return AudioConverter(RATE).convert(read_chunk(path)).samples


def chunks(pcm: bytes, seconds: float = 0.1) -> Iterator[bytes]:
    """Split audio into the chunk size a microphone would deliver."""
    size = max(2, int(RATE * seconds) * 2)
    for start in range(0, len(pcm), size):
        yield pcm[start : start + size]
