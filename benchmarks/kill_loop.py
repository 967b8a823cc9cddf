"""Stop the coach with SIGTERM or SIGINT at random moments and count what survived.

Each run starts `voice-coach chat` in real time (not --fast) on a fresh home,
answers a change plan and an urge exercise line by line, waiting for the
coach's reply before the next line. After each reply it reads how many answers
the journal holds: those are *acknowledged* (the coach stores an answer before
it replies), whatever path the exercise took. It sends one signal at a random
moment from 0 to `--window` seconds after launch: start-up (imports, journal
opening) included. Then it checks what a person would: exit status 0 (SIGTERM) or 130 (SIGINT), no
traceback, no session left "active", the journal passes `PRAGMA
integrity_check`, and every acknowledged answer is stored.

    python -m benchmarks.kill_loop --runs 200
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

SCRIPT: list[tuple[str, bool]] = [
    ("Sam", False),
    ("I want to make a change plan", False),
    ("walk every morning", True),
    ("my health matters to me", True),
    ("buy good shoes", True),
    ("my sister could join me", True),
    ("I will feel stronger", True),
    ("the rain", True),
    ("I'm having an urge", False),
    ("6", True),
    ("the bar after work", True),
]
"""(line typed, whether it is stored as an answer): a change plan, then an urge."""
EXPECTED_EXIT = {signal.SIGTERM: 0, signal.SIGINT: 130}


@dataclass
class Outcome:
    """One run."""

    signum: int
    delay: float
    returncode: int
    acknowledged: int
    stored: int
    active_sessions: int
    integrity: str
    traceback: bool
    finished_first: bool
    """The signal came after the process had already exited."""
    before_our_code: bool = False
    """The signal came while Python itself was starting, before Voice Coach's first line ran:
    SIGTERM's default action or Python's own KeyboardInterrupt (nothing was open yet)."""

    @property
    def clean(self) -> bool:
        if self.before_our_code:
            return self.stored == 0 and self.integrity == "no journal"
        expected = EXPECTED_EXIT[signal.Signals(self.signum)]
        ok_exit = self.finished_first or self.returncode == expected
        return (ok_exit and not self.traceback and self.active_sessions == 0
                and self.integrity in ("ok", "no journal") and self.stored >= self.acknowledged)


def _answers_now(journal: Path) -> int | None:
    """Answers stored right now (read-only, while the coach runs); None before the table exists."""
    if not journal.exists():
        return None
    try:
        conn = sqlite3.connect(journal.resolve().as_uri() + "?mode=ro", uri=True, timeout=5)
        try:
            return int(conn.execute("SELECT count(*) FROM answers").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def _journal_state(journal: Path) -> tuple[int, int, str]:
    """(answers stored, sessions still active, integrity check result)."""
    if not journal.exists():
        return 0, 0, "no journal"
    conn = sqlite3.connect(journal)
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        if "answers" not in tables:
            return 0, 0, str(integrity)
        stored = conn.execute("SELECT count(*) FROM answers").fetchone()[0]
        active = conn.execute("SELECT count(*) FROM sessions WHERE status = 'active'").fetchone()[0]
        return int(stored), int(active), str(integrity)
    finally:
        conn.close()


def time_to_first_answer(python: str = sys.executable) -> float:
    """Seconds from launch until the coach has answered a request, on a fresh home, now.

    Not the greeting: the greeting plays before the understanding has loaded
    (`Understanding.load()` works behind it), so on a fresh home under load the
    first request is answered seconds after the greeting. The coach is given
    the first two lines of the script (a name, then a request) and the end of
    input; it answers both, then exits.
    """
    with tempfile.TemporaryDirectory(prefix="vc-kill-") as home:
        env = dict(os.environ, VOICE_COACH_HOME=home, PYTHONPATH=str(REPO))
        Path(home, "config.toml").write_text('evening_reflection_time = "off"\n')
        request = "".join(f"{text}\n" for text, _stored in SCRIPT[:2]).encode()
        started = time.monotonic()
        subprocess.run([python, "-m", "voice_coach", "chat"], input=request,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                       cwd=REPO, timeout=300, check=False)
        return time.monotonic() - started


def _before_install(stderr: str) -> bool:
    """True when a traceback's frames are all Python's own start-up (before the handlers)."""
    frames = re.findall(r'File "([^"]+)", line (\d+)', stderr)
    ours = [
        (file, line) for file, line in frames
        if "/voice_coach/" in file
        and not file.endswith(("voice_coach/__init__.py", "voice_coach/shutdown.py"))
        and not (file.endswith("voice_coach/__main__.py") and int(line) <= 5)
    ]
    return not ours


def run_once(signum: int, delay: float, python: str = sys.executable) -> Outcome:
    """One launch, one signal `delay` seconds after it."""
    with tempfile.TemporaryDirectory(prefix="vc-kill-") as home:
        env = dict(os.environ, VOICE_COACH_HOME=home, PYTHONPATH=str(REPO))
        # No evening-reflection offer in the way, whatever the hour the loop runs at.
        Path(home, "config.toml").write_text('evening_reflection_time = "off"\n')
        proc = subprocess.Popen(
            [python, "-m", "voice_coach", "chat"], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=REPO,
        )
        assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
        replies = threading.Semaphore(0)
        err: list[bytes] = []
        printed = [0]

        def read_out() -> None:
            assert proc.stdout is not None
            for _line in proc.stdout:
                printed[0] += 1
                replies.release()

        def read_err() -> None:
            assert proc.stderr is not None
            err.append(proc.stderr.read())

        threading.Thread(target=read_out, daemon=True).start()
        err_reader = threading.Thread(target=read_err, daemon=True)
        err_reader.start()
        acknowledged = [0]
        lines = SCRIPT
        journal = Path(home) / "data" / "journal.sqlite3"

        def feed() -> None:
            assert proc.stdin is not None
            try:
                for text, _stored in lines:
                    while replies.acquire(timeout=0.05):  # the coach has spoken: drain its lines
                        pass
                    proc.stdin.write(text.encode() + b"\n")
                    proc.stdin.flush()
                    if not replies.acquire(timeout=10):  # its answer to this line
                        return
                    now = _answers_now(journal)
                    if now is not None:
                        acknowledged[0] = max(acknowledged[0], now)
            except (BrokenPipeError, OSError):
                return

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        time.sleep(delay)
        finished_first = proc.poll() is not None
        if not finished_first:
            proc.send_signal(signum)
        try:
            returncode = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            returncode = proc.wait()
        feeder.join(timeout=2)
        err_reader.join(timeout=10)  # all of stderr, or a traceback could go unseen
        stored, active, integrity = _journal_state(journal)
        stderr = b"".join(err).decode(errors="replace")
        python_only = returncode == -signum or ("Traceback" in stderr and _before_install(stderr))
        early = python_only and printed[0] == 0 and stored == 0
        if os.environ.get("KILL_LOOP_SHOW") and ("Traceback" in stderr or returncode < 0):
            print(stderr[-1500:], file=sys.stderr)
        return Outcome(signum, delay, returncode, acknowledged[0], stored, active, integrity,
                       "Traceback" in stderr, finished_first, early)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--window", type=float, default=4.0,
                        help="signals land from 0 to this many seconds after launch")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    outcomes = []
    for number in range(args.runs):
        signum = (signal.SIGTERM, signal.SIGINT)[number % 2]
        outcomes.append(run_once(signum, rng.uniform(0.0, args.window)))
    bad = [o for o in outcomes if not o.clean]
    print(f"runs: {len(outcomes)} ({sum(o.signum == signal.SIGTERM for o in outcomes)} SIGTERM, "
          f"{sum(o.signum == signal.SIGINT for o in outcomes)} SIGINT, delays 0-{args.window:g} s)")
    print(f"answers acknowledged: {sum(o.acknowledged for o in outcomes)}")
    print(f"answers stored: {sum(o.stored for o in outcomes)}")
    early = [o for o in outcomes if o.before_our_code]
    print(f"tracebacks: {sum(o.traceback and not o.before_our_code for o in outcomes)}")
    print(f"signals before Voice Coach's first line ran (Python starting; nothing open): "
          f"{len(early)}, of which tracebacks from Python's start-up: "
          f"{sum(o.traceback for o in early)}")
    print(f"sessions left active: {sum(o.active_sessions for o in outcomes)}")
    print(f"journals failing integrity_check: "
          f"{sum(o.integrity not in ('ok', 'no journal') for o in outcomes)}")
    unexpected = sum(1 for o in bad if o.returncode != EXPECTED_EXIT[signal.Signals(o.signum)])
    print(f"unexpected exit codes: {unexpected}")
    before = sum(o.integrity == "no journal" for o in outcomes)
    print(f"signal before the journal existed: {before}")
    for outcome in bad[:10]:
        print(f"  not clean: {outcome}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
