"""The journal on SQLite: `Journal` implements `JournalPort` for the dialogue engine.

Every write is committed (and, with `synchronous=FULL`, on disk) before the
method returns, so an answer given just before a power cut or `kill -9` is
kept. Timestamps are stored as ISO-8601 text with the UTC offset they were
recorded in (what a person reads in an export); comparisons go through
SQLite's `julianday()`, which accounts for the offset.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from voice_coach import shutdown
from voice_coach.journal import database, migrations, snapshot
from voice_coach.journal.port import (
    REFLECTION_EXERCISE,
    SOBER_SINCE,
    ProgressStats,
    SessionStatus,
    UrgeEntry,
)
from voice_coach.journal.records import JournalDump

log = logging.getLogger(__name__)

"""Profile key: the ISO date the day count starts from."""


STATUSES = frozenset(value for name, value in vars(SessionStatus).items() if name.isupper())

_INSERT_ANSWER = (
    "INSERT INTO answers (session_id, key, question, answer_text, answer_number, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)
_URGE_FIELDS = ("intensity_before", "intensity_after", "trigger", "what_helped", "method")


def timestamp(at: datetime) -> str:
    """How times are stored: ISO-8601 to the second, with offset (naive = local time)."""
    aware = at if at.tzinfo else at.astimezone()
    return aware.isoformat(timespec="seconds")


class Journal:
    """The private journal of one person, in one SQLite file."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        """Use `Journal.open`; this takes an already configured and migrated connection."""
        self._conn = conn
        self._path = path
        self._lock = threading.Lock()
        """One statement (or transaction) at a time, whichever thread the engine runs on."""

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        create: bool = True,
        busy_timeout: float = database.BUSY_TIMEOUT,
    ) -> Journal:
        """Open the journal at `path`, creating it (mode 0600) and upgrading its schema.

        Raises `JournalError` when the file is locked, damaged, from a newer
        Voice Coach, or (with `create=False`) missing (`MissingJournalError`).
        """
        file = Path(path).expanduser()
        conn = database.connect(file, create=create, timeout=busy_timeout)
        try:
            migrations.apply(conn, file)
        except sqlite3.Error as exc:
            conn.close()
            raise database.translate(exc, file) from None
        except BaseException:
            conn.close()
            raise
        return cls(conn, file)

    @classmethod
    def in_memory(cls) -> Journal:
        """A journal that lives only in this process (prompt walking, tests): same schema,
        same rules as the file, nothing written to disk, gone when closed or dropped."""
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA foreign_keys=ON")
        migrations.apply(conn, Path(":memory:"))
        return cls(conn, Path(":memory:"))

    @property
    def path(self) -> Path:
        return self._path

    def close(self) -> None:
        with shutdown.deferred(), self._lock:
            self._conn.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _sql(self, transaction: bool = False) -> Iterator[sqlite3.Connection]:
        """Run statements under the lock; SQLite errors become `JournalError`s.

        A stop signal waits until the statement is done and the lock released.
        """
        with shutdown.deferred(), self._lock:
            try:
                if transaction:
                    self._conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self._conn
                    if transaction:
                        self._conn.execute("COMMIT")
                except BaseException:
                    if self._conn.in_transaction:
                        self._conn.execute("ROLLBACK")
                    raise
            except sqlite3.IntegrityError as exc:
                raise ValueError(f"Journal write rejected: {exc}") from None
            except sqlite3.Error as exc:
                raise database.translate(exc, self._path) from None

    def _one(self, sql: str, params: tuple[Any, ...] = ()) -> Any:
        with self._sql() as conn:
            return conn.execute(sql, params).fetchone()

    # --- JournalPort -------------------------------------------------------

    def start_session(self, exercise: str, at: datetime) -> int:
        with self._sql() as conn:
            cursor = conn.execute(
                "INSERT INTO sessions (exercise, started_at, status) VALUES (?, ?, ?)",
                (exercise, timestamp(at), SessionStatus.ACTIVE),
            )
        session_id = int(cursor.lastrowid or 0)
        log.debug("Started session %d (%s)", session_id, exercise)
        return session_id

    def close_interrupted_sessions(self, at: datetime) -> int:
        with self._sql() as conn:
            cursor = conn.execute(
                "UPDATE sessions SET status = ?, ended_at = ? WHERE status = ?",
                (SessionStatus.INTERRUPTED, timestamp(at), SessionStatus.ACTIVE),
            )
        if cursor.rowcount:
            log.info("Marked %d unfinished session(s) from an earlier run as interrupted",
                     cursor.rowcount)
        return int(cursor.rowcount)

    def end_session(self, session_id: int, status: str, at: datetime) -> None:
        if status not in STATUSES:
            raise ValueError(f"Unknown session status {status!r}; use a SessionStatus value")
        with self._sql() as conn:
            cursor = conn.execute(
                "UPDATE sessions SET status = ?, ended_at = ? WHERE id = ?",
                (status, timestamp(at), session_id),
            )
        if cursor.rowcount == 0:
            raise ValueError(f"There is no session {session_id} in the journal")
        log.debug("Ended session %d: %s", session_id, status)

    def record_answer(
        self,
        session_id: int,
        key: str,
        question: str,
        text: str,
        number: float | None,
        at: datetime,
    ) -> None:
        with self._sql() as conn:
            conn.execute(_INSERT_ANSWER, (session_id, key, question, text, number, timestamp(at)))

    def revise_answer(
        self,
        session_id: int,
        key: str,
        question: str,
        text: str,
        number: float | None,
        at: datetime,
    ) -> None:
        with self._sql() as conn:
            cursor = conn.execute(
                "UPDATE answers SET answer_text = ?, answer_number = ?, created_at = ? "
                "WHERE id = (SELECT MAX(id) FROM answers WHERE session_id = ? AND key = ?)",
                (text, number, timestamp(at), session_id, key),
            )
            if cursor.rowcount == 0:
                conn.execute(
                    _INSERT_ANSWER, (session_id, key, question, text, number, timestamp(at))
                )

    def save_urge(
        self,
        session_id: int,
        at: datetime,
        *,
        intensity_before: int | None = None,
        intensity_after: int | None = None,
        trigger: str | None = None,
        what_helped: str | None = None,
        method: str | None = None,
    ) -> None:
        values = (intensity_before, intensity_after, trigger, what_helped, method)
        updates = ", ".join(f"{name} = COALESCE(excluded.{name}, {name})" for name in _URGE_FIELDS)
        with self._sql() as conn:
            conn.execute(
                f"INSERT INTO urges (session_id, created_at, updated_at, {', '.join(_URGE_FIELDS)})"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(session_id) DO UPDATE SET"
                f" updated_at = excluded.updated_at, {updates}",
                (session_id, timestamp(at), timestamp(at), *values),
            )

    def record_lapse(self, session_id: int, at: datetime, reset_count: bool) -> None:
        with self._sql(transaction=True) as conn:
            conn.execute(
                "INSERT INTO lapses (session_id, occurred_at, reset_count) VALUES (?, ?, ?)",
                (session_id, timestamp(at), int(reset_count)),
            )
            if reset_count:
                day = (at if at.tzinfo else at.astimezone()).date().isoformat()
                conn.execute(
                    "INSERT INTO profile (key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (SOBER_SINCE, day),
                )

    def urges_since(self, since: datetime) -> list[UrgeEntry]:
        with self._sql(transaction=False) as conn:
            rows = conn.execute(
                "SELECT created_at, intensity_before, intensity_after, trigger, what_helped, "
                "method FROM urges WHERE julianday(created_at) > julianday(?) "
                "ORDER BY julianday(created_at), id",
                (timestamp(since),),
            ).fetchall()
        return [
            UrgeEntry(snapshot.parse_time(str(row[0])), row[1], row[2], row[3], row[4], row[5])
            for row in rows
        ]

    def latest_answers(self, exercise: str) -> dict[str, str]:
        """Answers of the latest completed session of `exercise`, else of the latest with any.

        The fallback is deliberate: a cost-benefit analysis stopped half-way
        still holds reasons worth reading back, and saying nothing would waste
        them. A session with no answers at all is never chosen. If a key was
        answered twice in one session, the later answer wins.
        """
        order = "ORDER BY julianday(s.started_at) DESC, s.id DESC LIMIT 1"
        has_answers = "EXISTS (SELECT 1 FROM answers a WHERE a.session_id = s.id)"
        row = self._one(
            f"SELECT s.id FROM sessions s WHERE s.exercise = ? AND s.status = ? "
            f"AND {has_answers} {order}",
            (exercise, SessionStatus.COMPLETED),
        ) or self._one(
            f"SELECT s.id FROM sessions s WHERE s.exercise = ? AND {has_answers} {order}",
            (exercise,),
        )
        if row is None:
            return {}
        with self._sql() as conn:
            rows = conn.execute(
                "SELECT key, answer_text FROM answers WHERE session_id = ? ORDER BY id", (row[0],)
            ).fetchall()
        return {str(key): str(text) for key, text in rows}

    def get_profile(self, key: str) -> str | None:
        row = self._one("SELECT value FROM profile WHERE key = ?", (key,))
        return None if row is None else str(row[0])

    def set_profile(self, key: str, value: str) -> None:
        with self._sql() as conn:
            conn.execute(
                "INSERT INTO profile (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def progress(self, now: datetime) -> ProgressStats:
        """Weeks are the 7 days up to `now` and the 7 days before those."""
        week_ago, two_weeks_ago = now - timedelta(days=7), now - timedelta(days=14)
        urge_week = (
            "SELECT count(*), avg(intensity_before) FROM urges "
            "WHERE julianday(created_at) > julianday(?) AND julianday(created_at) <= julianday(?)"
        )
        this_count, this_avg = self._one(urge_week, (timestamp(week_ago), timestamp(now)))
        _, last_avg = self._one(urge_week, (timestamp(two_weeks_ago), timestamp(week_ago)))
        done, done_week, reflections = self._one(
            "SELECT count(*), "
            "coalesce(sum(julianday(coalesce(ended_at, started_at)) > julianday(?) AND "
            "julianday(coalesce(ended_at, started_at)) <= julianday(?)), 0), "
            "coalesce(sum(exercise = ?), 0) FROM sessions WHERE status = ?",
            (timestamp(week_ago), timestamp(now), REFLECTION_EXERCISE, SessionStatus.COMPLETED),
        )
        (unfinished,) = self._one(
            "SELECT count(*) FROM sessions WHERE status NOT IN (?, ?) AND EXISTS "
            "(SELECT 1 FROM answers WHERE answers.session_id = sessions.id)",
            (SessionStatus.ACTIVE, SessionStatus.COMPLETED),
        )
        return ProgressStats(
            days_since_last_use=self._days_since_last_use(now),
            urges_this_week=int(this_count),
            average_intensity_this_week=None if this_avg is None else float(this_avg),
            average_intensity_last_week=None if last_avg is None else float(last_avg),
            exercises_done=int(done),
            exercises_this_week=int(done_week),
            reflections_kept=int(reflections),
            exercises_unfinished=int(unfinished),
        )

    def _days_since_last_use(self, now: datetime) -> int | None:
        value = self.get_profile(SOBER_SINCE)
        if not value:
            return None
        try:
            since = date.fromisoformat(value[:10])
        except ValueError:
            log.warning("Ignoring an unreadable %s date in the journal profile", SOBER_SINCE)
            return None
        return max(0, (now.date() - since).days)

    # --- beyond the port: exports and summaries ----------------------------

    def snapshot(self) -> JournalDump:
        """Everything in the journal, read in one transaction (a consistent picture)."""
        with self._sql(transaction=False) as conn:
            conn.execute("BEGIN")
            try:
                return snapshot.read_dump(conn)
            finally:
                conn.execute("COMMIT")
