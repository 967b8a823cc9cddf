"""Opening the journal's SQLite file: private file modes, durable settings, honest errors.

The journal holds health information, so the file and SQLite's -wal/-shm side
files are readable only by their owner (SQLite gives the side files the mode
of the database file). Every answer must survive a power cut: WAL with
`synchronous=FULL`, and every write committed before the call returns.
A damaged file is checked through a read-only connection before anything
could write to it, and is never changed, moved or deleted here.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from pathlib import Path

from voice_coach.errors import JournalError
from voice_coach.paths import ensure_private_dir

log = logging.getLogger(__name__)

BUSY_TIMEOUT = 5.0
"""Seconds to wait for another process's write before giving up."""

SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


class DamagedJournalError(JournalError):
    """The file is not a SQLite database, or its integrity check fails."""


class MissingJournalError(JournalError):
    """There is no journal file yet (and the caller asked not to create one)."""


def side_files(path: Path) -> list[Path]:
    """SQLite's companion files of `path` (they hold recent answers until checkpointed)."""
    return [path.with_name(path.name + suffix) for suffix in SIDE_SUFFIXES]


def locked_error(path: Path) -> JournalError:
    return JournalError(
        f"The journal {path} is locked: another Voice Coach may be running. "
        "Close it (or wait for it to finish) and try again."
    )


def damaged_error(path: Path, detail: str) -> DamagedJournalError:
    return DamagedJournalError(
        f"The journal {path} is damaged ({detail}). It was NOT modified. "
        "To recover: run `voice-coach journal salvage`, which saves everything still readable "
        "to a new file beside it; then move it away together with its -wal/-shm files "
        f"(mkdir {path.parent}/damaged && mv {path}* {path.parent}/damaged/); Voice Coach "
        "then starts a new, empty journal."
    )


def _cannot_write(path: Path, exc: BaseException) -> JournalError | None:
    """A message for a full disk or a read-only folder, whatever error SQLite chose to report."""
    import errno
    import shutil

    folder = path.parent if path.parent.exists() else path.parent.parent
    number = getattr(exc, "errno", None)
    try:
        full = number == errno.ENOSPC or shutil.disk_usage(folder).free < 64 * 1024
        read_only = number == errno.EROFS or bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return None
    if full:
        return JournalError(
            f"The disk holding the journal {path} is full, so nothing you say could be saved. "
            "Free some space (e.g. `voice-coach models remove NAME`, or empty the bin) and "
            "start again."
        )
    if read_only:
        return JournalError(
            f"The journal {path} is on a read-only disk or folder, so nothing you say could be "
            "saved. Remount it read-write, or choose another folder with --data-dir."
        )
    return None


def translate(exc: sqlite3.Error, path: Path) -> JournalError:
    """Turn an SQLite error into a message that names the file and the next step."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return locked_error(path)
    if name.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
        return damaged_error(path, str(exc))
    if name.startswith(("SQLITE_FULL", "SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM",
                        "SQLITE_IOERR")):
        specific = _cannot_write(path, exc)
        if specific is not None:
            return specific
    if name.startswith("SQLITE_FULL"):
        return JournalError(
            f"The disk holding the journal {path} is full. Free some space and try again."
        )
    if name.startswith(("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_IOERR")):
        return JournalError(
            f"The journal {path} cannot be opened for writing ({exc}). Check that the "
            "folder exists and belongs to you, or choose another one with --data-dir."
        )
    return JournalError(f"The journal {path} could not be used ({exc}).")


def _make_private(path: Path) -> None:
    """chmod 0600 the database and any side files (fixes files made under a loose umask)."""
    for candidate in (path, *side_files(path)):
        try:
            if candidate.stat().st_mode & 0o077:
                candidate.chmod(0o600)
        except FileNotFoundError:
            continue


def _create_file(path: Path) -> None:
    """Create an empty database file with mode 0600 before SQLite ever opens it."""
    try:
        ensure_private_dir(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    except OSError as exc:
        specific = _cannot_write(path, exc)
        if specific is not None:
            raise specific from None
        raise JournalError(
            f"Cannot create the journal {path} ({exc.strerror}). Check the folder's "
            "permissions, or choose another one with --data-dir."
        ) from None
    os.close(fd)
    log.info("Created a new journal at %s", path)


def readonly_connection(path: Path, timeout: float = BUSY_TIMEOUT) -> sqlite3.Connection:
    """A connection that cannot write to the file (for checks and salvage)."""
    uri = path.resolve().as_uri() + "?mode=ro"
    try:
        return sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise translate(exc, path) from None


def check_integrity(path: Path, timeout: float = BUSY_TIMEOUT) -> None:
    """Raise `DamagedJournalError` unless `PRAGMA quick_check` passes on a read-only view."""
    conn = readonly_connection(path, timeout)
    try:
        rows = conn.execute("PRAGMA quick_check").fetchall()
    except sqlite3.Error as exc:
        raise translate(exc, path) from None
    finally:
        conn.close()
    if [tuple(row) for row in rows] != [("ok",)]:
        lines = [
            line.strip()
            for row in rows
            for line in str(row[0]).splitlines()
            if line.strip() and not line.startswith("***")
        ]
        first = lines[0] if lines else "unknown problem"
        raise damaged_error(path, f"integrity check failed: {first}")


def connect(
    path: Path, *, create: bool = True, timeout: float = BUSY_TIMEOUT
) -> sqlite3.Connection:
    """Open (or create) the journal file, checked and configured for durability.

    The connection is in autocommit mode: a single statement commits by itself;
    callers wrap multi-statement writes in BEGIN IMMEDIATE / COMMIT.
    """
    if path.is_dir():
        raise JournalError(f"The journal path {path} is a folder, not a file. Move it away.")
    if path.exists() and path.stat().st_size > 0:
        check_integrity(path, timeout)
    elif not path.exists():
        if not create:
            raise MissingJournalError(f"There is no journal at {path} yet: nothing recorded.")
        _create_file(path)
    _make_private(path)
    try:
        conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise translate(exc, path) from None
    try:
        mode = conn.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            log.warning("Journal %s is in %s mode, not WAL", path, mode)
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(f"PRAGMA busy_timeout={int(timeout * 1000)}")
    except sqlite3.Error as exc:
        conn.close()
        raise translate(exc, path) from None
    _make_private(path)
    return conn


def in_use(file: Path) -> bool:
    """True when another process has the journal open (it would keep writing to a ghost file).

    An exclusive lock in WAL mode is refused while any other connection is
    open. Any other error (e.g. a damaged file) does not stop a deletion.
    """
    try:
        conn = sqlite3.connect(file, timeout=0.5, isolation_level=None)
    except sqlite3.Error:
        return False
    try:
        conn.execute("PRAGMA locking_mode=EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")
    except sqlite3.Error as exc:
        name = str(getattr(exc, "sqlite_errorname", ""))
        return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))
    finally:
        conn.close()
    return False
