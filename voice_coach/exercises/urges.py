"""Coping with urges: rate it, name the trigger, then urge surfing, DEADS or DISARM.

Each method is also its own exercise, so "let's surf this urge" starts surfing
directly. Every path logs one urge entry: the rating before is saved the moment
it is given, so an urge is on record even if the person stops halfway.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass

from voice_coach.exercises.script import (
    Answer,
    Ask,
    Choice,
    Exercise,
    ExerciseContext,
    Pause,
    Say,
    Script,
    Step,
)
from voice_coach.exercises.wording import (
    as_number,
    as_text,
    as_yes,
    behaviour,
    join_words,
    sentence_start,
    spoken_number,
    strip_lead,
)

RATING_HELP = "Zero means no urge at all. Ten is the strongest urge you can imagine."
RATE_BEFORE = "How strong is the urge right now, from zero to ten?"
RATE_NOW = "How strong is the urge now, from zero to ten?"

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

# --- Before and after -----------------------------------------------------------------


def compare(before: int | None, after: int | None) -> Script:
    """Say where the urge started and where it is now, in plain words."""
    if after is None:
        return
    if before is None:
        yield Say(f"You're at {spoken_number(after)} now.")
    else:
        yield Say(
            f"You started at {spoken_number(before)} and now you're at {spoken_number(after)}."
        )
        if after < before:
            yield Say("The wave came down, and you rode it.")
        elif after == before:
            yield Say("It held steady, and you stayed with it.")
        else:
            yield Say("It's still strong. That's okay. It will pass, and you're not alone.")
    if after >= 7:
        yield Say("If you'd like to keep going, say I'm having an urge, and we'll go again.")


def _rate_before(ctx: ExerciseContext) -> Generator[Step, Answer, int | None]:
    """Ask for the starting rating and log the urge at once; the rating is sent back."""
    before = as_number((yield Ask.number("intensity_before", RATE_BEFORE, help=RATING_HELP)))
    ctx.journal.save_urge(ctx.session_id, ctx.now(), intensity_before=before)
    return before


# --- Urge surfing ---------------------------------------------------------------------

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
        rating = as_number((yield Ask.number(f"rating_{mark}min", RATE_NOW, help=RATING_HELP)))
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
    helped = as_text((yield Ask.free("what_helped", WHAT_HELPED_PROMPT, optional=True)))
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
    before = yield from _rate_before(ctx)
    yield from surf(ctx, before, None)


# --- DEADS ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Letter:
    """One letter of DEADS: what it means, and three things to pick from."""

    key: str
    """The answer's key in the journal."""
    lines: tuple[str, ...]
    """Said before the question: what the letter stands for."""
    prompt: str
    options: tuple[Choice, ...]
    """Concrete actions; each value is spoken after "you'll" ("set a timer")."""

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(option.value for option in self.options)


def _options(*options: tuple[str, ...]) -> tuple[Choice, ...]:
    """Choices named by their full wording, a few short forms, and their place in the list."""
    ordinals = ("the first one", "the second one", "the third one")
    return tuple(
        Choice(value, (value, *short, ordinal))
        for (value, *short), ordinal in zip(options, ordinals, strict=False)
    )


