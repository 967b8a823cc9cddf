"""Progress: days counted, urges this week and their trend, exercises and reflections.

Spoken as a short encouraging summary in plain words, never as statistics:
"forty-five days without drinking", "three urges", "milder than the week before".
"""

from __future__ import annotations

from voice_coach.exercises.script import Ask, Exercise, ExerciseContext, Say, Script
from voice_coach.exercises.wording import as_yes, behaviour, count, sentence_start, spoken_number
from voice_coach.journal.port import SOBER_SINCE, ProgressStats

"""Journal profile key: the ISO date the day count starts from."""
TREND_STEP = 1.0
"""How much the average rating must move (out of ten) before it counts as a change."""

INTRO = "Here's how things are going."
START_PROMPT = (
    "I don't have a start date for your day count. Would you like me to count from today?"
)
START_DONE = "Done. I'll count your days from today."
START_DECLINED = "Okay. You can ask me to start counting any time."
COUNT_STARTS_TODAY = "Your day count starts today. Every streak begins with day one."
COUNT_LINE = "That's {days} without {behaviour}."
COUNT_EXTRA = "Every one of those days took effort."
NO_URGES = "No urges noted this week."
URGES_LINE = "You noted {urges} this week."
MILDER = "On the whole, they've been milder than the week before."
STRONGER = "They've been a bit stronger than the week before. That happens, and you kept going."
SIMILAR = "They've been about as strong as the week before."
NO_EXERCISES = "We haven't done an exercise together yet."
UNFINISHED_LINE = "We've started {exercises} together so far."
REFLECTIONS_LINE = "And you've kept {reflections}."
CLOSING = "Every one of those is a step forward."
FRESH_START = "This is a fresh start, and we'll build from here."


def trend(this_week: float | None, last_week: float | None) -> str | None:
    """Compare how strong urges were this week and last; None when either is unknown."""
    if this_week is None or last_week is None:
        return None
    if this_week <= last_week - TREND_STEP:
        return MILDER
    if this_week >= last_week + TREND_STEP:
        return STRONGER
    return SIMILAR


def exercises_line(done: int, this_week: int, unfinished: int = 0) -> str:
    """What we did together; an exercise stopped partway is work done, never "nothing yet"."""
    if done <= 0:
        if unfinished > 0:
            return UNFINISHED_LINE.format(exercises=count(unfinished, "exercise"))
        return NO_EXERCISES
    line = f"You've done {count(done, 'exercise')} with me"
    if done == this_week and done > 1:
        line += ", all of them this week"
    elif 0 < this_week < done:
        line += f", {spoken_number(this_week)} of them this week"
    return line + "."


def summary_lines(stats: ProgressStats) -> list[str]:
    """The spoken summary after the day count (which may need a question first)."""
    lines: list[str] = []
    if stats.urges_this_week <= 0:
        lines.append(NO_URGES)
    else:
        lines.append(URGES_LINE.format(urges=count(stats.urges_this_week, "urge")))
        change = trend(stats.average_intensity_this_week, stats.average_intensity_last_week)
        if change:
            lines.append(change)
    lines.append(
        exercises_line(stats.exercises_done, stats.exercises_this_week, stats.exercises_unfinished)
    )
    if stats.reflections_kept > 0:
        lines.append(
            REFLECTIONS_LINE.format(
                reflections=count(stats.reflections_kept, "evening reflection")
            )
        )
    return lines


def day_count_lines(days: int, focus: str) -> list[str]:
    if days <= 0:
        return [COUNT_STARTS_TODAY]
    return [
        sentence_start(COUNT_LINE.format(days=count(days, "day"), behaviour=behaviour(focus))),
        COUNT_EXTRA,
    ]


def progress(ctx: ExerciseContext) -> Script:
    stats = ctx.journal.progress(ctx.now())
    yield Say(INTRO)
    if stats.days_since_last_use is None:
        start = as_yes((yield Ask.yes_no("start_counting", START_PROMPT)))
        if start:
            ctx.journal.set_profile(SOBER_SINCE, ctx.now().date().isoformat())
            yield Say(START_DONE)
        else:
            yield Say(START_DECLINED)
    else:
        for line in day_count_lines(stats.days_since_last_use, ctx.settings.focus):
            yield Say(line)
    for line in summary_lines(stats):
        yield Say(line)
    nothing_yet = (
        stats.urges_this_week == 0 and stats.exercises_done == 0 and stats.reflections_kept == 0
        and stats.exercises_unfinished == 0
    )
    if nothing_yet:
        yield Say(FRESH_START)
    else:
        yield Say(CLOSING + (f" Well done, {ctx.name}." if ctx.name else ""))


EXERCISES = (
    Exercise(
        "progress",
        "your progress",
        progress,
        "Your progress: the days you've counted, urges this week, and the exercises and "
        "reflections you've done.",
    ),
)
