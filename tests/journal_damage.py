"""Ways to damage a journal file on purpose, for the tests of refusing and salvaging it."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def damage_index(path: Path) -> None:
    """Overwrite the page of one index with noise: the rows stay readable, the check fails."""
    conn = sqlite3.connect(path)
    (root,) = conn.execute(
        "SELECT rootpage FROM sqlite_master WHERE name = 'answers_by_session'"
    ).fetchone()
    (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xa5" * page_size)
