"""DISARM: the Destructive Imagery and Self-talk Awareness and Refusal Method.

SMART Recovery (smartrecovery.org/disarm) describes two steps: *awareness* —
recognise the urge's images and self-talk ("I need this to relax", "just one more
time won't hurt") as "deceptive enemy tactics" — and *refusal*, which "isn't merely
about saying no" but "countering these deceptive messages with the truth about the
substance or behavior and its consequences". The handbook adds naming the urge
("The Inner Brat", "The Lobbyist", "The Whiner"), refusing it firmly by name, and
then to "visualize it getting smaller and weaker, and disappearing" (SMART
Handbook, as quoted on reddit.com/r/SMARTRecovery "Tool Tuesday – DISARM").

Changed against the first version: the urge's *imagery* is asked about, not only its
words; the refusal is followed by the truth about consequences in the person's own
words; a refusal that agrees with the urge ("whatever, I'm going to drink anyway") is
noticed instead of praised, and the coach offers to put the decision off; and a name
said in a sentence ("I guess I'd call it the wolf cause it's always hungry") gives
"the wolf" instead of being dropped.
"""

from __future__ import annotations

import re

from voice_coach.exercises.script import Ask, Exercise, ExerciseContext, Pause, Say, Script
from voice_coach.exercises.urge_log import rate_again_and_log, rate_before
from voice_coach.exercises.wording import as_yes, behaviour, said, sentence_start
from voice_coach.understanding.readback import extract_name

DISARM_INTRO = (
    "DISARM stands for destructive imagery and self talk awareness and refusal method.",
    "It means catching the pictures and the voice of the urge, and refusing them.",
    "That voice is not you. It's just the urge talking.",
)
URGE_NAME_PROMPT = (
    "Let's give that voice a name. Some people call it the liar, the salesman, or the brat. "
    "What would you like to call yours?"
)
URGE_NAME_DEFAULT = "the urge"
IMAGERY_PROMPT = (
    "Urges often show you a picture, like the first cold sip, or how relaxed you'll feel. "
    "What picture is {name} showing you?"
)
IMAGERY_ANSWER = "That picture is the advert. It leaves out the rest of the story."
EXCUSES_PROMPT = "And what is {name} telling you right now? What excuses is it making?"
EXCUSES_ANSWER = (
    "That's the urge talking. It always sounds convincing in the moment.",
    "But it's an excuse, not the truth.",
)
TRUTH_PROMPT = (
    "Now tell me the truth it leaves out. What really happens after {behaviour}, "
    "the next morning or the next week?"
)
TRUTH_ANSWER = "That's the truth {name} doesn't want you to hear: {truth}."
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
    "Now picture {name} getting smaller and quieter, and weaker, until it fades away.",
)
URGE_WINNING = (
    "It sounds like the urge is winning right now. That's okay, it happens, "
    "and it doesn't mean you have to act on it."
)
DELAY_OFFER = "Could you put off deciding for just fifteen minutes, while we breathe together?"
DELAY_YES = (
    "Good. Fifteen minutes. Breathe slowly with me, and let {name} talk without answering."
)
DELAY_NO = (
    "Okay. Whatever you decide, you can talk to me again any time, "
    "and calling someone you trust can really help right now."
)
DELAY_PAUSE_SECONDS = 60

_AGREEING = re.compile(
    r"\b(?:going to|gonna|will|i'll|i'm going to)\s+(?:drink|use|smoke|gamble|have (?:one|a)|"
    r"do it|bet|get high|get drunk|give in)\b|\b(?:anyway|whatever|why not|what's the point|"
    r"i don't care|screw it|fuck it|just one|you're right|it's right|fine,? i'll|i want (?:it|to))"
    r"\b|^(?:yes|yeah|ok|okay|sure)\b",
    re.IGNORECASE,
)
_REFUSING = re.compile(r"\b(?:no|not|never|won't|will not|refuse|get lost|go away|shut up)\b",
                       re.IGNORECASE)


def agrees_with_urge(text: str) -> bool:
    """True when a "refusal" actually sides with the urge ("whatever, I'm drinking anyway")."""
    if not _AGREEING.search(text):
        return False
    return not _REFUSING.search(_AGREEING.sub(" ", text)) or "anyway" in text.lower()


def disarm_core(ctx: ExerciseContext) -> Script:
    """Name, imagery, excuses, truth, refusal and the shrinking image (no ratings)."""
    doing = behaviour(ctx.settings.focus)
    for line in DISARM_INTRO:
        yield Say(line)
    given = extract_name(str((yield Ask.free("urge_name", URGE_NAME_PROMPT, optional=True)) or ""))
    name = given or URGE_NAME_DEFAULT
    personal = given is not None
    if given:
        yield Say(f"Okay. From now on, that voice is {name}.", personal=True)
    image = said((yield Ask.free(
        "imagery", IMAGERY_PROMPT.format(name=name), optional=True, personal=personal,
    )))
    if image:
        yield Say(IMAGERY_ANSWER)
    excuses = said((yield Ask.free(
        "excuses", EXCUSES_PROMPT.format(name=name), optional=True, personal=personal
    )))
    if excuses:
        yield Say(f"So {name} is telling you: {excuses}.", personal=True)
    for line in EXCUSES_ANSWER:
        yield Say(line)
    truth = said((yield Ask.free("truth", TRUTH_PROMPT.format(behaviour=doing), optional=True)))
    if truth:
        yield Say(TRUTH_ANSWER.format(name=name, truth=truth), personal=True)
    for line in REFUSAL_MODEL:
        yield Say(line.format(Name=sentence_start(name)), personal=personal and "{" in line)
    refusal = yield Ask.free(
        "refusal", REFUSAL_PROMPT, optional=True, literal=True, help=REFUSAL_HELP
    )
    if isinstance(refusal, str) and agrees_with_urge(refusal):
        yield Say(URGE_WINNING)
        if as_yes((yield Ask.yes_no("delay_fifteen", DELAY_OFFER))):
            yield Say(DELAY_YES.format(name=name), personal=personal)
            yield Pause(DELAY_PAUSE_SECONDS)
        else:
            yield Say(DELAY_NO)
        return
    for line in REFUSAL_DONE:
        yield Say(line.format(name=name), personal=personal)
    yield Pause(10)


def disarm_steps(ctx: ExerciseContext, before: int | None, trigger: str | None) -> Script:
    yield from disarm_core(ctx)
    yield from rate_again_and_log(ctx, before, trigger, "disarm")


def disarm(ctx: ExerciseContext) -> Script:
    before = yield from rate_before(ctx)
    yield from disarm_steps(ctx, before, None)


EXERCISES = (
    Exercise(
        "disarm",
        "DISARM",
        disarm,
        "DISARM: you give the urge's voice a name, notice the pictures and excuses it uses, "
        "tell the truth it leaves out, and refuse it out loud.",
    ),
)
