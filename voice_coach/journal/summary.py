"""A short, human summary of the whole journal (`voice-coach journal summary`)."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime

from voice_coach.journal.export import exercise_title
from voice_coach.journal.port import SOBER_SINCE, SessionStatus
from voice_coach.journal.records import JournalDump
from voice_coach.journal.store import REFLECTION_EXERCISE


def _average(values: list[int]) -> str:
    return f"{sum(values) / len(values):.1f}" if values else "not recorded"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def _days_since(dump: JournalDump, today: date) -> str:
    value = dump.profile.get(SOBER_SINCE, "")
    try:
        since = date.fromisoformat(value[:10])
    except ValueError:
        return "Days since last use: no start date set."
    days = max(0, (today - since).days)
    return f"Days since last use: {days} (since {since:%d %B %Y})."


def summarize(dump: JournalDump, now: datetime) -> str:
    """Sessions by exercise, urges and their intensities, reflections, day count, date range."""
    if dump.is_empty:
        return "The journal is empty: nothing has been recorded yet.\n"
    lines: list[str] = []
    times = [s.started_at for s in dump.sessions] + [u.at for u in dump.urges]
    times += [x.at for x in dump.lapses]
    if times:
        first, last = min(times), max(times)
        lines.append(f"Journal from {first:%d %B %Y} to {last:%d %B %Y}.")
    by_exercise = Counter(s.exercise for s in dump.sessions)
    completed = Counter(s.exercise for s in dump.sessions if s.status == SessionStatus.COMPLETED)
    lines.append(f"{_plural(len(dump.sessions), 'session')}, {sum(completed.values())} completed:")
    for exercise, count in sorted(by_exercise.items(), key=lambda item: (-item[1], item[0])):
        lines.append(f"  {exercise_title(exercise)}: {count} ({completed[exercise]} completed)")
    before = [u.intensity_before for u in dump.urges if u.intensity_before is not None]
    after = [u.intensity_after for u in dump.urges if u.intensity_after is not None]
    lines.append(
        f"Urges logged: {len(dump.urges)}; average intensity before {_average(before)}, "
        f"after {_average(after)} (out of 10)."
    )
    lines.append(f"Evening reflections kept: {completed[REFLECTION_EXERCISE]}.")
    if dump.lapses:
        lines.append(f"Lapses noted: {len(dump.lapses)}.")
    lines.append(_days_since(dump, now.date()))
    if dump.warnings:
        lines.append("Some entries could not be read: the journal file is damaged.")
    return "\n".join(lines) + "\n"
