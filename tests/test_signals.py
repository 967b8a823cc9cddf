"""SIGTERM and SIGINT at random moments, start-up included: clean exit, nothing lost.

A bounded share of `benchmarks/kill_loop.py` (which gives the figures with
more runs); a fixed seed keeps a failure reproducible.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import PINNED_SETTINGS, REPO

from benchmarks.kill_loop import EXPECTED_EXIT, run_once, time_to_first_answer
from voice_coach.journal.store import Journal

RUNS = 12


def test_chat_ends_cleanly_whenever_it_is_stopped() -> None:
    rng = random.Random(2026)
    window = time_to_first_answer() + 3.0  # start-up, then a few answers, however loaded
    outcomes = []
    for number in range(RUNS):
        signum = (signal.SIGTERM, signal.SIGINT)[number % 2]
        outcomes.append(run_once(signum, rng.uniform(0.0, window)))
    for outcome in outcomes:
        assert outcome.clean, outcome
    assert sum(o.acknowledged for o in outcomes) > 0, "some runs got as far as answers"
    assert any(o.integrity == "no journal" or o.acknowledged == 0 for o in outcomes), (
        "some signals landed during start-up"
    )


@pytest.mark.audio
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_voice_mode_ends_cleanly_during_start_up_and_while_listening(
    tmp_path: Path, signum: signal.Signals
) -> None:
    rng = random.Random(int(signum))
    for delay in (rng.uniform(0.3, 2.0), None):  # while loading; then once listening
        home = tmp_path / f"home-{delay}"
        home.mkdir()
        # Not the evening offer after 21:00: the same start-up at whatever hour this runs.
        (home / "config.toml").write_text(PINNED_SETTINGS, encoding="utf-8")
        env = dict(os.environ, VOICE_COACH_HOME=str(home), PYTHONPATH=str(REPO))
        log = tmp_path / "run.log"
        with log.open("w") as err:
            proc = subprocess.Popen([sys.executable, "-m", "voice_coach", "-v", "run", "--service"],
                                    stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=err, env=env, cwd=REPO)
            if delay is None:
                deadline = time.monotonic() + 120
                while "listening" not in log.read_text() and time.monotonic() < deadline:
                    time.sleep(0.2)
                time.sleep(rng.uniform(0.0, 2.0))
            else:
                time.sleep(delay)
            proc.send_signal(signum)
            returncode = proc.wait(timeout=60)
        text = log.read_text()
        assert returncode == EXPECTED_EXIT[signum], text
        assert "Traceback" not in text
        assert "Voice Coach stopped" in text
        journal = home / "data" / "journal.sqlite3"
        if journal.exists():
            with Journal.open(journal) as opened:
                assert all(s.status != "active" for s in opened.snapshot().sessions)
