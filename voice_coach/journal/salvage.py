"""Read a damaged journal row by row, so every answer that survives on disk is saved.

The damaged file is never opened for writing: it is copied (with its -wal)
into a private temporary folder first, a cut-off copy is padded back to the
length its header declares, and each table is scanned; where a scan breaks on
a bad page, the following row ids are probed one by one, so the rows on every
surviving page are read. (The `sqlite3` CLI's `.recover` would be the other
way, but Debian 12's and Raspberry Pi OS's build lacks the `sqlite_dbpage`
table it needs: it fails with "SQL logic error" on every damaged file.)

Answers whose session row is lost are kept under a stand-in session, so a
damaged `sessions` page no longer hides every answer.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from voice_coach.errors import JournalError
from voice_coach.journal import database, snapshot
from voice_coach.journal.records import JournalDump

log = logging.getLogger(__name__)

PROBE_AHEAD = 2000
"""Row ids tried one by one past a break in a table scan."""

TABLES: dict[str, str] = {
    "sessions": "id, exercise, started_at, ended_at, status",
    "answers": "id, session_id, key, question, answer_text, answer_number, created_at",
    "urges": "id, session_id, created_at, intensity_before, intensity_after, trigger, "
    "what_helped, method",
    "lapses": "id, session_id, occurred_at, reset_count",
    "profile": "key, value",
}


@contextmanager
def _private_copy(path: Path) -> Iterator[Path]:
    """A copy of the journal and its side files in a 0700 temporary folder."""
    with tempfile.TemporaryDirectory(prefix="voice-coach-salvage-") as folder:
        copy = Path(folder) / path.name
        for source in (path, *database.side_files(path)):
            if source.exists():
                shutil.copyfile(source, Path(folder) / source.name)
        _pad_truncated(copy)
        yield copy


def _pad_truncated(copy: Path) -> None:
    """Give a cut-off copy back the length its header declares (the lost pages read as empty).

    SQLite refuses a file shorter than its page count says, even for pages that
    survived; zero-filled pages in their place let every surviving page be read.
    """
    with copy.open("r+b") as handle:
        header = handle.read(100)
        if len(header) < 100 or not header.startswith(b"SQLite format 3\0"):
            return
        page_size = int.from_bytes(header[16:18], "big")
        page_size = 65536 if page_size == 1 else page_size
        pages = int.from_bytes(header[28:32], "big")
        size = handle.seek(0, 2)
        wanted = max(pages * page_size, -(-size // page_size) * page_size)
        if page_size >= 512 and size < wanted:
            handle.truncate(wanted)
            log.warning("the journal is %d bytes short; salvaging the pages that remain",
                        wanted - size)


def _probe_rows(conn: sqlite3.Connection, table: str, columns: str,
                warnings: list[str]) -> list[Any]:
    """All rows a full scan gives; past a bad page, the next row ids one at a time."""
    rows: list[Any] = []
    last = 0
    try:
        for row in conn.execute(f"SELECT rowid, {columns} FROM {table} ORDER BY rowid"):
            rows.append(row[1:])
            last = int(row[0])
        return rows
    except sqlite3.Error as exc:
        warnings.append(f"{table}: a scan stopped at a damaged page ({exc}); reading row by row")
    misses = 0
    rowid = last
    while misses < PROBE_AHEAD:
        rowid += 1
        try:
            sql = f"SELECT {columns} FROM {table} WHERE rowid = ?"
            row = conn.execute(sql, (rowid,)).fetchone()
        except sqlite3.Error:
            row = None
        if row is None:
            misses += 1
            continue
        misses = 0
        rows.append(row)
    return rows


def _read_table_by_table(conn: sqlite3.Connection, warnings: list[str]) -> JournalDump:
    """A `JournalDump` from a connection where any table may be partly unreadable."""
    raw = {name: _probe_rows(conn, name, cols, warnings) for name, cols in TABLES.items()}
    convert: dict[str, Callable[[Any], Any]] = {
        "sessions": snapshot._session, "answers": snapshot._answer,
        "urges": snapshot._urge, "lapses": snapshot._lapse,
        "profile": lambda r: (str(r[0]), str(r[1])),
    }
    parsed: dict[str, list[Any]] = {}
    for name, rows in raw.items():
        parsed[name] = []
        for row in rows:
            try:
                parsed[name].append(convert[name](row))
            except (ValueError, TypeError, IndexError):
                warnings.append(f"skipped an unreadable row in {name}")
    return snapshot.assemble(parsed, warnings)


def recover(path: Path) -> tuple[JournalDump, str]:
    """(everything readable from the damaged journal at `path`, how it was read).

    Raises `JournalError` when not a single row can be read.
    """
    if not path.is_file():
        raise JournalError(f"There is no journal at {path} to salvage.")
    with _private_copy(path) as copy:
        method = "a row-by-row scan"
        warnings: list[str] = []
        try:
            conn = sqlite3.connect(copy.resolve().as_uri() + "?mode=ro", uri=True)
        except sqlite3.Error as exc:
            raise database.translate(exc, path) from None
        try:
            dump = _read_table_by_table(conn, warnings)
        finally:
            conn.close()
    if dump.is_empty and not dump.profile:
        raise JournalError(
            f"Nothing could be read from the journal {path}: it is too damaged. It was not "
            "changed; keep it if you may want expert help, or move it away to start afresh."
        )
    return dump, method


def salvage_file_for(path: Path, now: datetime) -> Path:
    """Where the salvaged copy goes: a new file beside the journal, never over anything."""
    stamp = now.strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}-salvaged-{stamp}.json")
    number = 1
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.stem}-salvaged-{stamp}-{number}.json")
    return candidate
