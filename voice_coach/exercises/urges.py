"""Coping with an urge: rate it, name the trigger and the thoughts with it, then pick a way
through — urge surfing, DEADS or DISARM (each also its own exercise and module).

Point 2 of SMART's 4-Point Program, "Coping with Urges". The opening keeps SMART's
urge-log entry (smartrecovery.org/urge-log: intensity, trigger, thoughts and
feelings, how long it lasted, what helped — see `urge_log`). The methods live in
`surfing`, `deads` and `disarm`; their names are re-exported here for callers that
knew the single module.
"""

from __future__ import annotations

from collections.abc import Callable

from voice_coach.exercises.deads import (  # noqa: F401  (re-exported)
    ATTACK,
    DEADS_INTRO,
    DEADS_LETTERS,
    DEADS_NOTHING,
    DEADS_PAUSE_LINE,
    DEADS_SKIPPED,
    Letter,
    deads,
    deads_steps,
)
from voice_coach.exercises.disarm import (  # noqa: F401  (re-exported)
    REFUSAL_PROMPT,
    URGE_NAME_DEFAULT,
    URGE_NAME_PROMPT,
    disarm,
    disarm_steps,
)
from voice_coach.exercises.script import Ask, Choice, Exercise, ExerciseContext, Say, Script
from voice_coach.exercises.surfing import (  # noqa: F401  (re-exported)
    SURF_GUIDANCE,
    SURF_THANKS,
    _checkpoints,
    surf,
    urge_surfing,
)
from voice_coach.exercises.urge_log import (  # noqa: F401  (re-exported)
    RATE_BEFORE,
    RATE_NOW,
    RATING_HELP,
    THOUGHTS_PROMPT,
    THOUGHTS_THANKS,
    compare,
    rate_again_and_log,
    rate_before,
)
from voice_coach.exercises.wording import as_text, said

# --- Coping with an urge: the opening -----------------------------------------------

URGE_OPENING = (
    "Okay{name}. I'm here with you.",
    "Urges rise and fall like a wave. This one will pass too.",
)
TRIGGER_PROMPT = "In a few words, what set it off? You can say skip."
TRIGGER_THANKS = "Thanks. Knowing what sets urges off helps you get ahead of them."
METHODS_INTRO = (
    "There are three ways we can work through it.",
    "Urge surfing: we ride the wave with your breath until it passes.",
    "DEADS: five quick things you can do right now.",
    "Or DISARM: we give the urge's voice a name, and refuse it.",
)
METHOD_PROMPT = "Which would you like: surfing, DEADS or DISARM?"
METHOD_HELP = (
    "Say surfing to ride the urge out with your breath. "
    "Say DEADS for five practical things to do now. "
    "Say DISARM to name the urge's voice and refuse it."
)
METHOD_DEFAULT = "Let's try urge surfing, then."
METHOD_CHOICES = (
    Choice("surfing", ("surfing", "urge surfing", "surf", "surf it", "the first one")),
    Choice("deads", ("deads", "dead s", "deeds", "the deads one", "the second one")),
    Choice("disarm", ("disarm", "disarm it", "the disarm one", "the third one")),
)

Method = Callable[[ExerciseContext, int | None, str | None], Script]
METHODS: dict[str, Method] = {"surfing": surf, "deads": deads_steps, "disarm": disarm_steps}


def urge_help(ctx: ExerciseContext) -> Script:
    for line in URGE_OPENING:
        yield Say(line.format(name=f", {ctx.name}" if ctx.name else ""))
    before = yield from rate_before(ctx)
    trigger_words = yield Ask.free("trigger", TRIGGER_PROMPT, optional=True)
    trigger = as_text(trigger_words) if said(trigger_words) else None
    if trigger:
        ctx.journal.save_urge(ctx.session_id, ctx.now(), trigger=trigger)
        yield Say(TRIGGER_THANKS)
    if said((yield Ask.free("thoughts_feelings", THOUGHTS_PROMPT, optional=True))):
        yield Say(THOUGHTS_THANKS)
    for line in METHODS_INTRO:
        yield Say(line)
    method = yield Ask.choice(
        "method", METHOD_PROMPT, METHOD_CHOICES, help=METHOD_HELP, own_ideas=False
    )
    if not isinstance(method, str) or method not in METHODS:
        yield Say(METHOD_DEFAULT)
        method = "surfing"
    yield from METHODS[method](ctx, before, trigger)


EXERCISES = (
    Exercise(
        "urge_help",
        "coping with an urge",
        urge_help,
        "We rate the urge, note what set it off and what's on your mind, and work through it "
        "with urge surfing, DEADS or DISARM.",
    ),
)
