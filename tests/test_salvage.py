"""Salvage that salvages: damaged journals read row by row into a new file; full, read-only disks.

The damage is real: pages of the SQLite file overwritten or cut off. Disk-full
and read-only disks are real too: a tiny tmpfs and a read-only bind mount in a
private mount namespace (`unshare -m`, as root).
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from conftest import REPO

from voice_coach.journal.store import Journal

NOW = datetime(2026, 3, 2, 21, 0).astimezone()
ANSWERS = 26


def fill(path: Path) -> list[str]:
    """A journal of several sessions, 26 answers in all, long enough to span many pages."""
    texts = []
    with Journal.open(path) as journal:
        for s in range(6):
            session = journal.start_session("evening_reflection", NOW)
            for a in range(ANSWERS // 6 + (1 if s < ANSWERS % 6 else 0)):
                text = f"answer {s}.{a}: " + "what went well today was the walk " * 30
                journal.record_answer(session, f"k{a}", "What went well?", text, None, NOW)
                texts.append(text)
            journal.end_session(session, "completed", NOW)
    return texts


def _page(path: Path, table: str) -> tuple[int, int]:
    conn = sqlite3.connect(path)
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    (size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    return root, size


def damage_sessions_page(path: Path) -> None:
    root, size = _page(path, "sessions")
    with path.open("r+b") as handle:
        handle.seek((root - 1) * size)
        handle.write(b"\xa5" * size)


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.8)])


def _env(home: Path) -> dict[str, str]:
    return dict(os.environ, VOICE_COACH_HOME=str(home), PYTHONPATH=str(REPO))


def coach(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "voice_coach", *args], capture_output=True,
                          text=True, env=_env(home), cwd=REPO, timeout=120)


@pytest.mark.parametrize("damage", [damage_sessions_page, truncate])
def test_a_damaged_journal_is_salvaged_to_a_new_file_beside_it(
    tmp_path: Path, damage: Callable[[Path], None],
) -> None:
    journal = tmp_path / "data" / "journal.sqlite3"
    texts = fill(journal)
    damage(journal)
    before = journal.read_bytes()

    refused = coach(tmp_path, "chat", "--fast")
    assert refused.returncode != 0
    assert "voice-coach journal salvage" in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr

    got = coach(tmp_path, "journal", "salvage")
    assert got.returncode == 0, got.stderr
    saved = [p for p in journal.parent.iterdir() if "salvaged" in p.name]
    assert len(saved) == 1 and saved[0].suffix == ".json"
    assert oct(saved[0].stat().st_mode & 0o777) == "0o600"
    data = json.loads(saved[0].read_text())
    found = [a["text"] for s in data["sessions"] for a in s["answers"]]
    assert set(found) <= set(texts)
    if damage is damage_sessions_page:
        assert len(found) == ANSWERS, "every answer survives a lost sessions page"
    else:
        assert len(found) >= ANSWERS // 3, f"only {len(found)} of {ANSWERS} saved"
    assert f"{len(found)} answer(s)" in got.stdout
    assert journal.read_bytes() == before, "the damaged journal is never changed"

    export = coach(tmp_path, "journal", "export")
    assert export.returncode == 0, export.stderr
    exported = [a["text"] for s in json.loads(export.stdout)["sessions"] for a in s["answers"]]
    assert len(exported) == len(found)


def test_garbage_is_not_salvaged_and_the_message_does_not_loop(tmp_path: Path) -> None:
    journal = tmp_path / "data" / "journal.sqlite3"
    journal.parent.mkdir(parents=True)
    journal.write_bytes(b"\x00not a database" * 500)
    got = coach(tmp_path, "journal", "salvage")
    assert got.returncode == 1
    assert "Traceback" not in got.stderr
    assert "Nothing could be read" in got.stderr, "it does not send you round in a circle"


def _in_namespace(script: str, home: Path) -> subprocess.CompletedProcess[str]:
    """Run `script` (sh) in a private mount namespace: mounts vanish when it ends."""
    if shutil.which("unshare") is None:
        pytest.fail("needs unshare (util-linux)")
    return subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True,
                          env=_env(home), cwd=REPO, timeout=180)


def _coach_cmd(*args: str) -> str:
    return " ".join([sys.executable, "-m", "voice_coach", *args])


@pytest.mark.parametrize("existing", [False, True], ids=["first-run", "existing-journal"])
def test_a_full_disk_at_start_up_says_so(tmp_path: Path, existing: bool) -> None:
    home = tmp_path / "home"
    home.mkdir()
    prepare = ""
    if existing:
        fill(tmp_path / "seed.sqlite3")
        seed = tmp_path / "seed.sqlite3"
        prepare = f"mkdir -p {home}/data && cp {seed} {home}/data/journal.sqlite3 && "
    script = (
        f"mount -t tmpfs -o size=2m tmpfs {home} && {prepare}"
        f"(dd if=/dev/zero of={home}/fill bs=4k 2>/dev/null; true) && "
        f"echo 'Sam\nI am having an urge\n7\ngoodbye' | {_coach_cmd('chat', '--fast')}"
    )
    got = _in_namespace(script, home)
    assert got.returncode != 0
    assert "is full" in got.stderr, got.stderr
    assert "Free some space" in got.stderr
    assert "Traceback" not in got.stderr


def test_a_read_only_disk_at_start_up_says_so(tmp_path: Path) -> None:
    home = tmp_path / "home"
    fill(home / "data" / "journal.sqlite3")
    script = (
        f"mount --bind {home} {home} && mount -o remount,bind,ro {home} && "
        f"echo 'goodbye' | {_coach_cmd('chat', '--fast')}; "
        f"{_coach_cmd('config', 'set', 'name', 'Sam')}"
    )
    got = _in_namespace(script, home)
    assert got.stderr.count("read-only") >= 1, got.stderr
    assert "Cannot write the settings file" in got.stderr
    assert "Traceback" not in got.stderr
