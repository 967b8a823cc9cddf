"""A check-in in under a minute: mood, urge and sleep as three 0–10 ratings.

One encouraging line reacts to the numbers; the most pressing one wins, so a
strong urge is never buried under a comment about sleep.
"""

from __future__ import annotations

from voice_coach.exercises.script import Ask, Exercise, ExerciseContext, Say, Script
from voice_coach.exercises.wording import MOOD_SCALE, SLEEP_SCALE, URGE_SCALE, as_number

INTRO = "Quick check in. Three numbers, each from zero to ten."
MOOD_PROMPT = "How is your mood right now?"
MOOD_HELP = "Zero is very low. Ten is great."
URGE_PROMPT = "How strong are any urges right now? Zero means none."
URGE_HELP = "Zero means no urge at all. Ten is the strongest urge you can imagine."
SLEEP_PROMPT = "And how well did you sleep last night?"
SLEEP_HELP = "Zero is no sleep at all. Ten is the best sleep you can remember."

STRONG_URGE = (
    "That's a strong urge. If you'd like, say 'I'm having an urge' and we'll work through "
    "it together."
)
LOW_MOOD = (
    "That sounds like a hard moment. Thank you for being honest about it. "
    "If you'd like to slow things down, say 'let's do some breathing'."
)
POOR_SLEEP = "Not much sleep makes everything harder. Go easy on yourself today."
GOOD_NUMBERS = "Those are good numbers. Whatever you're doing, it's working."
SOME_URGE = "Some urge is there. Noticing it early is exactly the skill that helps."
STEADY = "Thanks for checking in. Noticing how you are is a skill, and you're using it."
NOTHING_GIVEN = "That's okay. We can check in any time."


def reaction(mood: int | None, urge: int | None, sleep: int | None) -> str:
    """The one line said after the numbers, most pressing first."""
    if mood is None and urge is None and sleep is None:
        return NOTHING_GIVEN
    if urge is not None and urge >= 7:
        return STRONG_URGE
    if mood is not None and mood <= 3:
        return LOW_MOOD
    if sleep is not None and sleep <= 3:
        return POOR_SLEEP
    if urge is not None and urge >= 4:
        return SOME_URGE
    if (mood is None or mood >= 7) and (urge is None or urge <= 3):
        return GOOD_NUMBERS
    return STEADY


def check_in(ctx: ExerciseContext) -> Script:
    yield Say(INTRO)
    mood = as_number((yield Ask.number("mood", MOOD_PROMPT, help=MOOD_HELP, scale=MOOD_SCALE)))
    urge = as_number((yield Ask.number(
        "urge_level", URGE_PROMPT, help=URGE_HELP, scale=URGE_SCALE, none_is_zero=True
    )))
    sleep = as_number((yield Ask.number(
        "sleep", SLEEP_PROMPT, help=SLEEP_HELP, scale=SLEEP_SCALE, hours_key="sleep_hours"
    )))
    yield Say(reaction(mood, urge, sleep))


EXERCISES = (
    Exercise(
        "check_in",
        "a quick check in",
        check_in,
        "A quick check in: three numbers from zero to ten, for your mood, any urge, and how "
        "you slept.",
    ),
)
