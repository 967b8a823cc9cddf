"""The journal's contents as plain dataclasses: what exports and summaries are built from.

`Journal.snapshot()` reads the database into a `JournalDump` once; everything
that turns the journal into text (JSON, CSV, Markdown, the summary) is a pure
function of that dump, so it is tested without SQL and can also run on what
could be salvaged from a damaged file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from voice_coach.journal.port import UrgeEntry


@dataclass(frozen=True)
class AnswerRecord:
    """One answer given during an exercise."""

    id: int
    session_id: int
    key: str
    """The exercise's name for the answer (e.g. "reason_to_change")."""
    question: str
    """What the coach asked, as spoken."""
    text: str
    """What the person answered, as recognized."""
    number: float | None
    """The answer as a number, when the question asked for one."""
    at: datetime


@dataclass(frozen=True)
class SessionRecord:
    """One run of an exercise, with its answers in the order given."""

    id: int
    exercise: str
    started_at: datetime
    ended_at: datetime | None
    """None while the session is active, or when the program was killed mid-way."""
    status: str
    """A `SessionStatus` value."""
    answers: tuple[AnswerRecord, ...] = ()


@dataclass(frozen=True, kw_only=True)
class UrgeRecord(UrgeEntry):
    """One logged urge as stored (at most one per session): the exercises' `UrgeEntry`
    plus the row it lives in, for exports."""

    id: int
    session_id: int


@dataclass(frozen=True)
class LapseRecord:
    """A lapse the person chose to note."""

    id: int
    session_id: int | None
    at: datetime
    reset_count: bool
    """True when the day count started again from this lapse."""


@dataclass(frozen=True)
class JournalDump:
    """Everything in the journal, read at one moment."""

    sessions: tuple[SessionRecord, ...] = ()
    urges: tuple[UrgeRecord, ...] = ()
    lapses: tuple[LapseRecord, ...] = ()
    profile: dict[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    """Parts that could not be read (only when salvaging a damaged file)."""

    def session(self, session_id: int) -> SessionRecord | None:
        """The session with this id, or None (e.g. lost in a damaged file)."""
        for record in self.sessions:
            if record.id == session_id:
                return record
        return None

    @property
    def is_empty(self) -> bool:
        return not (self.sessions or self.urges or self.lapses or self.profile)
