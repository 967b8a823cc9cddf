"""Unconditional Self-Acceptance (USA): you have worth as you are; you are not your behaviour.

SMART Recovery: "Unconditional self-acceptance is the idea that you have worth,
just as you are. This explains what separates 'you' — your character, traits,
personality, strengths, and weaknesses — from your behaviors. ... The same labels
that you may carry internally — 'failure,' 'disappointment,' or 'loser' — led to
your unhealthy behaviors" (SMART Recovery Tool: Unconditional Self-Acceptance,
HelpSmart.org/index-49.html; smartrecovery.org USA page). Its self-acceptance
thoughts include "I'm not a bad person when I act badly; I am a person who has
acted badly", "I can accept myself whether I win, lose, or draw" and "It may be
worse to fail, but failure does not make me a worse person" (r/SMARTRecovery
"Tool Tuesday – Am I a failure because I failed at something?"). USA comes from
Albert Ellis's REBT: people are fallible humans, and a whole person cannot be
rated by one act (SMART Recovery podcast, "Embracing Reality" with Tom Horvath).

The exercise follows that: name the label, dispute it with SMART's questions
(is one act the whole of you? would you say it to a friend? what else is true of
you?), separate the person from the behaviour, and put a kinder, truer sentence
in the person's own words. Nothing here asks anyone to feel good about a behaviour
they want to change: accepting yourself is what makes changing it possible.
"""

from __future__ import annotations

import re

from voice_coach.exercises.script import Ask, Exercise, ExerciseContext, Say, Script
from voice_coach.exercises.wording import said

INTRO = (
    "Let's try unconditional self acceptance. It's one of SMART's core ideas.",
    "It means you have worth just as you are. You are a person, and people make mistakes. "
    "You are not your behaviour.",
)
LABEL_PROMPT = (
    "When things go wrong, what do you call yourself? For example, a failure, useless, "
    "or a bad person."
)
LABEL_HELP = "Just the word or the sentence you say to yourself. You can also say skip."
LABEL_ECHO = "So you tell yourself that {label}. That's a heavy thing to carry."
WHOLE_PROMPT = (
    "Here's the first question. Is one thing you did, or even a habit, the whole of who "
    "you are?"
)
WHOLE_NO = "Right. It's something you did, not all that you are."
WHOLE_YES = (
    "It can really feel that way. But a whole person is far more than any one act, "
    "good or bad."
)
FRIEND_PROMPT = (
    "If a good friend had done the same thing, would you call them that? What would you "
    "say to them?"
)
FRIEND_ECHO = "That's kind, and it's true for you as well."
OTHER_PROMPT = (
    "What else is true about you? Something you care about, something you're good at, or "
    "something you've done for someone."
)
OTHER_ECHO = "That's part of you too: {other}."
SEPARATE = (
    "Here's how SMART puts it. I'm not a bad person when I act badly. "
    "I'm a person who has acted badly, and I can learn from it."
)
NEW_VIEW_PROMPT = "Now in your own words. What could you tell yourself instead, next time?"
NEW_VIEW_HELP = (
    "Something like: I made a mistake, and I'm still worth something. "
    "Or: I'm a person who is working on changing."
)
NEW_VIEW_ECHO = "Your new way to see it: {view}."
NEW_VIEW_SKIPPED = (
    "That's okay. You can borrow SMART's words for now: I'm a person who has acted badly, "
    "not a bad person."
)
STILL_HARSH = (
    "That still sounds like the old label talking, and that's okay, it's hard to shift. "
    "For now, try SMART's words: I'm a person who has acted badly, not a bad person."
)
_HARSH = re.compile(
    r"\b(useless|worthless|failure|loser|pathetic|stupid|idiot|disgusting|bad person|"
    r"hate (?:myself|yourself)|no good|waste of space|hopeless)\b",
    re.IGNORECASE,
)
_NEGATED = re.compile(r"\b(not|n't|never|no longer|isn't|aren't)\b", re.IGNORECASE)


def still_harsh(view: str) -> bool:
    """True when the "kinder" sentence is the old label again ("I'm useless")."""
    return bool(_HARSH.search(view)) and not _NEGATED.search(view)


CLOSING = (
    "Accepting yourself doesn't mean giving up on change. It's what makes change possible.",
    "You can come back to this whenever that old label shows up.",
)
HELP = (
    "Unconditional self acceptance: we look at a harsh label you use for yourself, question "
    "it, and find a kinder, truer way to see yourself, in your own words."
)


def self_acceptance(ctx: ExerciseContext) -> Script:
    for line in INTRO:
        yield Say(line)
    label = said((yield Ask.free("self_label", LABEL_PROMPT, optional=True, help=LABEL_HELP)))
    if label:
        yield Say(LABEL_ECHO.format(label=label), personal=True)
    whole = yield Ask.yes_no("whole_of_you", WHOLE_PROMPT)
    if whole is False:
        yield Say(WHOLE_NO)
    elif whole is True:
        yield Say(WHOLE_YES)
    if said((yield Ask.free("friend", FRIEND_PROMPT, optional=True))):
        yield Say(FRIEND_ECHO)
    other = said((yield Ask.free("other_truths", OTHER_PROMPT, optional=True)))
    if other:
        yield Say(OTHER_ECHO.format(other=other), personal=True)
    yield Say(SEPARATE)
    view = said((yield Ask.free("new_view", NEW_VIEW_PROMPT, optional=True, help=NEW_VIEW_HELP)))
    if view and still_harsh(view):
        yield Say(STILL_HARSH)
    elif view:
        yield Say(NEW_VIEW_ECHO.format(view=view), personal=True)
    else:
        yield Say(NEW_VIEW_SKIPPED)
    for line in CLOSING:
        yield Say(line)


EXERCISES = (
    Exercise("self_acceptance", "unconditional self acceptance", self_acceptance, HELP),
)
