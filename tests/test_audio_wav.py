"""WAV files in and out: the formats we write, and clear errors for what we cannot read."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from voice_coach.audio_io.convert import silence
from voice_coach.audio_io.wav import read_wav, write_wav
from voice_coach.errors import AudioFileError
from voice_coach.messages import AudioChunk


def test_round_trip(tmp_path: Path) -> None:
    samples = np.arange(-500, 500, dtype="<i2").tobytes()
    path = tmp_path / "a.wav"
    frames = write_wav(path, [AudioChunk(samples[:1000], 22050), AudioChunk(samples[1000:], 22050)])
    assert frames == 1000
    chunk = read_wav(path)
    assert (chunk.rate, chunk.channels, chunk.samples) == (22050, 1, samples)


def test_a_text_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.wav"
    path.write_text("not audio")
    with pytest.raises(AudioFileError, match=r"notes\.wav is not a WAV file"):
        read_wav(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(AudioFileError, match="does not exist"):
        read_wav(tmp_path / "nothing.wav")


def test_8_bit_audio_is_read_as_16_bit(tmp_path: Path) -> None:
    path = tmp_path / "old.wav"
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(1)
        wav.setframerate(8000)
        wav.writeframes(bytes([128, 192]) * 400)  # left silent, right at half scale
    chunk = read_wav(path)
    assert (chunk.rate, chunk.channels, chunk.frames) == (8000, 2, 400)
    left_right = np.frombuffer(chunk.samples, "<i2").reshape(-1, 2)
    assert left_right[:, 0].tolist() == [0] * 400
    assert left_right[:, 1].tolist() == [16384] * 400


def test_a_failed_write_leaves_no_partial_file(tmp_path: Path) -> None:
    path = tmp_path / "mixed.wav"
    with pytest.raises(ValueError, match="share rate"):
        write_wav(path, [silence(0.1, 16000), silence(0.1, 22050)])
    assert not path.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".mixed")]


def test_writing_into_a_missing_folder_is_an_os_error(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        write_wav(tmp_path / "no" / "such" / "x.wav", [silence(0.1, 16000)])
