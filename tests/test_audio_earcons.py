"""Earcons: short, soft, committed sounds that the generating script reproduces exactly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from voice_coach.audio_io.convert import level_dbfs, to_float, to_mono
from voice_coach.audio_io.earcons import EARCONS, earcon
from voice_coach.resources import audio_dir


@pytest.mark.parametrize("name", EARCONS)
def test_earcons_are_short_soft_and_click_free(name: str) -> None:
    sound = earcon(name)
    samples = to_mono(to_float(sound))
    assert sound.channels == 1 and 0.1 <= sound.seconds <= 0.4
    assert level_dbfs(samples) > -40, "audible"
    assert np.max(np.abs(samples)) <= 0.3, "gentle next to full-scale speech"
    assert abs(samples[0]) < 0.01 and abs(samples[-1]) < 0.01, "fades in and out"


def test_listening_rises_and_got_it_falls() -> None:
    def pitch(samples: np.ndarray) -> float:
        spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
        return float(np.argmax(spectrum))

    for name, rises in (("listening", True), ("got_it", False)):
        samples = to_mono(to_float(earcon(name)))
        half = len(samples) // 2
        assert (pitch(samples[half:]) > pitch(samples[:half])) == rises, name


def test_the_script_regenerates_the_committed_files(tmp_path: Path) -> None:
    script = audio_dir() / "make_earcons.py"
    subprocess.run([sys.executable, str(script), str(tmp_path)], check=True, capture_output=True)
    for name in EARCONS:
        committed = (audio_dir() / "earcons" / f"{name}.wav").read_bytes()
        assert (tmp_path / f"{name}.wav").read_bytes() == committed


def test_an_unknown_earcon_is_refused() -> None:
    with pytest.raises(ValueError, match="listening"):
        earcon("ding")
