"""Answers survive kill -9; locked or broken files are explained, never changed."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from journal_damage import damage_index

from voice_coach.errors import JournalError
from voice_coach.journal import snapshot
from voice_coach.journal.database import DamagedJournalError
from voice_coach.journal.store import Journal

REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2024, 5, 20, 21, 0).astimezone()


def _python(code: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _wait_for(proc: subprocess.Popen[str], word: str) -> None:
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    if line != word:
        proc.kill()
        _, err = proc.communicate()
        pytest.fail(f"helper process said {line!r} instead of {word!r}: {err}")


def test_answers_survive_kill_9(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    proc = _python(
        f"""
        import sys, time
        from datetime import datetime
        from voice_coach.journal.store import Journal
        journal = Journal.open({str(path)!r})
        now = datetime.now().astimezone()
        session = journal.start_session("cost_benefit", now)
        for i in range(25):
            journal.record_answer(session, f"reason_{{i}}", "Why?", f"reason {{i}} ✨", i, now)
        journal.save_urge(session, now, intensity_before=9)
        journal.set_profile("name", "Zoë")
        print("ready", flush=True)
        time.sleep(600)
        """
    )
    try:
        _wait_for(proc, "ready")
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    # Nothing was checkpointed on a clean close: the answers are in the write-ahead log.
    assert path.with_name(path.name + "-wal").stat().st_size > 0

    with Journal.open(path) as journal:
        answers = journal.latest_answers("cost_benefit")
        dump = journal.snapshot()
    assert answers == {f"reason_{i}": f"reason {i} ✨" for i in range(25)}
    assert [a.number for a in dump.sessions[0].answers] == [float(i) for i in range(25)]
    assert dump.urges[0].intensity_before == 9
    assert dump.profile == {"name": "Zoë"}


@pytest.fixture
def write_lock(tmp_path: Path) -> Iterator[Path]:
    """Another process holding a write transaction on an up-to-date journal."""
    path = tmp_path / "journal.sqlite3"
    Journal.open(path).close()
    proc = _python(
        f"""
        import sqlite3, sys
        conn = sqlite3.connect({str(path)!r}, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        print("locked", flush=True)
        sys.stdin.readline()
        """
    )
    try:
        _wait_for(proc, "locked")
        yield path
    finally:
        proc.communicate("\n", timeout=30)


def test_a_write_blocked_by_another_process_names_the_file(write_lock: Path) -> None:
    with Journal.open(write_lock, busy_timeout=0.2) as journal:
        assert journal.get_profile("name") is None  # reading still works (WAL)
        with pytest.raises(JournalError) as caught:
            journal.set_profile("name", "Sam")
    message = str(caught.value)
    assert str(write_lock) in message
    assert "another Voice Coach may be running" in message


def test_upgrading_a_locked_journal_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(JournalError, match="another Voice Coach may be running") as caught:
            Journal.open(path, busy_timeout=0.2)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert str(path) in str(caught.value)
    Journal.open(path).close()  # once released, the journal opens normally


def _assert_damaged_message(message: str, path: Path) -> None:
    assert str(path) in message
    assert "NOT modified" in message
    assert "voice-coach journal salvage" in message
    assert "move it away" in message


def test_a_file_that_is_not_a_database_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    garbage = bytes(range(256)) * 40 + "not a journal 🙃".encode()
    path.write_bytes(garbage)
    with pytest.raises(DamagedJournalError) as caught:
        Journal.open(path)
    _assert_damaged_message(str(caught.value), path)
    assert path.read_bytes() == garbage
    with pytest.raises(DamagedJournalError):
        snapshot.salvage(path)  # nothing at all can be read from garbage
    assert path.read_bytes() == garbage


def test_a_damaged_journal_is_refused_unchanged_and_can_be_salvaged(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path) as journal:
        session = journal.start_session("evening_reflection", NOW)
        for i in range(40):
            journal.record_answer(session, f"k{i}", "What went well?", f"thing {i} 🌟", None, NOW)
    damage_index(path)
    before = path.read_bytes()

    with pytest.raises(DamagedJournalError) as caught:
        Journal.open(path)
    _assert_damaged_message(str(caught.value), path)
    assert "integrity check failed" in str(caught.value)
    assert path.read_bytes() == before

    dump = snapshot.salvage(path)
    assert [a.text for a in dump.sessions[0].answers] == [f"thing {i} 🌟" for i in range(40)]
    assert path.read_bytes() == before
