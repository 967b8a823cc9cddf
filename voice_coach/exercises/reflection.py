"""The evening reflection: a hands-free look back at the day, ending in one sentence.

The closing sentence is built from the person's own answers, so they hear their
day summed up in their words (turned to "you"); anything skipped, and any
"I don't know", is simply left out of it. Urges noted here go into the urge log,
so the progress summary counts them; the current change plan's first step is
followed up (SMART's change plan: "I will know my plan is working if ...",
smartrecovery.org/the-change-plan-worksheet).
"""

from __future__ import annotations

from voice_coach.exercises.script import Ask, Exercise, ExerciseContext, Say, Script
from voice_coach.exercises.wording import (
    MOOD_SCALE,
    URGE_SCALE,
    as_number,
    as_text,
    as_yes,
    join_words,
    said,
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
FIRST_STEP_PROMPT = "Your first step was: {step}. How did that go?"
FIRST_STEP_WELL = "That's real progress. Keep that step going."
FIRST_STEP_HARD = "That's okay. Small steps count, and tomorrow is another go at it."
INTENTION_PROMPT = "And what's one intention for tomorrow?"
EMPTY_DAY = "Your day in one sentence: you took the time to look back on it, and that matters."
CLOSING = "Thank you for reflecting with me. Sleep well."

GRATEFUL_LEADS = (
    "i'm grateful for", "i am grateful for", "grateful for", "i'm thankful for",
    "i am thankful for", "thankful for", "i'm grateful that", "i am grateful that",
)
GOAL_LEADS = ("to", "i want to", "i will", "i'll", "my goal is to", "you want to", "you will",
              "you'll", "your goal is to", "you'd like to", "i'd like to")


def _goal_text(goal: str) -> str:
    """The plan's goal as it fits after "your goal to": "I want to stop drinking" → "stop ..."."""
    return strip_lead(goal.strip().rstrip(".!"), GOAL_LEADS)


_HARD_WORDS = ("didn't", "did not", "not yet", "no", "couldn't", "forgot", "badly", "hard",
               "failed", "not really", "haven't", "nope", "skipped", "missed")


def _sounds_hard(text: str) -> bool:
    lowered = f" {text.lower()} "
    return any(f" {word} " in lowered or lowered.strip().startswith(word) for word in _HARD_WORDS)


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
    mood = as_number((yield Ask.number("mood", MOOD_PROMPT, help=MOOD_HELP, scale=MOOD_SCALE)))
    if mood is not None and mood <= 3:
        yield Say(LOW_MOOD)
    elif mood is not None and mood >= 7:
        yield Say(GOOD_MOOD)

    had_urges = as_yes((yield Ask.yes_no("urges_today", URGES_PROMPT)))
    urge_peak = None
    if had_urges:
        peak = yield Ask.number(
            "urge_peak", URGE_PEAK_PROMPT, help=URGE_PEAK_HELP, scale=URGE_SCALE,
            none_is_zero=True,
        )
        urge_peak = as_number(peak)
        ctx.journal.save_urge(ctx.session_id, ctx.now(), intensity_before=urge_peak)
        helped_words = as_text((yield Ask.free("urge_helped", URGE_HELPED_PROMPT, optional=True)))
        helped = said(helped_words)
        if helped:
            ctx.journal.save_urge(ctx.session_id, ctx.now(), what_helped=helped_words)
            yield Say(f"Worth remembering: {helped}.", personal=True)
    elif had_urges is False:
        yield Say(NO_URGES)

    went_well = said((yield Ask.free("went_well", WENT_WELL_PROMPT, optional=True)))
    grateful_words = as_text((yield Ask.free("grateful", GRATEFUL_PROMPT, optional=True)))
    grateful = said(strip_lead(grateful_words, GRATEFUL_LEADS)) if grateful_words else None

    plan = ctx.journal.latest_answers(PLAN_EXERCISE)
    goal = said(plan.get("goal"))
    step = said(plan.get("first_steps"))
    if step:
        how = yield Ask.free(
            "first_step_progress", FIRST_STEP_PROMPT.format(step=step), optional=True,
            personal=True,
        )
        if said(how):
            yield Say(FIRST_STEP_HARD if _sounds_hard(str(how)) else FIRST_STEP_WELL)
    elif goal:
        prompt = GOAL_PROMPT.format(goal=_goal_text(goal))
        yield Ask.free("goal_progress", prompt, optional=True, personal=True)

    intention = said((yield Ask.free("intention", INTENTION_PROMPT, optional=True)))
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
