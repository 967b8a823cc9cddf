"""A `pip install .` outside the repository works: intents and sounds ship in the wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import REPO


def test_the_wheel_carries_intents_and_audio_and_works_outside_the_repo(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
         str(REPO), "-w", str(tmp_path / "dist")],
        check=True, capture_output=True, timeout=300,
    )
    (wheel,) = (tmp_path / "dist").glob("voice_coach-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "voice_coach/_data/intents/en/crisis.yaml" in names
    assert "voice_coach/_data/audio/earcons/listening.wav" in names
    assert "voice_coach/py.typed" in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = (
        "import voice_coach, voice_coach.resources as r;"
        "from voice_coach.understanding import Understanding;"
        "print(voice_coach.__file__); print(r.intents_dir());"
        "print(Understanding.load().recognize('I am having an urge').intent)"
    )
    env = dict(os.environ, PYTHONPATH=str(site))
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=elsewhere, env=env,
        capture_output=True, text=True, check=True, timeout=120,
    ).stdout.splitlines()
    assert out[0].startswith(str(site))
    assert out[1] == str(site / "voice_coach" / "_data" / "intents" / "en")
    assert out[2] == "urge_help"
