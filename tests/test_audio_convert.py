"""Format conversion: what the microphone gives becomes what recognizers need, without damage."""

from __future__ import annotations

import numpy as np
import pytest

from voice_coach.audio_io.convert import (
    AudioConverter,
    Resampler,
    concatenate,
    from_float,
    level_dbfs,
    silence,
    split,
    to_float,
    to_mono,
)
from voice_coach.messages import AudioChunk


def sine(freq: float, rate: int, seconds: float = 1.0, amplitude: float = 0.5) -> np.ndarray:
    t = np.arange(round(rate * seconds)) / rate
    return (amplitude * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def peak_frequency(samples: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / rate)[np.argmax(spectrum)])


def in_pieces(resampler: Resampler, samples: np.ndarray, sizes: list[int]) -> np.ndarray:
    out, start, i = [], 0, 0
    while start < len(samples):
        size = sizes[i % len(sizes)]
        out.append(resampler.process(samples[start : start + size]))
        start += size
        i += 1
    return np.concatenate(out)


def test_int16_round_trip_is_exact() -> None:
    original = np.array([0, 1, -1, 32767, -32768, 1234], dtype="<i2")
    chunk = AudioChunk(original.tobytes(), 16000)
    again = from_float(to_float(chunk), 16000)
    assert again.samples == original.tobytes()


def test_stereo_is_averaged_to_mono() -> None:
    frames = np.array([[0.5, -0.5], [0.25, 0.25]], dtype=np.float32)
    assert to_mono(frames).tolist() == [0.0, 0.25]
    chunk = from_float(frames.reshape(-1), 48000, channels=2)
    assert chunk.frames == 2 and chunk.seconds == pytest.approx(2 / 48000)


def test_downsampling_48k_to_16k_keeps_a_voice_frequency_and_duration() -> None:
    tone = sine(440, 48000)
    out = Resampler(48000, 16000).process(tone)
    assert abs(len(out) - 16000) <= 2
    assert peak_frequency(out, 16000) == pytest.approx(440, abs=3)
    assert level_dbfs(out[200:-200]) == pytest.approx(level_dbfs(tone), abs=0.5)


def test_chunked_resampling_matches_one_pass() -> None:
    """A stream converted 30 ms at a time has no clicks at chunk borders."""
    tone = sine(300, 44100, 0.5) + sine(1200, 44100, 0.5, 0.2)
    whole = Resampler(44100, 16000).process(tone)
    pieces = in_pieces(Resampler(44100, 16000), tone, [1323, 100, 7, 2000])
    length = min(len(whole), len(pieces))
    assert len(whole) == len(pieces)
    assert np.max(np.abs(whole[:length] - pieces[:length])) < 1e-4


def test_tones_above_the_new_nyquist_do_not_fold_back_as_noise() -> None:
    """A 10 kHz whistle would alias to 6 kHz at 16 kHz without the low-pass filter."""
    out = Resampler(48000, 16000).process(sine(10000, 48000))
    assert level_dbfs(out[200:]) < level_dbfs(sine(10000, 48000)) - 30


def test_upsampling_the_voice_rate_for_a_48k_speaker() -> None:
    tone = sine(440, 22050)
    out = in_pieces(Resampler(22050, 48000), tone, [512, 333])
    assert abs(len(out) - 48000) <= 3
    assert peak_frequency(out, 48000) == pytest.approx(440, abs=3)


def test_converter_turns_44k_stereo_into_16k_mono_chunks() -> None:
    converter = AudioConverter(16000, 1)
    tone = sine(500, 44100)
    stereo = np.stack([tone, tone], axis=1).reshape(-1)
    chunks = split(from_float(stereo, 44100, channels=2), 0.03)
    out = concatenate([converter.convert(c) for c in chunks])
    assert (out.rate, out.channels) == (16000, 1)
    assert abs(out.frames - 16000) <= 2
    assert peak_frequency(to_mono(to_float(out)), 16000) == pytest.approx(500, abs=3)


def test_converter_passes_the_target_format_through_untouched() -> None:
    chunk = AudioChunk(bytes(640), 16000, 1, time=12.5)
    assert AudioConverter(16000).convert(chunk) is chunk


def test_converter_keeps_capture_time_and_can_make_stereo_for_a_speaker() -> None:
    chunk = from_float(sine(440, 16000, 0.1), 16000, time=3.0)
    out = AudioConverter(16000, 2).convert(AudioChunk(chunk.samples, 16000, 1, 3.0))
    assert out.channels == 2 and out.frames == chunk.frames and out.time == 3.0


def test_levels() -> None:
    assert level_dbfs(np.zeros(100, dtype=np.float32)) == -96.0
    assert level_dbfs(sine(1000, 16000, amplitude=1.0)) == pytest.approx(-3.01, abs=0.05)


def test_split_concatenate_and_silence() -> None:
    quiet = silence(1.0, 16000)
    pieces = split(quiet, 0.3)
    assert [p.frames for p in pieces] == [4800, 4800, 4800, 1600]
    assert concatenate(pieces).samples == quiet.samples
    with pytest.raises(ValueError, match="differ"):
        concatenate([quiet, silence(0.1, 22050)])
