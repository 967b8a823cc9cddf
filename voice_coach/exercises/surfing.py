"""Urge surfing: watch the urge rise, peak and fall, with the breath as a surfboard.

SMART Recovery's DEADS lists "Accept the Urge ... sit quietly by yourself to
surf the urge: feel it build then fade while you acknowledge your thoughts and
feelings" (SMART handbook, DEADS; smartsouthport.co.uk/deads.html), and its urge
log notes that "urges usually last only seconds to minutes and then pass"
(smartrecovery.org/urge-log). The coach re-rates every two minutes, offers to
stop once the urge is low, and asks in the person's own words what helped.
"""

from __future__ import annotations

from voice_coach.exercises.script import Ask, Exercise, ExerciseContext, Pause, Say, Script
from voice_coach.exercises.urge_log import RATE_NOW, compare, rate, rate_before, record_duration
from voice_coach.exercises.wording import as_number, as_text, as_yes, said, spoken_number

SURF_INTRO = (
    "Let's surf this urge together.",
    "You don't have to fight it, and you don't have to act on it. Just watch it.",
    "First, notice where the urge sits in your body.",
    "Maybe your chest, your stomach, your throat or your hands.",
)
SURF_BREATH = (
    "Now find your breath. Your breath is your surfboard.",
    "Breathe in slowly. And let it go.",
    "Watch the urge rise. Watch it peak. And watch it start to fall.",
)
SURF_GUIDANCE = (
    "Breathe in slowly. And out.",
    "Notice the urge. You don't have to do anything about it.",
    "Let your breath carry you, like a board on the water.",
    "If it grows, that's okay. Waves build before they break.",
    "Notice where it sits in your body now. Has it moved, or changed?",
    "You're watching the urge. You are not the urge.",
    "Soften your shoulders. Loosen your hands.",
    "Thoughts may come. Let them drift past like clouds.",
)
SURF_CHECK_EVERY = 2
"""Minutes between ratings."""
SURF_SEGMENT_SECONDS = 40
"""Roughly how long each quiet stretch lasts before a line of guidance."""
SURF_STOP_EARLY = "Okay, let's finish here."
SURF_KEEP_GOING = "Okay, let's keep riding it."
SURF_END = "Let's come back to the room. Take one more slow breath."
WHAT_HELPED_PROMPT = "What helped you most just now? You can say skip."
SURF_THANKS = "Well done for staying with it."


def _checkpoints(minutes: int) -> list[int]:
    """Minutes at which to re-rate: every two minutes, and at the end."""
    marks = list(range(SURF_CHECK_EVERY, minutes + 1, SURF_CHECK_EVERY))
    if not marks or marks[-1] != minutes:
        marks.append(minutes)
    return marks


def _react(previous: int | None, rating: int) -> str:
    if previous is None or rating == previous:
        return "Okay. Keep riding it."
    if rating < previous:
        return "It's coming down."
    return "It's rising. That's the wave building. Stay with your breath."


def surf(ctx: ExerciseContext, before: int | None, trigger: str | None) -> Script:
    """The surfing itself, after the urge has been rated (shared by both entry points)."""
    for line in SURF_INTRO:
        yield Say(line)
    yield Pause(10)
    for line in SURF_BREATH:
        yield Say(line)
    yield Pause(10)
    latest = before
    guidance = 0
    elapsed = 0
    marks = _checkpoints(max(1, ctx.settings.urge_surfing_minutes))
    for index, mark in enumerate(marks):
        seconds = (mark - elapsed) * 60
        segments = max(1, round(seconds / SURF_SEGMENT_SECONDS))
        for segment in range(segments):
            if segment:
                yield Say(SURF_GUIDANCE[guidance % len(SURF_GUIDANCE)])
                guidance += 1
            yield Pause(seconds / segments)
        elapsed = mark
        rating = as_number((yield rate(f"rating_{mark}min", RATE_NOW)))
        if rating is None:
            continue
        yield Say(_react(latest, rating))
        latest = rating
        if rating <= 2 and index < len(marks) - 1:
            stop = yield Ask.yes_no(
                f"stop_{mark}min",
                f"It's down to {spoken_number(rating)}. Would you like to stop here?",
            )
            if as_yes(stop):
                yield Say(SURF_STOP_EARLY)
                break
            yield Say(SURF_KEEP_GOING)
    yield Say(SURF_END)
    yield from compare(before, latest)
    record_duration(ctx)
    helped_words = yield Ask.free("what_helped", WHAT_HELPED_PROMPT, optional=True)
    helped = as_text(helped_words) if said(helped_words) else None
    ctx.journal.save_urge(
        ctx.session_id,
        ctx.now(),
        intensity_before=before,
        intensity_after=latest,
        trigger=trigger,
        what_helped=helped,
        method="surfing",
    )
    yield Say(SURF_THANKS)


def urge_surfing(ctx: ExerciseContext) -> Script:
    before = yield from rate_before(ctx)
    yield from surf(ctx, before, None)


EXERCISES = (
    Exercise(
        "urge_surfing",
        "urge surfing",
        urge_surfing,
        "Urge surfing: you watch the urge rise, peak and fall, using your breath as a "
        "surfboard. I'll check in every couple of minutes.",
    ),
)