DEADS_INTRO = (
    "DEADS is five ways to get through an urge.",
    "D for deny or delay. E for escape. A for accept or avoid.",
    "D for dispute or distract. And S for substitute.",
    "Let's go through them. For each one, pick what you could do, or say skip.",
)
DEADS_LETTERS = (
    Letter(
        "delay",
        (
            "D is for deny or delay.",
            "You don't have to act on the urge now. Put it off, and it fades.",
        ),
        "Would you put it off for fifteen minutes, set a timer, or tell the urge not now?",
        _options(
            ("put it off for fifteen minutes", "put it off", "delay it", "delay"),
            ("set a timer", "timer", "a timer"),
            ("tell the urge not now", "not now", "tell the urge no"),
        ),
    ),
    Letter(
        "escape",
        ("E is for escape.", "Move away from whatever set the urge off."),
        "Could you go to another room, step outside, or put it out of reach?",
        _options(
            ("go to another room", "another room", "other room"),
            ("step outside", "outside", "go outside"),
            ("put it out of reach", "out of reach", "put it away"),
        ),
    ),
    Letter(
        "accept",
        (
            "A is for accept, or avoid.",
            "Accept that the urge is here. It's uncomfortable, but it can't make you act.",
            "And where you can, avoid the people and places that set it off.",
        ),
        "Would you let the urge be there, remind yourself it won't last, or stay away from the "
        "trigger?",
        _options(
            ("let the urge be there", "let it be", "accept it"),
            ("remind yourself it won't last", "it won't last", "remind myself"),
            ("stay away from the trigger", "stay away", "avoid it", "avoid the trigger",
             "trigger"),
        ),
    ),
    Letter(
        "dispute",
        (
            "The second D is for dispute, or distract.",
            "Dispute means talking back to the urge's excuses, like just this one time.",
            "Distract means giving your mind something else to do.",
        ),
        "Would you argue back at the urge, call someone, or do something else for a while?",
        _options(
            ("argue back at the urge", "argue", "argue back", "dispute it"),
            ("call someone", "call", "phone someone", "text someone", "call a friend"),
            ("do something else for a while", "something else", "distract myself",
             "distract"),
        ),
    ),
    Letter(
        "substitute",
        ("S is for substitute.", "Do something healthy in place of {behaviour}."),
        "Would you have a glass of water or tea, go for a walk, or keep your hands busy?",
        _options(
            ("have a glass of water or tea", "water", "tea", "a glass of water", "a cup of tea"),
            ("go for a walk", "walk", "a walk"),
            ("keep your hands busy", "hands busy", "keep busy", "busy", "my hands"),
        ),
    ),
)
DEADS_SKIPPED = "That's fine. Let's move on."
DEADS_NOTHING = "That's okay. Just knowing these five is a start."
DEADS_PAUSE_LINE = "Take a minute to start on it. I'll wait here."
DEADS_PAUSE_SECONDS = 60


def deads_steps(ctx: ExerciseContext, before: int | None, trigger: str | None) -> Script:
    for line in DEADS_INTRO:
        yield Say(line)
    chosen: list[str] = []
    for letter in DEADS_LETTERS:
        for line in letter.lines:
            yield Say(line.format(behaviour=behaviour(ctx.settings.focus)))
        answer = yield Ask.choice(letter.key, letter.prompt, letter.options)
        if isinstance(answer, str) and answer in letter.values:
            chosen.append(answer)
            yield Say(f"Okay, you'll {answer}.")
        else:
            yield Say(DEADS_SKIPPED)
    if chosen:
        yield Say(f"Here's your plan. You'll {join_words(chosen)}.")
        yield Say(DEADS_PAUSE_LINE)
        yield Pause(DEADS_PAUSE_SECONDS)
    else:
        yield Say(DEADS_NOTHING)
    yield from rate_again_and_log(ctx, before, trigger, "deads", "; ".join(chosen) or None)


def rate_again_and_log(
    ctx: ExerciseContext,
    before: int | None,
    trigger: str | None,
    method: str,
    what_helped: str | None = None,
) -> Script:
    """The close of DEADS and DISARM: rate the urge again, compare, log the urge entry."""
    after = as_number((yield Ask.number("intensity_after", RATE_NOW, help=RATING_HELP)))
    yield from compare(before, after)
    ctx.journal.save_urge(
        ctx.session_id,
        ctx.now(),
        intensity_before=before,
        intensity_after=after,
        trigger=trigger,
        what_helped=what_helped,
        method=method,
    )


def deads(ctx: ExerciseContext) -> Script:
    before = yield from _rate_before(ctx)
    yield from deads_steps(ctx, before, None)


# --- DISARM ---------------------------------------------------------------------------

