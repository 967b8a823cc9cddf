"""Every figure about a person's progress, computed once from a `JournalDump`.

The spoken `journal summary` and the progress page (`journal report`,
`journal serve`) both read them from here, so they can never disagree.
Pure functions of the dump and "now": no SQL, no I/O.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from voice_coach.journal.export import exercise_title
from voice_coach.journal.port import REFLECTION_EXERCISE, SOBER_SINCE, SessionStatus
from voice_coach.journal.records import JournalDump

CRISIS_SESSION = "crisis_answer"
"""The session name the safety state records a crisis answer under (no words kept)."""

MILESTONE_DAYS = (1, 7, 14, 30, 60, 90, 180, 365, 730, 1095)
"""Day counts worth marking (SMART's own meetings mark no fixed ones; these are common)."""
TIMES_OF_DAY = (("Night", 0, 6), ("Morning", 6, 12), ("Afternoon", 12, 18), ("Evening", 18, 24))
TOP_TRIGGERS = 8
"""Triggers shown by name; the rest are counted together as "other"."""
OWN_WORDS_SHOWN = 12
MIN_OWN_WORDS = 3
"""A free answer of at least this many words is shown as the person's own words."""
NOT_OWN_WORDS = frozenset({"method", "trigger", "choice"})


@dataclass(frozen=True)
class UrgePoint:
    at: datetime
    before: int | None
    after: int | None
    trigger: str
    method: str


@dataclass(frozen=True)
class Rating:
    at: datetime
    value: float
    exercise: str


@dataclass(frozen=True)
class OwnWords:
    at: datetime
    exercise: str
    """The exercise's title."""
    question: str
    text: str


@dataclass(frozen=True)
class ExerciseCount:
    title: str
    sessions: int
    completed: int


@dataclass(frozen=True)
class Streak:
    since: date | None
    """The day count's start (None when no start date is set)."""
    days: int | None
    reached: tuple[int, ...]
    """Milestones (in days) already reached."""
    next: int | None
    """The next milestone, or None past the last one."""


@dataclass(frozen=True)
class Figures:
    """What the summary speaks and the progress page draws."""

    first: datetime | None
    last: datetime | None
    sessions: int
    completed: int
    exercises: tuple[ExerciseCount, ...]
    urges: tuple[UrgePoint, ...]
    average_before: float | None
    average_after: float | None
    urges_per_week: tuple[tuple[date, int], ...]
    """Monday of each week from the first urge to `now`, with that week's count."""
    urges_by_trigger: tuple[tuple[str, int], ...]
    urges_by_time_of_day: tuple[tuple[str, int], ...]
    mood: tuple[Rating, ...]
    sleep: tuple[Rating, ...]
    reflections: int
    lapses: int
    streak: Streak
    own_words: tuple[OwnWords, ...]
    damaged: bool


def _average(values: list[int]) -> float | None:
    return sum(values) / len(values) if values else None


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _per_week(points: tuple[UrgePoint, ...], today: date) -> tuple[tuple[date, int], ...]:
    if not points:
        return ()
    counts = Counter(_monday(p.at.date()) for p in points)
    week, last = min(counts), _monday(max(today, max(p.at.date() for p in points)))
    out = []
    while week <= last:
        out.append((week, counts.get(week, 0)))
        week += timedelta(days=7)
    return tuple(out)


def _by_trigger(points: tuple[UrgePoint, ...]) -> tuple[tuple[str, int], ...]:
    counts = Counter(p.trigger for p in points if p.trigger)
    named = counts.most_common(TOP_TRIGGERS)
    rest = sum(counts.values()) - sum(n for _, n in named)
    unnamed = sum(1 for p in points if not p.trigger)
    out = list(named)
    if rest:
        out.append(("other", rest))
    if unnamed:
        out.append(("not said", unnamed))
    return tuple(out)


def _by_time_of_day(points: tuple[UrgePoint, ...]) -> tuple[tuple[str, int], ...]:
    return tuple(
        (name, sum(1 for p in points if start <= p.at.hour < end))
        for name, start, end in TIMES_OF_DAY
    )


def _streak(dump: JournalDump, today: date) -> Streak:
    value = dump.profile.get(SOBER_SINCE, "")
    try:
        since = date.fromisoformat(value[:10])
    except ValueError:
        return Streak(None, None, (), None)
    days = max(0, (today - since).days)
    reached = tuple(m for m in MILESTONE_DAYS if m <= days)
    upcoming = [m for m in MILESTONE_DAYS if m > days]
    return Streak(since, days, reached, upcoming[0] if upcoming else None)


def _ratings(dump: JournalDump, key: str) -> tuple[Rating, ...]:
    return tuple(
        Rating(a.at, a.number, exercise_title(s.exercise))
        for s in dump.sessions
        for a in s.answers
        if a.key == key and a.number is not None
    )


def _own_words(dump: JournalDump) -> tuple[OwnWords, ...]:
    words = [
        OwnWords(a.at, exercise_title(s.exercise), a.question, a.text.strip())
        for s in dump.sessions
        for a in s.answers
        if a.number is None
        and a.key not in NOT_OWN_WORDS
        and len(a.text.split()) >= MIN_OWN_WORDS
    ]
    words.sort(key=lambda w: w.at, reverse=True)
    return tuple(words[:OWN_WORDS_SHOWN])


def compute(dump: JournalDump, now: datetime) -> Figures:
    """All figures as of `now` (the streak and the weeks run up to today)."""
    # Crisis answers are kept in the journal (time and kind) but never counted, charted
    # or read out: a summary is no place to bring back someone's worst moment.
    dump = replace(dump, sessions=tuple(s for s in dump.sessions if s.exercise != CRISIS_SESSION))
    points = tuple(
        UrgePoint(u.at, u.intensity_before, u.intensity_after, (u.trigger or "").strip(),
                  u.method or "")
        for u in dump.urges
    )
    times = [s.started_at for s in dump.sessions] + [u.at for u in dump.urges]
    times += [x.at for x in dump.lapses]
    by_exercise = Counter(s.exercise for s in dump.sessions)
    completed = Counter(s.exercise for s in dump.sessions if s.status == SessionStatus.COMPLETED)
    exercises = tuple(
        ExerciseCount(exercise_title(name), count, completed[name])
        for name, count in sorted(by_exercise.items(), key=lambda item: (-item[1], item[0]))
    )
    return Figures(
        first=min(times) if times else None,
        last=max(times) if times else None,
        sessions=len(dump.sessions),
        completed=sum(completed.values()),
        exercises=exercises,
        urges=points,
        average_before=_average([p.before for p in points if p.before is not None]),
        average_after=_average([p.after for p in points if p.after is not None]),
        urges_per_week=_per_week(points, now.date()),
        urges_by_trigger=_by_trigger(points),
        urges_by_time_of_day=_by_time_of_day(points),
        mood=_ratings(dump, "mood"),
        sleep=_ratings(dump, "sleep"),
        reflections=completed[REFLECTION_EXERCISE],
        lapses=len(dump.lapses),
        streak=_streak(dump, now.date()),
        own_words=_own_words(dump),
        damaged=bool(dump.warnings),
    )


def one_decimal(value: float | None) -> str:
    """How averages are said and shown: "6.5", or "not recorded"."""
    return f"{value:.1f}" if value is not None else "not recorded"
