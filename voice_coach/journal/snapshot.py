"""Reading the whole journal into a `JournalDump`: strictly, or as far as a damaged file allows.

Queries are plain table scans sorted in Python, so a damaged index does not
stop a salvage from reading the rows themselves.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

from voice_coach.journal import database
from voice_coach.journal.records import (
    AnswerRecord,
    JournalDump,
    LapseRecord,
    SessionRecord,
    UrgeRecord,
)

log = logging.getLogger(__name__)

T = TypeVar("T")


def parse_time(text: str) -> datetime:
    """A stored timestamp (ISO-8601 with offset) back as an aware datetime."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.astimezone()


def _time_or_none(text: str | None) -> datetime | None:
    return parse_time(text) if text else None


def _answer(row: Any) -> AnswerRecord:
    number = None if row[5] is None else float(row[5])
    return AnswerRecord(row[0], row[1], row[2], row[3], row[4], number, parse_time(row[6]))


def _urge(row: Any) -> UrgeRecord:
    return UrgeRecord(parse_time(row[2]), *row[3:8], id=row[0], session_id=row[1])


def _lapse(row: Any) -> LapseRecord:
    return LapseRecord(row[0], row[1], parse_time(row[2]), bool(row[3]))


def _session(row: Any) -> SessionRecord:
    return SessionRecord(row[0], row[1], parse_time(row[2]), _time_or_none(row[3]), row[4])


def _rows(
    conn: sqlite3.Connection,
    sql: str,
    convert: Callable[[Any], T],
    table: str,
    warnings: list[str] | None,
) -> list[T]:
    """Run `sql`; when salvaging (`warnings` given), note a failure instead of raising."""
    if warnings is None:
        return [convert(row) for row in conn.execute(sql)]
    out: list[T] = []
    try:
        for row in conn.execute(sql):
            try:
                out.append(convert(row))
            except (ValueError, TypeError, IndexError):
                warnings.append(f"skipped an unreadable row in {table}")
    except sqlite3.Error as exc:
        warnings.append(f"could not read all of {table}: {exc}")
    return out


def read_dump(conn: sqlite3.Connection, warnings: list[str] | None = None) -> JournalDump:
    """Everything in the journal. Pass a `warnings` list to salvage instead of raising."""
    parsed: dict[str, list[Any]] = {
        "answers": _rows(
            conn,
            "SELECT id, session_id, key, question, answer_text, answer_number, created_at "
            "FROM answers",
            _answer,
            "answers",
            warnings,
        ),
        "sessions": _rows(
            conn,
            "SELECT id, exercise, started_at, ended_at, status FROM sessions",
            _session,
            "sessions",
            warnings,
        ),
        "urges": _rows(
            conn,
            "SELECT id, session_id, created_at, intensity_before, intensity_after, trigger, "
            "what_helped, method FROM urges",
            _urge,
            "urges",
            warnings,
        ),
        "lapses": _rows(
            conn,
            "SELECT id, session_id, occurred_at, reset_count FROM lapses",
            _lapse,
            "lapses",
            warnings,
        ),
        "profile": _rows(
            conn,
            "SELECT key, value FROM profile",
            lambda r: (str(r[0]), str(r[1])),
            "profile",
            warnings,
        ),
    }
    return assemble(parsed, warnings)


LOST_SESSION = "unknown (session record lost)"
"""The exercise name of a stand-in session for answers whose session row is unreadable."""


def assemble(parsed: dict[str, list[Any]], warnings: list[str] | None = None) -> JournalDump:
    """A dump from parsed rows; answers whose session row is missing get a stand-in session."""
    by_session: dict[int, list[AnswerRecord]] = {}
    for answer in sorted(parsed["answers"], key=lambda a: a.id):
        by_session.setdefault(answer.session_id, []).append(answer)
    sessions = [
        SessionRecord(
            s.id, s.exercise, s.started_at, s.ended_at, s.status, tuple(by_session.pop(s.id, ()))
        )
        for s in parsed["sessions"]
    ]
    if by_session:
        kept = sum(len(answers) for answers in by_session.values())
        sessions += [
            SessionRecord(sid, LOST_SESSION, min(a.at for a in answers), None, "unknown",
                          tuple(answers))
            for sid, answers in by_session.items()
        ]
        if warnings is not None:
            warnings.append(f"{kept} answer(s) kept without their session record")
    return JournalDump(
        sessions=tuple(sorted(sessions, key=lambda s: (s.started_at, s.id))),
        urges=tuple(sorted(parsed["urges"], key=lambda u: (u.at, u.id))),
        lapses=tuple(sorted(parsed["lapses"], key=lambda lapse: (lapse.at, lapse.id))),
        profile=dict(parsed["profile"]),
        warnings=tuple(warnings or ()),
    )


def salvage(path: Path) -> JournalDump:
    """Read what can still be read from a damaged journal, without writing to it.

    Raises `JournalError` when nothing at all can be read (e.g. not a database).
    """
    conn = database.readonly_connection(path)
    warnings: list[str] = []
    try:
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as exc:
            raise database.translate(exc, path) from None
        dump = read_dump(conn, warnings)
    finally:
        conn.close()
    for warning in dump.warnings:
        log.warning("Salvaging %s: %s", path, warning)
    return dump