DISARM_INTRO = (
    "DISARM stands for destructive imagery and self talk awareness and refusal method.",
    "It means catching the voice of the urge, and refusing it.",
    "That voice is not you. It's just the urge talking.",
)
URGE_NAME_PROMPT = (
    "Let's give that voice a name. Some people call it the liar, the salesman, or the brat. "
    "What would you like to call yours?"
)
URGE_NAME_DEFAULT = "the urge"
MAX_NAME_WORDS = 4
NAME_LEADS = (
    "call it", "i'll call it", "i will call it", "let's call it", "i call it", "its name is",
    "it's called", "name it", "call him", "call her",
)
EXCUSES_PROMPT = "What is {name} telling you right now? What excuses is it making?"
EXCUSES_ANSWER = (
    "That's the urge talking. It always sounds convincing in the moment.",
    "But it's an excuse, not the truth.",
)
REFUSAL_MODEL = (
    "Now let's refuse it, firmly. Like this.",
    "{Name}, no. I hear you, and I'm not doing it. You don't get to decide for me.",
)
REFUSAL_PROMPT = "Now you say it, out loud. Start with its name, and say it like you mean it."
REFUSAL_HELP = (
    "Say the name you gave the urge, then refuse it in your own words. "
    "Anything you say here is fine."
)
REFUSAL_DONE = (
    "Good. Say that every time you hear {name}.",
    "Now picture {name} getting smaller and quieter, until it fades away.",
)


def disarm_steps(ctx: ExerciseContext, before: int | None, trigger: str | None) -> Script:
    for line in DISARM_INTRO:
        yield Say(line)
    said = as_text((yield Ask.free("urge_name", URGE_NAME_PROMPT, optional=True)))
    name = strip_lead(said, NAME_LEADS) if said else URGE_NAME_DEFAULT
    if len(name.split()) > MAX_NAME_WORDS:  # a sentence, not a name: keep it simple
        said, name = None, URGE_NAME_DEFAULT
    if said:
        yield Say(f"Okay. From now on, that voice is {name}.", personal=True)
    excuses = as_text(
        (yield Ask.free(
            "excuses", EXCUSES_PROMPT.format(name=name), optional=True, personal=bool(said)
        ))
    )
    if excuses:
        yield Say(f"So {name} is telling you: {excuses}.", personal=True)
    for line in EXCUSES_ANSWER:
        yield Say(line)
    for line in REFUSAL_MODEL:
        yield Say(line.format(Name=sentence_start(name)), personal=bool(said) and "{" in line)
    yield Ask.free("refusal", REFUSAL_PROMPT, optional=True, literal=True, help=REFUSAL_HELP)
    for line in REFUSAL_DONE:
        yield Say(line.format(name=name), personal=bool(said))
    yield Pause(10)
    yield from rate_again_and_log(ctx, before, trigger, "disarm")


def disarm(ctx: ExerciseContext) -> Script:
    before = yield from _rate_before(ctx)
    yield from disarm_steps(ctx, before, None)


# --- Coping with an urge: choose a method ---------------------------------------------

Method = Callable[[ExerciseContext, int | None, str | None], Script]
METHODS: dict[str, Method] = {"surfing": surf, "deads": deads_steps, "disarm": disarm_steps}


def urge_help(ctx: ExerciseContext) -> Script:
    for line in URGE_OPENING:
        yield Say(line.format(name=f", {ctx.name}" if ctx.name else ""))
    before = yield from _rate_before(ctx)
    trigger = as_text((yield Ask.free("trigger", TRIGGER_PROMPT, optional=True)))
    if trigger:
        ctx.journal.save_urge(ctx.session_id, ctx.now(), trigger=trigger)
        yield Say(TRIGGER_THANKS)
    for line in METHODS_INTRO:
        yield Say(line)
    method = yield Ask.choice("method", METHOD_PROMPT, METHOD_CHOICES, help=METHOD_HELP)
    if not isinstance(method, str) or method not in METHODS:
        yield Say(METHOD_DEFAULT)
        method = "surfing"
    yield from METHODS[method](ctx, before, trigger)


EXERCISES = (
    Exercise(
        "urge_help",
        "coping with an urge",
        urge_help,
        "We rate the urge, note what set it off, and work through it with urge surfing, "
        "DEADS or DISARM.",
    ),
    Exercise(
        "urge_surfing",
        "urge surfing",
        urge_surfing,
        "Urge surfing: you watch the urge rise, peak and fall, using your breath as a "
        "surfboard. I'll check in every couple of minutes.",
    ),
    Exercise(
        "deads",
        "DEADS",
        deads,
        "DEADS is five ways through an urge: deny or delay, escape, accept or avoid, "
        "dispute or distract, and substitute. You pick one thing for each.",
    ),
    Exercise(
        "disarm",
        "DISARM",
        disarm,
        "DISARM: you give the urge's voice a name, notice its excuses, and refuse it out loud.",
    ),
)
