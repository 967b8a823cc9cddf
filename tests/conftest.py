"""Shared fixtures: every test gets its own Voice Coach home, never the real one."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest

from voice_coach.journal.store import Journal

REPO = Path(__file__).resolve().parent.parent

# PulseAudio server and Piper voice fixtures for the audio tests.
pytest_plugins = ("audio_fixtures", "wyoming_fixtures")


@pytest.fixture(autouse=True)
def coach_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private VOICE_COACH_HOME for each test (config, journal and cache go there)."""
    home = tmp_path / "coach-home"
    home.mkdir()
    monkeypatch.setenv("VOICE_COACH_HOME", str(home))
    yield home


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()


def run_cli(*args: str, input: str | None = None, home: Path | None = None,
            timeout: float = 120) -> CliResult:
    """Run `python -m voice_coach ARGS` as a person would, in a fresh process."""
    env = dict(os.environ)
    if home is not None:
        env["VOICE_COACH_HOME"] = str(home)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run(
        [sys.executable, "-m", "voice_coach", *args],
        input=input, capture_output=True, text=True, env=env, timeout=timeout, cwd=REPO,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


class Cli(Protocol):
    """The `cli` fixture: `cli("chat", "--fast", input="...")` in the test's private home."""

    def __call__(self, *args: str, input: str | None = None, timeout: float = 120) -> CliResult:
        ...


@pytest.fixture
def cli(coach_home: Path) -> Cli:
    """Call the CLI in the test's private home: `cli("chat", "--fast", input="...")`."""

    def call(*args: str, input: str | None = None, timeout: float = 120) -> CliResult:
        return run_cli(*args, input=input, home=coach_home, timeout=timeout)

    return call


PINNED_SETTINGS = 'evening_reflection_time = "off"\n'
"""Settings every coach started by a test gets unless the test is about the clock: the
evening offer would otherwise open the conversation after 21:00 and the suite would
depend on the hour it runs."""


@pytest.fixture
def named_home(coach_home: Path) -> Path:
    """A home whose settings already name the person, so chat skips the name question.

    The evening offer is off (`PINNED_SETTINGS`): tests behave the same at any hour.
    """
    (coach_home / "config.toml").write_text('name = "Sam"\n' + PINNED_SETTINGS, encoding="utf-8")
    return coach_home


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    """A real SQLite journal in the test's own folder."""
    with Journal.open(tmp_path / "journal.sqlite3") as opened:
        yield opened
