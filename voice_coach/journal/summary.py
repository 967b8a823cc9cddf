"""A short, human summary of the whole journal (`voice-coach journal summary`).

Its figures come from `figures.compute`, the same ones the progress page draws.
"""

from __future__ import annotations

from datetime import datetime

from voice_coach.journal.figures import Figures, compute, one_decimal
from voice_coach.journal.records import JournalDump
from voice_coach.number_words import plural


def _plural(value: int, word: str) -> str:
    """Figures on the page stay digits ("3 sessions"); the noun agrees with them."""
    return f"{value} {plural(value, word)}"


def _days_since(figures: Figures) -> str:
    streak = figures.streak
    if streak.since is None:
        return "Days since last use: no start date set."
    return f"Days since last use: {streak.days} (since {streak.since:%d %B %Y})."


def summarize(dump: JournalDump, now: datetime) -> str:
    """Sessions by exercise, urges and their intensities, reflections, day count, date range."""
    if dump.is_empty:
        return "The journal is empty: nothing has been recorded yet.\n"
    figures = compute(dump, now)
    lines: list[str] = []
    if figures.first is not None and figures.last is not None:
        lines.append(f"Journal from {figures.first:%d %B %Y} to {figures.last:%d %B %Y}.")
    lines.append(f"{_plural(figures.sessions, 'session')}, {figures.completed} completed:")
    for exercise in figures.exercises:
        lines.append(f"  {exercise.title}: {exercise.sessions} ({exercise.completed} completed)")
    lines.append(
        f"Urges logged: {len(figures.urges)}; average intensity before "
        f"{one_decimal(figures.average_before)}, after {one_decimal(figures.average_after)} "
        "(out of 10)."
    )
    lines.append(f"Evening reflections kept: {figures.reflections}.")
    if figures.lapses:
        lines.append(f"Lapses noted: {figures.lapses}.")
    lines.append(_days_since(figures))
    if figures.damaged:
        lines.append("Some entries could not be read: the journal file is damaged.")
    return "\n".join(lines) + "\n"
