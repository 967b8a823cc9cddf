"""Turn what the person said into the answer an exercise asked for.

Kept apart from the engine so the rules for "is this a rating, a yes, a choice?"
live in one place and can be tested on their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from voice_coach.dialogue.events import ListenFor
from voice_coach.dialogue.script import Answer, Ask
from voice_coach.understanding import Understanding
from voice_coach.understanding.numbers import parse_rating

MAX_ANSWER_CHARS = 10_000
"""Longer free answers are cut: nobody speaks 10,000 characters in one breath."""

CONTROL_INTENTS = frozenset(
    {"stop", "repeat", "slower", "help", "pause", "resume", "skip", "back"}
)

_ORDINALS = {
    "first": 0, "one": 0, "1": 0, "second": 1, "two": 1, "2": 1, "third": 2, "three": 2,
    "3": 2, "fourth": 3, "four": 3, "4": 3, "fifth": 4, "five": 4, "5": 4, "last": -1,
}


@dataclass(frozen=True)
class Parsed:
    """The outcome of reading an answer."""

    ok: bool
    value: Answer = None
    text: str = ""
    """What to store as the answer's text."""
    number: float | None = None
    """What to store as the answer's number (ratings, yes=1/no=0)."""
    retry: str = ""
    """When not ok: what to say before asking again."""


CONTROL_CONFIDENCE = 0.85
"""How sure the matcher must be that an answer is really a command ("stop drinking" is not)."""


def control_intent(u: Understanding, text: str, kind: ListenFor) -> str | None:
    """A control word (stop, repeat, ...) said instead of an answer, if any.

    The control intent must win against every intent, not just the other
    controls, and clearly: "I don't want to stop" is about motivation and
    "stop drinking" is a cost-benefit answer. In free answers only a short
    phrase counts, so "I stopped at the bar" is an answer and "stop" a command.
    Goodbye inside an exercise means stop.
    """
    match = u.recognize(text)
    intent = "stop" if match.intent == "goodbye" and kind is not ListenFor.FREE else match.intent
    if intent not in CONTROL_INTENTS or match.confidence < CONTROL_CONFIDENCE:
        return None
    if kind is ListenFor.FREE and (len(text.split()) > 4 or match.confidence < 0.9):
        return None
    return intent


def parse_answer(u: Understanding, ask: Ask, text: str) -> Parsed:
    """Read `text` as an answer to `ask`; `retry` says what to do when it is not one."""
    if ask.kind is ListenFor.NUMBER:
        return _parse_number(text)
    if ask.kind is ListenFor.YES_NO:
        return _parse_yes_no(u, text)
    if ask.kind is ListenFor.CHOICE:
        return _parse_choice(u, ask, text)
    clipped = text.strip()[:MAX_ANSWER_CHARS]
    return Parsed(True, clipped, clipped)


def _parse_number(text: str) -> Parsed:
    rating = parse_rating(text)
    if rating.value is not None:
        return Parsed(True, rating.value, str(rating.value), float(rating.value))
    if rating.out_of_range is not None:
        return Parsed(
            False,
            retry=f"{rating.out_of_range} is off the scale. "
            "Please give me a number from zero to ten.",
        )
    return Parsed(
        False,
        retry="Just a number from zero to ten is fine. Zero means not at all, "
        "ten means the strongest.",
    )


def _parse_yes_no(u: Understanding, text: str) -> Parsed:
    match = u.recognize(text, allowed={"yes", "no"})
    if match.intent == "yes":
        return Parsed(True, True, "yes", 1.0)
    if match.intent == "no":
        return Parsed(True, False, "no", 0.0)
    return Parsed(False, retry="Sorry, I didn't catch that. Please say yes or no.")


def _parse_choice(u: Understanding, ask: Ask, text: str) -> Parsed:
    options = {c.value: c.phrases or (c.value,) for c in ask.choices}
    key, _score = u.match_choice(text, options)
    if key is None:
        words = re.findall(r"[a-z0-9]+", text.lower())
        for word in words:
            if word in _ORDINALS and (len(words) <= 4 or word in ("first", "second", "third")):
                index = _ORDINALS[word]
                if -len(ask.choices) <= index < len(ask.choices):
                    key = ask.choices[index].value
                    break
    if key is None:
        names = [c.phrases[0] if c.phrases else c.value for c in ask.choices]
        listed = ", ".join(names[:-1]) + f", or {names[-1]}" if len(names) > 1 else names[0]
        return Parsed(False, retry=f"Sorry, which one would you like: {listed}?")
    return Parsed(True, key, key)
