"""DEADS: five quick ways through an urge — Deny/Delay, Escape, Avoid/Accept/Attack,
Distract, Substitute.

SMART Recovery's toolbox names it "Deny/Delay; Escape; Avoid/Accept/Attack; Distract;
Substitute" (smartrecovery.org/smart-recovery-toolbox, smartrecovery.org/deads).
The handbook's wording, followed here: Deny/Delay — don't give in, remind yourself
it will pass; Escape the trigger — leave; Avoid the trigger, Accept the urge (it
will pass, the next one will be weaker), or *Attack* it — "dispute irrational
beliefs ... or do an ABC" (SMART handbook DEADS, as on smartsouthport.co.uk/deads.html);
Distract yourself with an activity; Substitute healthy thoughts and actions.

Changed against the first version: A now offers Attack (and runs DISARM right
after the plan when chosen), and every letter takes the person's own idea ("I could
put the wine down the sink" → "Okay, you'll put the wine down the sink"), stored as
said. What helped is recorded only after "did that help?" says yes.
"""

from __future__ import annotations

from dataclasses import dataclass

from voice_coach.exercises.disarm import disarm_core
from voice_coach.exercises.script import (
    Ask,
    Choice,
    Exercise,
    ExerciseContext,
    Pause,
    Say,
    Script,
)
from voice_coach.exercises.urge_log import rate_again_and_log, rate_before
from voice_coach.exercises.wording import behaviour, join_words
from voice_coach.understanding.readback import action_phrase

ATTACK = "attack it with DISARM"

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
    "D for deny or delay. E for escape. A for avoid, accept or attack.",
    "D for distract. And S for substitute.",
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
            "A is for avoid, accept, or attack.",
            "Avoid the people and places that set it off, where you can.",
            "Accept that the urge is here. It's uncomfortable, but it can't make you act.",
            "Or attack it: talk back to it with a tool like DISARM.",
        ),
        "Would you stay away from the trigger, let the urge be there, or attack it with DISARM?",
        _options(
            ("stay away from the trigger", "stay away", "avoid it", "avoid the trigger",
             "avoid", "trigger"),
            ("let the urge be there", "let it be", "accept it", "accept",
             "remind myself it won't last", "it won't last"),
            (ATTACK, "attack it", "attack", "disarm", "disarm it", "fight it", "talk back"),
        ),
    ),
    Letter(
        "distract",
        (
            "The second D is for distract.",
            "Give your mind something else to do, even if you don't feel like it.",
        ),
        "Would you call someone, count backwards from a hundred, or do something else for a "
        "while?",
        _options(
            ("call someone", "call", "phone someone", "text someone", "call a friend"),
            ("count backwards from a hundred", "count backwards", "count", "counting"),
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
DEADS_ATTACK = "You chose to attack the urge, so let's do that now, with DISARM."


def deads_steps(ctx: ExerciseContext, before: int | None, trigger: str | None) -> Script:
    for line in DEADS_INTRO:
        yield Say(line)
    chosen: list[str] = []
    attack = False
    for letter in DEADS_LETTERS:
        for line in letter.lines:
            yield Say(line.format(behaviour=behaviour(ctx.settings.focus)))
        answer = yield Ask.choice(letter.key, letter.prompt, letter.options)
        if answer == ATTACK:
            attack = True
            chosen.append("attack the urge")
            yield Say("Okay, you'll attack it. We'll do that in a moment.")
        elif isinstance(answer, str) and answer in letter.values:
            chosen.append(answer)
            yield Say(f"Okay, you'll {answer}.")
        elif (idea := action_phrase(answer)) is not None:
            chosen.append(idea)
            yield Say(f"Okay, you'll {idea}. That's a good idea of your own.", personal=True)
        else:
            yield Say(DEADS_SKIPPED)
    if chosen:
        yield Say(f"Here's your plan. You'll {join_words(chosen)}.", personal=True)
        if attack:
            yield Say(DEADS_ATTACK)
            yield from disarm_core(ctx)
        else:
            yield Say(DEADS_PAUSE_LINE)
            yield Pause(DEADS_PAUSE_SECONDS)
    else:
        yield Say(DEADS_NOTHING)
    yield from rate_again_and_log(ctx, before, trigger, "deads", "; ".join(chosen) or None)


def deads(ctx: ExerciseContext) -> Script:
    before = yield from rate_before(ctx)
    yield from deads_steps(ctx, before, None)


EXERCISES = (
    Exercise(
        "deads",
        "DEADS",
        deads,
        "DEADS is five ways through an urge: deny or delay, escape, avoid, accept or attack, "
        "distract, and substitute. You pick one thing for each, or say your own idea.",
    ),
)
