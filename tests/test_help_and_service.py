"""Help text keeps command and model names whole; `--data-dir` reaches the service unit."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def _run(*args: str, columns: str = "60", **env: str) -> subprocess.CompletedProcess[str]:
    full = dict(os.environ, PYTHONPATH=str(REPO), COLUMNS=columns, **env)
    return subprocess.run([sys.executable, "-m", "voice_coach", *args], capture_output=True,
                          text=True, env=full, cwd=REPO, timeout=120)


def test_help_never_breaks_a_name_at_a_hyphen() -> None:
    for columns in ("50", "60", "72", "80"):
        got = _run("models", "--help", columns=columns)
        assert got.returncode == 0
        assert "vosk-model-small-en-us-0.15" in got.stdout, got.stdout
        assert not any(line.rstrip().endswith("-") for line in got.stdout.splitlines())


def test_service_unit_keeps_the_data_dir(tmp_path: Path) -> None:
    folder = tmp_path / "my coach"
    got = _run("--data-dir", str(folder), "service", "show")
    assert got.returncode == 0, got.stderr
    exec_line = next(line for line in got.stdout.splitlines() if line.startswith("ExecStart="))
    assert f"--data-dir '{folder}' run --service" in exec_line
    config = tmp_path / "config"
    installed = _run("--data-dir", str(folder), "service", "install", XDG_CONFIG_HOME=str(config))
    assert installed.returncode == 0, installed.stderr
    unit = (config / "systemd" / "user" / "voice-coach.service").read_text()
    assert f"--data-dir '{folder}'" in unit
