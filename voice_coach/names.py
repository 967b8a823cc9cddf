"""The names of the intents the code refers to, written once and checked against the YAML.

Code compares intents by these constants, never by bare strings; `check_names`
runs when the templates load, so a renamed intent in `intents/` fails at once
with the name that is missing instead of silently never matching.
"""

from __future__ import annotations

from collections.abc import Collection

from voice_coach.errors import VoiceCoachError

YES = "yes"
NO = "no"
NOT_SURE = "not_sure"
STOP = "stop"
REPEAT = "repeat"
SLOWER = "slower"
HELP = "help"
PAUSE = "pause"
RESUME = "resume"
SKIP = "skip"
BACK = "back"
NUMBER = "number"
CRISIS = "crisis"
GREETING = "greeting"
GOODBYE = "goodbye"
THANKS = "thanks"

SHAME = "shame"
LONELY = "lonely"
GOOD_NEWS = "good_news"
SOBRIETY_MILESTONE = "sobriety_milestone"
HONESTY = "honesty"
ABOUT_SMART = "about_smart"
MODERATION = "moderation"
WANT_TO_QUIT = "want_to_quit"
URGE_REVIEW = "urge_review"

MOMENTS = (
    SHAME, LONELY, GOOD_NEWS, SOBRIETY_MILESTONE, HONESTY, ABOUT_SMART, MODERATION,
    WANT_TO_QUIT, URGE_REVIEW,
)
"""Things a person says outside the exercises that get their own reply
(`intents/en/moments.yaml`, answered by `dialogue.moments`)."""

EVENING_REFLECTION = "evening_reflection"
BREATHING = "breathing"
BREATHE_TOGETHER = "breathe_together"
COST_BENEFIT = "cost_benefit"
SELF_ACCEPTANCE = "self_acceptance"
PLAN = "plan"
PROGRESS = "progress"

OFFERED_EXERCISES = (
    EVENING_REFLECTION, BREATHING, BREATHE_TOGETHER, COST_BENEFIT, SELF_ACCEPTANCE, PLAN, PROGRESS,
)
"""Exercises the dialogue names itself (offers, the evening reflection, the day count):
each must be a registered exercise, and so an intent (`tests/test_registry.py`)."""

CONTROLS = (STOP, REPEAT, SLOWER, HELP, PAUSE, RESUME, SKIP, BACK)
"""Intents that work at every step of every exercise: they steer the conversation itself
(`intents/en/control.yaml`)."""

REQUIRED = (YES, NO, NOT_SURE, *CONTROLS, NUMBER, CRISIS, GREETING, GOODBYE, THANKS, *MOMENTS,
            *OFFERED_EXERCISES)
"""Every intent the code names: each must be defined in the templates."""


class MissingIntentError(VoiceCoachError):
    """The templates lack an intent the code relies on."""


def check_names(defined: Collection[str], required: Collection[str] = REQUIRED) -> None:
    """Raise `MissingIntentError` naming every required intent the templates lack."""
    missing = sorted(set(required) - set(defined))
    if missing:
        raise MissingIntentError(
            f"The intent templates lack {', '.join(missing)}: the coach refers to them by "
            "name (voice_coach/names.py). Add them to intents/ or rename them back."
        )
