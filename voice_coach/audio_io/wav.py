"""Read any PCM or float WAV file, and write 16-bit WAV files atomically.

A small RIFF reader instead of the `wave` module: Python 3.11's `wave` rejects
float samples and WAVE_FORMAT_EXTENSIBLE headers, which sox and many recorders
write for 24-bit, 32-bit or multi-channel files. Whatever comes in leaves as
the 16-bit PCM every pipeline stage works with.
"""

from __future__ import annotations

import os
import struct
import tempfile
import wave
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from voice_coach.audio_io.convert import from_float
from voice_coach.errors import AudioFileError
from voice_coach.messages import SAMPLE_WIDTH, AudioChunk

_PCM, _FLOAT, _EXTENSIBLE = 1, 3, 0xFFFE


def read_wav(path: Path) -> AudioChunk:
    """The whole file as one 16-bit chunk, at the file's own rate and channel count."""
    samples, rate = _read(path)
    return from_float(samples, rate, samples.shape[1])


def read_wav_float(path: Path) -> tuple[NDArray[np.float32], int]:
    """Mono samples in [-1, 1] and the file's own sample rate (for analysis and mixing)."""
    samples, rate = _read(path)
    return samples.mean(axis=1).astype(np.float32), rate


def _read(path: Path) -> tuple[NDArray[np.float64], int]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise AudioFileError(f"Audio file {path} does not exist.") from None
    except OSError as exc:
        raise AudioFileError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    return parse_wav(data, str(path))


def parse_wav(data: bytes, name: str = "the audio") -> tuple[NDArray[np.float64], int]:
    """Decode WAV bytes to (frames, channels) floats; every malformed input is an AudioFileError."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise AudioFileError(f"{name} is not a WAV file; give a .wav recording (PCM or float).")
    fmt: tuple[int, int, int, int] | None = None
    audio: bytes | None = None
    pos = 12
    while pos + 8 <= len(data):
        chunk_id, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        body = data[pos + 8 : pos + 8 + size]
        if chunk_id == b"fmt " and len(body) >= 16:
            tag, channels, rate = struct.unpack("<HHI", body[:8])
            bits = struct.unpack("<H", body[14:16])[0]
            if tag == _EXTENSIBLE and len(body) >= 26:
                tag = struct.unpack("<H", body[24:26])[0]
            fmt = (tag, channels, rate, bits)
        elif chunk_id == b"data":
            audio = body
            break
        pos += 8 + size + (size & 1)
    if fmt is None or audio is None:
        raise AudioFileError(f"{name} is a damaged WAV file (no format or no audio data).")
    tag, channels, rate, bits = fmt
    if channels < 1 or rate < 1000:
        raise AudioFileError(f"{name} has an invalid WAV header ({channels} channels, {rate} Hz).")
    samples = _decode(audio, tag, bits, name)
    frames = len(samples) // channels
    return samples[: frames * channels].reshape(frames, channels), rate


def _decode(audio: bytes, tag: int, bits: int, name: str) -> NDArray[np.float64]:
    width = bits // 8
    usable = len(audio) - len(audio) % max(width, 1)
    raw = audio[:usable]
    if tag == _PCM and bits == 8:
        return (np.frombuffer(raw, np.uint8).astype(np.float64) - 128.0) / 128.0
    if tag == _PCM and bits == 16:
        return np.frombuffer(raw, "<i2").astype(np.float64) / 32768.0
    if tag == _PCM and bits == 24:
        b = np.frombuffer(raw, np.uint8).reshape(-1, 3).astype(np.int32)
        value = b[:, 0] | (b[:, 1] << 8) | (b[:, 2] << 16)
        value = np.where(value >= 1 << 23, value - (1 << 24), value)
        return value.astype(np.float64) / float(1 << 23)
    if tag == _PCM and bits == 32:
        return np.frombuffer(raw, "<i4").astype(np.float64) / 2147483648.0
    if tag == _FLOAT and bits in (32, 64):
        return np.frombuffer(raw, "<f4" if bits == 32 else "<f8").astype(np.float64)
    raise AudioFileError(
        f"{name} uses an unsupported WAV encoding (format {tag}, {bits}-bit); "
        "convert it to 16-bit PCM, e.g. `sox IN.wav -b 16 OUT.wav`."
    )


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
