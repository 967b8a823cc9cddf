"""Pure numpy helpers that turn any captured format into what recognizers want.

Microphones deliver their native rate and channel count (often 44.1/48 kHz,
sometimes stereo); recognizers want 16 kHz mono, and speakers want their own
rate. `AudioConverter` does both directions and keeps state between chunks so
a stream converts without clicks at chunk borders.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from voice_coach.messages import AudioChunk

FloatArray = npt.NDArray[np.float32]

_INT16_SCALE = 32768.0
SILENCE_DBFS = -96.0
"""The level reported for digital silence (the 16-bit floor)."""


def to_float(chunk: AudioChunk) -> FloatArray:
    """Samples in [-1, 1) as float32, shape (frames, channels)."""
    data = np.frombuffer(chunk.samples, dtype="<i2").astype(np.float32) / _INT16_SCALE
    channels = max(1, chunk.channels)
    usable = len(data) - len(data) % channels
    return data[:usable].reshape(-1, channels)


def from_float(
    samples: npt.NDArray[np.floating], rate: int, channels: int = 1, time: float = 0.0
) -> AudioChunk:
    """Float samples (any shape; clipped to [-1, 1]) back to a 16-bit chunk."""
    scaled = np.clip(np.round(np.asarray(samples) * _INT16_SCALE), -32768, 32767)
    return AudioChunk(scaled.astype("<i2").tobytes(), rate, channels, time)


def to_mono(samples: FloatArray) -> FloatArray:
    """Average the channels of a (frames, channels) array into a flat array."""
    if samples.ndim == 1:
        return samples
    mono: FloatArray = samples.mean(axis=1, dtype=np.float32)
    return mono


def level_dbfs(samples: npt.NDArray[np.floating]) -> float:
    """Root-mean-square level in dB relative to full scale (SILENCE_DBFS for silence)."""
    if samples.size == 0:
        return SILENCE_DBFS
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    if rms <= 0.0:
        return SILENCE_DBFS
    return max(SILENCE_DBFS, 20.0 * math.log10(rms))


def lowpass_taps(cutoff: float, taps: int = 63) -> FloatArray:
    """A windowed-sinc low-pass filter; `cutoff` is a fraction of the sample rate (< 0.5)."""
    n = np.arange(taps, dtype=np.float64) - (taps - 1) / 2
    kernel = 2 * cutoff * np.sinc(2 * cutoff * n) * np.blackman(taps)
    normalised: FloatArray = (kernel / kernel.sum()).astype(np.float32)
    return normalised


class Resampler:
    """Change the sample rate of a mono stream, chunk by chunk.

    Linear interpolation between input samples; when going down in rate a
    low-pass filter runs first so speech above the new Nyquist frequency does
    not fold back as noise. Both keep their state across calls.
    """

    def __init__(self, from_rate: int, to_rate: int) -> None:
        if from_rate <= 0 or to_rate <= 0:
            raise ValueError(f"sample rates must be positive, got {from_rate} -> {to_rate}")
        self.from_rate = from_rate
        self.to_rate = to_rate
        self._step = from_rate / to_rate
        self._taps: FloatArray | None = None
        self._history = np.zeros(0, dtype=np.float32)
        if to_rate < from_rate:
            self._taps = lowpass_taps(0.45 * to_rate / from_rate)
            self._history = np.zeros(len(self._taps) - 1, dtype=np.float32)
        self._pending = np.zeros(0, dtype=np.float32)
        self._position = 0.0

    def process(self, samples: FloatArray) -> FloatArray:
        """Resample the next piece of the stream (a flat float array)."""
        if self.from_rate == self.to_rate:
            return samples.astype(np.float32, copy=False)
        if self._taps is not None:
            padded = np.concatenate((self._history, samples))
            filtered = np.convolve(padded, self._taps, mode="valid").astype(np.float32)
            self._history = padded[len(padded) - (len(self._taps) - 1) :]
            samples = filtered
        buffer = np.concatenate((self._pending, samples))
        last = len(buffer) - 1
        if last < self._position:
            self._pending = buffer
            return np.zeros(0, dtype=np.float32)
        count = math.floor((last - self._position) / self._step) + 1
        positions = self._position + self._step * np.arange(count)
        out: FloatArray = np.interp(positions, np.arange(len(buffer)), buffer).astype(np.float32)
        next_position = self._position + self._step * count
        consumed = min(math.floor(next_position), len(buffer))
        self._pending = buffer[consumed:]
        self._position = next_position - consumed
        return out


def resample(samples: npt.NDArray[np.floating], rate: int, to_rate: int) -> FloatArray:
    """A whole mono recording at another rate (one `Resampler` run over all of it)."""
    return Resampler(rate, to_rate).process(np.asarray(samples, dtype=np.float32))


class AudioConverter:
    """Convert chunks of any rate and channel count to one target format (like wyoming's).

    One converter per stream: it keeps resampler state, so do not share it
    between two streams.
    """

    def __init__(self, rate: int, channels: int = 1) -> None:
        if channels not in (1, 2):
            raise ValueError(f"only mono or stereo output is supported, got {channels}")
        self.rate = rate
        self.channels = channels
        self._resampler: Resampler | None = None

    def convert(self, chunk: AudioChunk) -> AudioChunk:
        if chunk.rate == self.rate and chunk.channels == self.channels:
            return chunk
        mono = to_mono(to_float(chunk))
        if chunk.rate != self.rate:
            if self._resampler is None or self._resampler.from_rate != chunk.rate:
                self._resampler = Resampler(chunk.rate, self.rate)
            mono = self._resampler.process(mono)
        out: npt.NDArray[np.float32] = mono
        if self.channels == 2:
            out = np.repeat(mono, 2)
        return from_float(out, self.rate, self.channels, chunk.time)


def concatenate(chunks: list[AudioChunk]) -> AudioChunk:
    """Join chunks of one format into one chunk (the first chunk's time is kept)."""
    if not chunks:
        raise ValueError("no chunks to join")
    first = chunks[0]
    for chunk in chunks[1:]:
        if (chunk.rate, chunk.channels) != (first.rate, first.channels):
            raise ValueError("chunks differ in rate or channels; convert them first")
    return AudioChunk(b"".join(c.samples for c in chunks), first.rate, first.channels, first.time)


def silence(seconds: float, rate: int, channels: int = 1) -> AudioChunk:
    """A chunk of digital silence."""
    frames = max(0, round(seconds * rate))
    return AudioChunk(bytes(frames * channels * 2), rate, channels)


def split(chunk: AudioChunk, seconds: float) -> list[AudioChunk]:
    """Cut a chunk into pieces of at most `seconds` (the last may be shorter)."""
    frame_bytes = 2 * chunk.channels
    step = max(1, round(seconds * chunk.rate)) * frame_bytes
    return [
        AudioChunk(chunk.samples[i : i + step], chunk.rate, chunk.channels)
        for i in range(0, len(chunk.samples), step)
    ]
