"""The top level, between exercises: requests, offers and the coach's small talk.

What an intent does here is one entry in `TOP_LEVEL`; an exercise intent starts
its exercise (confirmed first when heard with doubt); an open offer ("shall we
breathe together?") takes yes or no, and any other request is heard as itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from voice_coach import names
from voice_coach.dialogue import replies
from voice_coach.messages import Reply
from voice_coach.understanding.matcher import IntentMatch

if TYPE_CHECKING:
    from voice_coach.dialogue.engine import Coach

CONFIRM_BELOW = 0.75
"""An exercise matched with less confidence than this is confirmed before it starts.

Chosen on spoken phrases (Piper voice, PocketSphinx, benchmarks/phrases.yaml; the
"domain" section of `python -m benchmarks` measures it, with its "wrong exercise
started" column): most wrong exercise starts, out-of-scope requests such as "is it
sunny outside" among them, match below 0.75, against few right ones. One "yes" is
a small price; being dropped into the wrong exercise is not.
"""


@dataclass(frozen=True)
class Offer:
    """A yes/no question asked at the top level ("shall we breathe together?")."""

    exercise: str
    """The exercise to start on yes ("" for none)."""
    on_no: str
    """What to say on no."""


TopLevelAction = Callable[["Coach", str], Reply]
"""What an intent does at the top level: (coach, intent) -> the reply."""


def _greeting(coach: Coach, intent: str) -> Reply:
    return coach.top(replies.greeting(coach.name), intent=intent)


def _goodbye(coach: Coach, intent: str) -> Reply:
    return coach.top([replies.goodbye(coach.name)], intent=intent, ended=True)


def _thanks(coach: Coach, intent: str) -> Reply:
    return coach.top([replies.YOURE_WELCOME], intent=intent)


def _help(coach: Coach, intent: str) -> Reply:
    return coach.top(list(replies.capabilities(coach.exercises)), intent=intent)


def _repeat(coach: Coach, intent: str) -> Reply:
    return coach.top(list(coach.last_top) or [replies.WHAT_NEXT], intent=intent)


def _slower(coach: Coach, intent: str) -> Reply:
    coach.turns.slow_down()
    return coach.top([replies.SLOWER, *coach.last_top], intent=intent)


def _okay_here(coach: Coach, intent: str) -> Reply:
    return coach.top([replies.OKAY_HERE], intent=intent)


def _what_next(coach: Coach, intent: str) -> Reply:
    """An intent with nothing to do here ("yes", "skip", a bare number): say what can be."""
    return coach.top([replies.WHAT_NEXT], intent=intent)


TOP_LEVEL: dict[str, TopLevelAction] = {
    names.GREETING: _greeting,
    names.GOODBYE: _goodbye,
    names.THANKS: _thanks,
    names.HELP: _help,
    names.REPEAT: _repeat,
    names.SLOWER: _slower,
    names.STOP: _okay_here,
    names.NO: _okay_here,
    names.PAUSE: _okay_here,
}
"""Intents with their own answer at the top level; any other known intent gets `_what_next`."""


def answer_offer(coach: Coach, offer: Offer, text: str) -> Reply | None:
    """Yes or no to an open offer; None when the answer is something else (a request)."""
    yes_no = coach.understanding.recognize(text, allowed={names.YES, names.NO})
    if yes_no.intent == names.YES:
        if offer.exercise:
            return coach.start_exercise(offer.exercise)
        return coach.top([replies.WHAT_NEXT])
    if yes_no.intent == names.NO:
        return coach.top([offer.on_no])
    return None


def request(coach: Coach, match: IntentMatch) -> Reply:
    """What a request heard at the top level does."""
    intent = match.intent
    if intent is None:
        return coach.top(list(replies.out_of_scope()), intent=None)
    if intent in coach.exercises:
        if match.confidence < CONFIRM_BELOW:
            coach.offer(Offer(intent, replies.MISHEARD))
            title = coach.exercises[intent].title
            return coach.top([replies.did_you_ask_for(title)], intent=intent)
        return coach.start_exercise(intent, intent=intent)
    return TOP_LEVEL.get(intent, _what_next)(coach, intent)
