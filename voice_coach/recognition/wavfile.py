"""Read any PCM or float WAV file as the 16 kHz mono 16-bit audio the recognizers take.

A small RIFF reader instead of the `wave` module: Python 3.11's `wave` rejects
float samples and WAVE_FORMAT_EXTENSIBLE headers, which sox and many recorders
write for 24-bit, 32-bit or multi-channel files.

Resampling is a windowed-sinc low-pass (so content above the new Nyquist
frequency does not fold back into the speech band) followed by linear
interpolation. That is not studio quality, but speech recognisers only look
at 0-8 kHz and the difference from a polyphase resampler is far below what
they notice.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from voice_coach.errors import AudioFileError

RATE = 16000
"""Sample rate both engines are run at (Hz)."""

_PCM, _FLOAT, _EXTENSIBLE = 1, 3, 0xFFFE


def read_wav(path: Path) -> bytes:
    """The file's audio as 16 kHz mono little-endian int16 bytes."""
    samples, rate = read_wav_float(path)
    return to_int16(resample(samples, rate, RATE))


def read_wav_float(path: Path) -> tuple[NDArray[np.float32], int]:
    """Mono samples in [-1, 1] and the file's own sample rate."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise AudioFileError(f"Cannot read {path}: {exc.strerror or exc}.") from None
    return parse_wav(data, str(path))


def parse_wav(data: bytes, name: str = "the audio") -> tuple[NDArray[np.float32], int]:
    """Decode WAV bytes; every malformed input becomes one AudioFileError."""
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
    mono = samples[: frames * channels].reshape(frames, channels).mean(axis=1)
    return mono.astype(np.float32), rate


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


def resample(samples: NDArray[np.floating], rate: int, target: int = RATE) -> NDArray[np.float32]:
    """Change the sample rate: low-pass below the lower Nyquist frequency, then interpolate."""
    x = np.asarray(samples, dtype=np.float64)
    if rate == target or len(x) == 0:
        return x.astype(np.float32)
    if target < rate:
        x = _lowpass(x, 0.5 * target / rate * 0.95)
    n_out = round(len(x) * target / rate)
    t_out = np.arange(n_out) * (rate / target)
    out: NDArray[np.float32] = np.interp(t_out, np.arange(len(x)), x).astype(np.float32)
    return out


def _lowpass(x: NDArray[np.float64], cutoff: float, taps: int = 63) -> NDArray[np.float64]:
    """Windowed-sinc FIR; `cutoff` is a fraction of the input rate (0-0.5)."""
    n = np.arange(taps) - (taps - 1) / 2
    kernel = 2 * cutoff * np.sinc(2 * cutoff * n) * np.hamming(taps)
    kernel /= kernel.sum()
    return np.convolve(x, kernel, mode="same")


def to_int16(samples: NDArray[np.floating]) -> bytes:
    """Float samples in [-1, 1] as little-endian int16 bytes (clipped, not wrapped)."""
    clipped = np.clip(np.asarray(samples, dtype=np.float64) * 32768.0, -32768, 32767)
    return clipped.astype("<i2").tobytes()


def chunks(pcm: bytes, seconds: float = 0.1) -> Iterator[bytes]:
    """Split audio into the chunk size a microphone would deliver."""
    size = max(2, int(RATE * seconds) * 2)
    for start in range(0, len(pcm), size):
        yield pcm[start : start + size]
