"""A journal in memory: the `JournalPort` without SQLite, for walking prompts and for tests.

It keeps everything a session writes, follows the same rules as the SQLite
`Journal` for the answers an exercise reads back, and forgets it all when
dropped. Nothing here is ever written to disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from voice_coach.journal.port import (
    REFLECTION_EXERCISE,
    SOBER_SINCE,
    ProgressStats,
    SessionStatus,
    UrgeEntry,
)


@dataclass
class _Session:
    exercise: str
    started: datetime
    status: str = SessionStatus.ACTIVE
    ended: datetime | None = None
    answers: dict[str, tuple[str, float | None]] = field(default_factory=dict)
    """Key -> (text, number), in the order given; a revision replaces in place."""


class MemoryJournal:
    """`JournalPort` on dictionaries."""

    def __init__(self) -> None:
        self._sessions: list[_Session] = []
        self._urges: dict[int, UrgeEntry] = {}
        self._profile: dict[str, str] = {}
        self.lapses: list[tuple[int, datetime, bool]] = []

    def start_session(self, exercise: str, at: datetime) -> int:
        self._sessions.append(_Session(exercise, at))
        return len(self._sessions)

    def end_session(self, session_id: int, status: str, at: datetime) -> None:
        session = self._sessions[session_id - 1]
        session.status, session.ended = status, at

    def close_interrupted_sessions(self, at: datetime) -> int:
        active = [s for s in self._sessions if s.status == SessionStatus.ACTIVE]
        for session in active:
            session.status, session.ended = SessionStatus.INTERRUPTED, at
        return len(active)

    def record_answer(
        self, session_id: int, key: str, question: str, text: str, number: float | None,
        at: datetime,
    ) -> None:
        answers = self._sessions[session_id - 1].answers
        answers.pop(key, None)  # a key answered twice: the later answer wins
        answers[key] = (text, number)

    def revise_answer(
        self, session_id: int, key: str, question: str, text: str, number: float | None,
        at: datetime,
    ) -> None:
        self._sessions[session_id - 1].answers[key] = (text, number)

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
        old = self._urges.get(session_id) or UrgeEntry(at, None, None, None, None, None)
        self._urges[session_id] = UrgeEntry(
            old.at,
            old.intensity_before if intensity_before is None else intensity_before,
            old.intensity_after if intensity_after is None else intensity_after,
            old.trigger if trigger is None else trigger,
            old.what_helped if what_helped is None else what_helped,
            old.method if method is None else method,
        )

    def urges_since(self, since: datetime) -> list[UrgeEntry]:
        return sorted((u for u in self._urges.values() if u.at > since), key=lambda u: u.at)

    def record_lapse(self, session_id: int, at: datetime, reset_count: bool) -> None:
        self.lapses.append((session_id, at, reset_count))
        if reset_count:
            self._profile[SOBER_SINCE] = at.date().isoformat()

    def latest_answers(self, exercise: str) -> dict[str, str]:
        mine = [s for s in self._sessions if s.exercise == exercise and s.answers]
        completed = [s for s in mine if s.status == SessionStatus.COMPLETED]
        for candidates in (completed, mine):
            if candidates:
                latest = max(reversed(candidates), key=lambda s: s.started)
                return {key: text for key, (text, _number) in latest.answers.items()}
        return {}

    def get_profile(self, key: str) -> str | None:
        return self._profile.get(key)

    def set_profile(self, key: str, value: str) -> None:
        self._profile[key] = value

    def progress(self, now: datetime) -> ProgressStats:
        week_ago, two_weeks_ago = now - timedelta(days=7), now - timedelta(days=14)

        def intensities(start: datetime, end: datetime) -> list[int]:
            return [u.intensity_before for u in self._urges.values()
                    if start < u.at <= end and u.intensity_before is not None]

        this_week = [u for u in self._urges.values() if week_ago < u.at <= now]
        this, last = intensities(week_ago, now), intensities(two_weeks_ago, week_ago)
        done = [s for s in self._sessions if s.status == SessionStatus.COMPLETED]
        since = self._profile.get(SOBER_SINCE)
        days = None
        if since:
            try:
                days = max(0, (now.date() - datetime.fromisoformat(since[:10]).date()).days)
            except ValueError:
                days = None
        return ProgressStats(
            days_since_last_use=days,
            urges_this_week=len(this_week),
            average_intensity_this_week=sum(this) / len(this) if this else None,
            average_intensity_last_week=sum(last) / len(last) if last else None,
            exercises_done=len(done),
            exercises_this_week=sum(week_ago < (s.ended or s.started) <= now for s in done),
            reflections_kept=sum(s.exercise == REFLECTION_EXERCISE for s in done),
            exercises_unfinished=sum(
                s.status not in (SessionStatus.ACTIVE, SessionStatus.COMPLETED) and bool(s.answers)
                for s in self._sessions
            ),
        )
