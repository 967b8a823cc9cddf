"""Paced breathing with spoken counts: box breathing or four-seven-eight, and a
short breath-and-grounding with no questions (`breathe_together`, for the safety state).

The counts are short spoken words with one-second pauses between them, so the
person can follow with eyes closed; the engine stretches the pauses with the pace.
"""

from __future__ import annotations

from dataclasses import dataclass

from voice_coach.exercises.script import Ask, Choice, Exercise, ExerciseContext, Pause, Say, Script
from voice_coach.exercises.wording import as_number, count, sentence_start, spoken_number

COUNT_PAUSE = 1.0
"""Seconds between spoken counts."""
DEFAULT_ROUNDS = 4


@dataclass(frozen=True)
class Phase:
    """One part of a breath: its first word, and how many counts it lasts."""

    words: str
    counts: int


@dataclass(frozen=True)
class Pattern:
    """A breathing pattern, as it is offered and then counted."""

    value: str
    description: str
    phases: tuple[Phase, ...]


BOX = Pattern(
    "box",
    "Box breathing: in for four, hold for four, out for four, hold for four.",
    (Phase("Breathe in", 4), Phase("Hold", 4), Phase("Breathe out", 4), Phase("Hold", 4)),
)
FOUR_SEVEN_EIGHT = Pattern(
    "4-7-8",
    "Or four seven eight: in for four, hold for seven, and out slowly for eight.",
    (Phase("Breathe in", 4), Phase("Hold", 7), Phase("Breathe out", 8)),
)
PATTERNS = {BOX.value: BOX, FOUR_SEVEN_EIGHT.value: FOUR_SEVEN_EIGHT}

INTRO = "Let's slow your breathing down together. There are two ways."
PATTERN_PROMPT = "Which would you like: box, or four seven eight?"
PATTERN_HELP = (
    "Box breathing is four counts each: in, hold, out, hold. "
    "Four seven eight is in for four, hold for seven, out for eight. Just say box, or four seven "
    "eight."
)
PATTERN_CHOICES = (
    Choice(BOX.value, ("box", "box breathing", "the box one", "the first one")),
    Choice(
        FOUR_SEVEN_EIGHT.value,
        ("four seven eight", "4 7 8", "478", "four seven eight breathing", "the second one"),
    ),
)
PATTERN_DEFAULT = "Let's do box breathing, then."
ROUNDS_PROMPT = "How many rounds? Four is a good start."
ROUNDS_HELP = "Say a number from one to ten. Each round is one full breath."
SETTLE = (
    "Sit comfortably. Let your shoulders drop.",
    "If it feels right, close your eyes.",
)
FEELING_PROMPT = "How calm do you feel now, from zero to ten?"
FEELING_HELP = "Zero is not calm at all. Ten is completely calm."
CALM = "Good. You can come back to this breathing any time you need it."
NOT_YET_CALM = (
    "That's okay. Even a little calmer counts. We can breathe again whenever you like."
)
ENDING = "Thank you for taking this time to breathe."


def rounds_from(answer: int | None) -> int:
    """None means "skip": four rounds. Zero still gets one round, to try it."""
    if answer is None:
        return DEFAULT_ROUNDS
    return max(1, answer)


def count_phase(phase: Phase) -> Script:
    """"Breathe in... two... three... four", one second apart."""
    yield Say(f"{phase.words}.")
    for number in range(2, phase.counts + 1):
        yield Pause(COUNT_PAUSE)
        yield Say(f"{sentence_start(spoken_number(number))}.")
    yield Pause(COUNT_PAUSE)


def breathing(ctx: ExerciseContext) -> Script:
    yield Say(INTRO)
    for pattern in PATTERNS.values():
        yield Say(pattern.description)
    choice = yield Ask.choice("pattern", PATTERN_PROMPT, PATTERN_CHOICES, help=PATTERN_HELP)
    if not isinstance(choice, str) or choice not in PATTERNS:
        yield Say(PATTERN_DEFAULT)
        choice = BOX.value
    pattern = PATTERNS[choice]
    rounds = rounds_from(
        as_number((yield Ask.number("rounds", ROUNDS_PROMPT, help=ROUNDS_HELP)))
    )
    yield Say(f"{sentence_start(count(rounds, 'round'))}. Let's begin.")
    for line in SETTLE:
        yield Say(line)
    yield Pause(2)
    for number in range(1, rounds + 1):
        if rounds > 1:
            yield Say(f"Round {spoken_number(number)}.")
        for phase in pattern.phases:
            yield from count_phase(phase)
    yield Say("And breathe normally.")
    yield Pause(3)
    feeling = as_number((yield Ask.number("calm_after", FEELING_PROMPT, help=FEELING_HELP)))
    if feeling is not None:
        yield Say(CALM if feeling >= 6 else NOT_YET_CALM)
    yield Say(ENDING)


TOGETHER = Pattern(
    "together",
    "In for four, out for six: a longer breath out calms the body.",
    (Phase("Breathe in", 4), Phase("And out", 6)),
)
TOGETHER_BREATHS = 3
TOGETHER_INTRO = "Let's take three slow breaths together. You don't need to say anything."
GROUNDING = (
    "Now feel your feet on the floor.",
    "Look around, and find one thing you can see.",
    "And one sound you can hear.",
)


def breathe_together(ctx: ExerciseContext) -> Script:
    """A short paced breath and grounding with no questions, for a hard moment.

    Offered from the safety state ("Would you like to breathe together?"): three
    breaths counted out on the engine's clock, a few grounding prompts, then the
    safety state asks "Are you safe right now?" again. No choices to make.
    """
    yield Say(TOGETHER_INTRO)
    yield Say(SETTLE[0])
    yield Pause(2)
    for number in range(1, TOGETHER_BREATHS + 1):
        yield Say(f"Breath {spoken_number(number)}.")
        for phase in TOGETHER.phases:
            yield from count_phase(phase)
    for line in GROUNDING:
        yield Say(line)
        yield Pause(3)
    yield Say("And breathe normally.")


EXERCISES = (
    Exercise(
        "breathe_together",
        "a few breaths together",
        breathe_together,
        "A few breaths together: I count three slow breaths, in for four and out for six, "
        "then help you notice where you are. There's nothing you need to answer.",
    ),
    Exercise(
        "breathing",
        "paced breathing",
        breathing,
        "Paced breathing: I count each breath for you, in, hold and out. Box breathing is four "
        "counts each; four seven eight is in for four, hold for seven, out for eight.",
    ),
)
