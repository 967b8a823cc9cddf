"""Read and write 16-bit WAV files as `AudioChunk`s (stdlib `wave`, no extra library)."""

from __future__ import annotations

import os
import tempfile
import wave
from collections.abc import Iterable
from pathlib import Path

from voice_coach.audio_io.chunk import SAMPLE_WIDTH, AudioChunk
from voice_coach.errors import AudioFileError


def read_wav(path: Path) -> AudioChunk:
    """The whole file as one chunk; anything but 16-bit PCM WAV is an AudioFileError."""
    try:
        with wave.open(str(path), "rb") as wav:
            width = wav.getsampwidth()
            rate = wav.getframerate()
            channels = wav.getnchannels()
            samples = wav.readframes(wav.getnframes())
    except FileNotFoundError:
        raise AudioFileError(f"Audio file {path} does not exist.") from None
    except (wave.Error, EOFError, OSError) as exc:
        raise AudioFileError(
            f"{path} is not a readable WAV file ({exc}). Convert it with "
            f"`sox IN -b 16 OUT.wav` and try again."
        ) from None
    if width != SAMPLE_WIDTH:
        raise AudioFileError(
            f"{path} has {8 * width}-bit samples; only 16-bit WAV is supported. Convert it with "
            f"`sox {path} -b 16 OUT.wav`."
        )
    return AudioChunk(samples, rate, channels)


def write_wav(path: Path, chunks: Iterable[AudioChunk]) -> int:
    """Write chunks (all one format) to a WAV file atomically; returns the frames written.

    The file appears only when complete: a crash or an error mid-way leaves no
    half-written WAV behind (the TTS cache relies on this).
    """
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    frames = 0
    try:
        with os.fdopen(fd, "wb") as handle, wave.open(handle, "wb") as wav:
            wav.setsampwidth(SAMPLE_WIDTH)
            fmt: tuple[int, int] | None = None
            for chunk in chunks:
                if fmt is None:
                    fmt = (chunk.rate, chunk.channels)
                    wav.setframerate(chunk.rate)
                    wav.setnchannels(chunk.channels)
                elif fmt != (chunk.rate, chunk.channels):
                    raise ValueError("all chunks written to one WAV must share rate and channels")
                wav.writeframes(chunk.samples)
                frames += chunk.frames
            if fmt is None:
                raise ValueError(f"no audio to write to {path}")
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return frames
