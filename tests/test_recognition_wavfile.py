"""Reading any WAV as 16 kHz mono int16: formats, channels, rates and bad files."""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pytest

from voice_coach.audio_io.convert import resample
from voice_coach.audio_io.wav import parse_wav
from voice_coach.errors import AudioFileError
from voice_coach.recognition.wavfile import chunks, read_wav


def wav_bytes(
    samples: np.ndarray, rate: int, bits: int = 16, fmt: int = 1, extensible: bool = False
) -> bytes:
    """Build a WAV file by hand (samples: frames x channels, floats in [-1, 1])."""
    _frames, channels = samples.shape
    if fmt == 3:
        data = samples.astype("<f4" if bits == 32 else "<f8").tobytes()
    elif bits == 16:
        data = (samples * 32767).astype("<i2").tobytes()
    elif bits == 24:
        ints = (samples * (2**23 - 1)).astype("<i4").reshape(-1)
        data = b"".join(int(v).to_bytes(4, "little", signed=True)[:3] for v in ints)
    else:
        raise ValueError(bits)
    block = channels * bits // 8
    tag = 0xFFFE if extensible else fmt
    fmt_body = struct.pack("<HHIIHH", tag, channels, rate, rate * block, block, bits)
    if extensible:
        guid = struct.pack("<H", fmt) + b"\x00\x00\x00\x00\x10\x00\x80\x00\x00\xaa\x00\x38\x9b\x71"
        fmt_body += struct.pack("<HHI", 22, bits, 0) + guid
    chunks_ = b"fmt " + struct.pack("<I", len(fmt_body)) + fmt_body
    chunks_ += b"data" + struct.pack("<I", len(data)) + data
    return b"RIFF" + struct.pack("<I", 4 + len(chunks_)) + b"WAVE" + chunks_


def tone(freq: float, rate: int, seconds: float = 0.5, channels: int = 1) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    mono = 0.5 * np.sin(2 * np.pi * freq * t)
    return np.repeat(mono[:, None], channels, axis=1)


def peak_hz(pcm: bytes, rate: int = 16000) -> float:
    x = np.frombuffer(pcm, "<i2").astype(float)
    spectrum = np.abs(np.fft.rfft(x))
    return float(np.argmax(spectrum) * rate / len(x))


def test_16k_mono_16bit_passes_through_unchanged(tmp_path: Path) -> None:
    samples = tone(440, 16000)
    path = tmp_path / "a.wav"
    path.write_bytes(wav_bytes(samples, 16000))
    pcm = read_wav(path)
    expected = (samples[:, 0] * 32767).astype("<i2")
    assert np.abs(np.frombuffer(pcm, "<i2").astype(int) - expected).max() <= 1


@pytest.mark.parametrize(
    ("rate", "bits", "fmt", "channels", "extensible"),
    [
        (44100, 16, 1, 2, False),
        (48000, 24, 1, 2, True),
        (22050, 32, 3, 1, False),
        (8000, 16, 1, 1, False),
        (48000, 64, 3, 6, True),
    ],
)
def test_any_format_becomes_16k_mono_with_the_same_pitch(
    tmp_path: Path, rate: int, bits: int, fmt: int, channels: int, extensible: bool
) -> None:
    path = tmp_path / "in.wav"
    path.write_bytes(wav_bytes(tone(440, rate, 0.5, channels), rate, bits, fmt, extensible))
    pcm = read_wav(path)
    assert len(pcm) // 2 == pytest.approx(8000, abs=2)
    assert peak_hz(pcm) == pytest.approx(440, abs=4)


def test_downsampling_filters_tones_above_8khz_instead_of_folding_them() -> None:
    # A 12 kHz tone at 48 kHz would alias to 4 kHz without the low-pass filter.
    x = tone(12000, 48000, 0.5)[:, 0]
    out = resample(x, 48000, 16000)
    assert np.sqrt(np.mean(out[200:-200] ** 2)) < 0.01
    speech_band = resample(tone(1000, 48000, 0.5)[:, 0], 48000, 16000)
    assert np.sqrt(np.mean(speech_band[200:-200] ** 2)) > 0.3


def test_a_text_file_is_rejected_with_one_clear_sentence(tmp_path: Path) -> None:
    path = tmp_path / "notes.wav"
    path.write_text("not audio at all")
    with pytest.raises(AudioFileError, match=r"notes\.wav is not a WAV file"):
        read_wav(path)


def test_a_missing_file_names_the_file(tmp_path: Path) -> None:
    with pytest.raises(AudioFileError, match=r"missing\.wav does not exist"):
        read_wav(tmp_path / "missing.wav")


def test_a_header_without_audio_is_called_damaged() -> None:
    with pytest.raises(AudioFileError, match="damaged"):
        parse_wav(b"RIFF\x04\x00\x00\x00WAVE", "x.wav")


def test_compressed_wav_says_how_to_convert() -> None:
    data = wav_bytes(tone(440, 8000), 8000)
    adpcm = data[:20] + struct.pack("<H", 2) + data[22:]
    with pytest.raises(AudioFileError, match="sox"):
        parse_wav(adpcm, "adpcm.wav")


def test_chunks_cover_the_audio_in_microphone_sized_pieces() -> None:
    pcm = bytes(range(256)) * 100
    parts = list(chunks(pcm, 0.1))
    assert b"".join(parts) == pcm
    assert all(len(p) == 3200 for p in parts[:-1])
