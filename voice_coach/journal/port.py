"""What the dialogue needs from the journal, so the engine never sees SQL.

`voice_coach.journal.store.Journal` implements this on SQLite; the engine and
exercises only know this protocol.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from voice_coach import names

SOBER_SINCE = "sober_since"
"""Profile key: the ISO date the day count starts from."""


REFLECTION_EXERCISE = names.EVENING_REFLECTION
"""The exercise whose completed sessions count as evening reflections kept."""


class SessionStatus:
    """How an exercise run ended (stored in `sessions.status`)."""

    ACTIVE = "active"
    COMPLETED = "completed"
    STOPPED = "stopped"
    """The person said stop: answers kept."""
    TIMED_OUT = "timed_out"
    """Nobody answered: answers kept."""
    CRISIS = "crisis"
    """Interrupted by a crisis response."""
    INTERRUPTED = "interrupted"
    """The program stopped mid-exercise (killed, power cut): answers kept."""


@dataclass(frozen=True)
class UrgeEntry:
    """One urge, logged by the urge exercises."""

    at: datetime
    intensity_before: int | None
    intensity_after: int | None
    trigger: str | None
    what_helped: str | None
    method: str | None
    """"surfing", "deads", "disarm" or None."""


@dataclass(frozen=True)
class ProgressStats:
    """The figures the progress summary speaks."""

    days_since_last_use: int | None
    """None when no start date is known."""
    urges_this_week: int
    average_intensity_this_week: float | None
    average_intensity_last_week: float | None
    exercises_done: int
    """Completed exercise sessions, all time."""
    exercises_this_week: int
    reflections_kept: int
    exercises_unfinished: int = 0
    """Sessions stopped or cut short after at least one answer (not active, not completed):
    work done together even though the exercise did not reach its end."""


class JournalPort(Protocol):
    """The journal operations the dialogue engine and exercises use."""

    def start_session(self, exercise: str, at: datetime) -> int:
        """Open a session row for an exercise run; returns its id."""
        ...

    def end_session(self, session_id: int, status: str, at: datetime) -> None:
        """Close a session with one of the `SessionStatus` values."""
        ...

    def close_interrupted_sessions(self, at: datetime) -> int:
        """Mark sessions still `active` from an earlier run as interrupted; returns how many."""
        ...

    def record_answer(
        self,
        session_id: int,
        key: str,
        question: str,
        text: str,
        number: float | None,
        at: datetime,
    ) -> None:
        """Store one answer the moment it is given (committed before returning)."""
        ...

    def revise_answer(
        self,
        session_id: int,
        key: str,
        question: str,
        text: str,
        number: float | None,
        at: datetime,
    ) -> None:
        """Replace the latest answer to `key` in this session (a correction: "I meant three").

        The journal keeps the corrected answer, not the old one beside it; when there is
        no answer to `key` yet, it is recorded as new.
        """
        ...

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
        """Create or update the urge entry of this session; None leaves a field as it is."""
        ...

    def urges_since(self, since: datetime) -> list[UrgeEntry]:
        """Urge entries logged after `since`, oldest first (for the spoken urge review)."""
        ...

    def record_lapse(self, session_id: int, at: datetime, reset_count: bool) -> None:
        """Note a lapse; when `reset_count`, the day count starts again from `at`."""
        ...

    def latest_answers(self, exercise: str) -> dict[str, str]:
        """Answers of the latest completed session of `exercise` that has answers.

        Falls back to the latest session with any answers (a cost-benefit analysis
        stopped half-way still holds useful reasons); {} when there are none.
        """
        ...

    def get_profile(self, key: str) -> str | None:
        """A small per-person setting kept in the journal (name, first run, start date)."""
        ...

    def set_profile(self, key: str, value: str) -> None:
        ...

    def progress(self, now: datetime) -> ProgressStats:
        """Figures for the progress summary, as of `now`."""
        ...
