"""The journal's schema as a list of small migrations, applied in order, each in one transaction.

Modelled on simonw/llm's `migrations.py`: a migration is a function that
changes the schema one step; `_migrations` records each step that was applied,
so opening an older journal brings it up to date and a journal written by a
newer Voice Coach is refused instead of misread. Never edit a migration that
has shipped: add a new one at the end.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from voice_coach.errors import JournalError

log = logging.getLogger(__name__)

MigrationFunc = Callable[[sqlite3.Connection], None]


@dataclass(frozen=True)
class Migration:
    """One step of the schema."""

    version: int
    """Its position in `MIGRATIONS` (1-based); the schema version once applied."""
    name: str
    """The function name, recorded in `_migrations` for people reading the file."""
    func: MigrationFunc


MIGRATIONS: list[Migration] = []


def migration(func: MigrationFunc) -> MigrationFunc:
    """Register `func` as the next migration (order of definition is the order applied)."""
    MIGRATIONS.append(Migration(len(MIGRATIONS) + 1, func.__name__, func))
    return func


# Each statement runs through `execute` (never `executescript`, which would
# commit the surrounding transaction half-way).


@migration
def m001_sessions_answers_profile(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            exercise TEXT NOT NULL,
            started_at TEXT NOT NULL,
            ended_at TEXT,
            status TEXT NOT NULL
        )"""
    )
    conn.execute(
        """CREATE TABLE answers (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            question TEXT NOT NULL,
            answer_text TEXT NOT NULL,
            answer_number REAL,
            created_at TEXT NOT NULL
        )"""
    )
    conn.execute("CREATE TABLE profile (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


@migration
def m002_urges_lapses(conn: sqlite3.Connection) -> None:
    conn.execute(
        """CREATE TABLE urges (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL UNIQUE REFERENCES sessions(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            intensity_before INTEGER,
            intensity_after INTEGER,
            trigger TEXT,
            what_helped TEXT,
            method TEXT
        )"""
    )
    conn.execute(
        """CREATE TABLE lapses (
            id INTEGER PRIMARY KEY,
            session_id INTEGER REFERENCES sessions(id) ON DELETE SET NULL,
            occurred_at TEXT NOT NULL,
            reset_count INTEGER NOT NULL
        )"""
    )


@migration
def m003_indexes(conn: sqlite3.Connection) -> None:
    """Indexes for the queries the coach runs every session (latest answers, weekly figures)."""
    conn.execute("CREATE INDEX answers_by_session ON answers(session_id)")
    conn.execute("CREATE INDEX sessions_by_exercise ON sessions(exercise, status)")
    conn.execute("CREATE INDEX urges_by_time ON urges(created_at)")


def latest_version() -> int:
    return len(MIGRATIONS)


def applied_versions(conn: sqlite3.Connection) -> set[int]:
    """The versions recorded in `_migrations` (empty for a new file)."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_migrations'"
    ).fetchone()
    if not exists:
        return set()
    return {int(row[0]) for row in conn.execute("SELECT version FROM _migrations")}


def check_not_newer(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a journal with steps this version does not know: it would be misread."""
    done = applied_versions(conn)
    if done and max(done) > latest_version():
        raise JournalError(
            f"The journal {path} was made by a newer Voice Coach (schema version "
            f"{max(done)}; this version understands up to {latest_version()}). "
            "Upgrade Voice Coach to use it. The file was not changed."
        )


def apply(conn: sqlite3.Connection, path: Path, upto: int | None = None) -> list[str]:
    """Apply the missing migrations (up to version `upto`, default all); returns their names.

    `conn` must be in autocommit mode (`isolation_level=None`) so each step's
    BEGIN/COMMIT is ours. Each step re-checks inside its write lock, so two
    processes opening a new journal at once cannot apply a step twice.
    """
    check_not_newer(conn, path)
    target = latest_version() if upto is None else upto
    applied: list[str] = []
    for step in MIGRATIONS[:target]:
        if step.version in applied_versions(conn):
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            if step.version not in applied_versions(conn):
                conn.execute(
                    """CREATE TABLE IF NOT EXISTS _migrations (
                        version INTEGER PRIMARY KEY,
                        name TEXT NOT NULL,
                        applied_at TEXT NOT NULL
                    )"""
                )
                step.func(conn)
                conn.execute(
                    "INSERT INTO _migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    (
                        step.version,
                        step.name,
                        datetime.now().astimezone().isoformat(timespec="seconds"),
                    ),
                )
                applied.append(step.name)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    if applied:
        log.info("Journal schema upgraded: %s", ", ".join(applied))
    return applied
