"""The evening reflection: a hands-free look back at the day, ending in one sentence.

The closing sentence is built from the person's own answers, so they hear their
day summed up in their words; anything skipped is simply left out of it.
"""

from __future__ import annotations

from voice_coach.dialogue.script import Ask, Exercise, ExerciseContext, Say, Script
from voice_coach.exercises.wording import (
    as_number,
    as_text,
    as_yes,
    join_words,
    spoken_number,
    strip_lead,
)

PLAN_EXERCISE = "plan"
"""The change-plan exercise whose `goal` answer the reflection asks about."""

INTRO = "Let's look back on your day. Just a few questions, and you can skip any of them."
MOOD_PROMPT = "How was your mood today, from zero to ten?"
MOOD_HELP = "Zero is very low. Ten is great."
LOW_MOOD = "That sounds like a hard day. Thank you for being honest about it."
GOOD_MOOD = "Good to hear."
URGES_PROMPT = "Did you have any urges today?"
URGE_PEAK_PROMPT = "How strong was the strongest one, from zero to ten?"
URGE_PEAK_HELP = "Zero means hardly there. Ten is the strongest urge you can imagine."
URGE_HELPED_PROMPT = "What helped, even a little?"
NO_URGES = "That's good to hear."
WENT_WELL_PROMPT = "What's one thing that went well today?"
GRATEFUL_PROMPT = "What's something you're grateful for?"
GOAL_PROMPT = "How did it go with your goal to {goal}?"
INTENTION_PROMPT = "And what's one intention for tomorrow?"
EMPTY_DAY = "Your day in one sentence: you took the time to look back on it, and that matters."
CLOSING = "Thank you for reflecting with me. Sleep well."

GRATEFUL_LEADS = (
    "i'm grateful for", "i am grateful for", "grateful for", "i'm thankful for",
    "i am thankful for", "thankful for", "i'm grateful that", "i am grateful that",
)
GOAL_LEADS = ("to", "i want to", "i will", "i'll", "my goal is to")


def _goal_text(goal: str) -> str:
    """The plan's goal as it fits after "your goal to": "I want to stop drinking" → "stop ..."."""
    return strip_lead(goal.strip().rstrip(".!"), GOAL_LEADS)


def summary(
    mood: int | None,
    had_urges: bool | None,
    urge_peak: int | None,
    went_well: str | None,
    grateful: str | None,
    intention: str | None,
) -> str:
    """One spoken sentence from the day's answers; skipped answers are left out."""
    parts: list[str] = []
    if mood is not None:
        parts.append(f"a mood of {spoken_number(mood)}")
    if had_urges is True:
        parts.append(
            f"an urge as strong as {spoken_number(urge_peak)}" if urge_peak is not None
            else "an urge you faced"
        )
    elif had_urges is False:
        parts.append("no urges")
    if went_well:
        parts.append(f"something good: {went_well}")
    if grateful:
        parts.append(f"gratitude for {strip_lead(grateful, GRATEFUL_LEADS)}")
    if intention and parts:
        return f"Your day in one sentence: {', '.join(parts)}, and for tomorrow, {intention}."
    day = join_words(parts)
    if intention:
        return f"Your day in one sentence: for tomorrow, {intention}."
    if day:
        return f"Your day in one sentence: {day}."
    return EMPTY_DAY


def evening_reflection(ctx: ExerciseContext) -> Script:
    yield Say(INTRO)
    mood = as_number((yield Ask.number("mood", MOOD_PROMPT, help=MOOD_HELP)))
    if mood is not None and mood <= 3:
        yield Say(LOW_MOOD)
    elif mood is not None and mood >= 7:
        yield Say(GOOD_MOOD)

    had_urges = as_yes((yield Ask.yes_no("urges_today", URGES_PROMPT)))
    urge_peak = None
    if had_urges:
        peak = yield Ask.number("urge_peak", URGE_PEAK_PROMPT, help=URGE_PEAK_HELP)
        urge_peak = as_number(peak)
        helped = as_text((yield Ask.free("urge_helped", URGE_HELPED_PROMPT, optional=True)))
        if helped:
            yield Say(f"Worth remembering: {helped}.", personal=True)
    elif had_urges is False:
        yield Say(NO_URGES)

    went_well = as_text((yield Ask.free("went_well", WENT_WELL_PROMPT, optional=True)))
    grateful = as_text((yield Ask.free("grateful", GRATEFUL_PROMPT, optional=True)))

    goal = ctx.journal.latest_answers(PLAN_EXERCISE).get("goal", "").strip()
    if goal:
        prompt = GOAL_PROMPT.format(goal=_goal_text(goal))
        yield Ask.free("goal_progress", prompt, optional=True)

    intention = as_text((yield Ask.free("intention", INTENTION_PROMPT, optional=True)))
    yield Say(
        summary(mood, had_urges, urge_peak, went_well, grateful, intention),
        personal=bool(went_well or grateful or intention),
    )
    yield Say(CLOSING)


EXERCISES = (
    Exercise(
        "evening_reflection",
        "the evening reflection",
        evening_reflection,
        "The evening reflection: your mood, any urges, what went well, what you're grateful "
        "for, and one intention for tomorrow. Skip any question you like.",
    ),
)
