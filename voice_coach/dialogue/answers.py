"""Turn what the person said into the answer an exercise asked for.

Kept apart from the engine so the rules for "is this a rating, a yes, a choice?"
live in one place and can be tested on their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from voice_coach import names
from voice_coach.exercises.script import Answer, Ask
from voice_coach.messages import ListenFor
from voice_coach.number_words import spoken_number
from voice_coach.understanding import Understanding
from voice_coach.understanding.numbers import ZERO_WORDS, find_numbers, parse_rating
from voice_coach.understanding.readback import is_non_answer

MAX_ANSWER_CHARS = 1_000_000
"""A guard against runaway input (a pasted file), not a limit anyone meets: a 100 KB answer is
kept whole. Beyond it the answer is kept up to here and says so (`CUT_NOTE`)."""
CUT_NOTE = " [... the rest was cut: the answer was longer than 1,000,000 characters]"

MAX_RATING_CHARS = 300
"""A rating said in more characters than this is not a rating (5,000 nines is not a 9)."""
_LONG_NUMBER = re.compile(r"\d[\d,_' ]*\d")
_EXPONENT = re.compile(r"\d\s*e\s*[+-]?\d", re.IGNORECASE)

CONTROL_INTENTS = frozenset(names.CONTROLS)

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
    """What to store as the answer's text (always the words as said)."""
    number: float | None = None
    """What to store as the answer's number (ratings, yes=1/no=0)."""
    retry: str = ""
    """When not ok: what to say before asking again."""
    note: str = ""
    """When ok: a short line said before the script moves on ("Let's leave that one")."""
    extra: tuple[tuple[str, str, str, float | None], ...] = ()
    """Further answers to store: (key, question, text, number) — hours given for a rating."""


MOVE_ON = "That's okay. Let's leave that one."
"""Said when a second try still gives no usable answer: the question is let go kindly."""

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
    goodbye = match.intent == names.GOODBYE and kind is not ListenFor.FREE
    intent = names.STOP if goodbye else match.intent
    if intent not in CONTROL_INTENTS or match.confidence < CONTROL_CONFIDENCE:
        return None
    if kind is ListenFor.FREE and (len(text.split()) > 4 or match.confidence < 0.999):
        return None  # only an exact command phrase: "it helps me" and "a second" are answers
    return intent


def keep_whole(text: str) -> str:
    """A free answer as stored: whole, or (past `MAX_ANSWER_CHARS`) cut with a note saying so."""
    text = text.strip()
    return text if len(text) <= MAX_ANSWER_CHARS else text[:MAX_ANSWER_CHARS] + CUT_NOTE


_CORRECTION = re.compile(
    r"^(?:(?:(?:wait|sorry|oops|no|hang on|hold on|actually|oh)[\s,.!]+)+"
    r"(?:i mean|i meant|i meant to say|make that|change (?:that|it) to|it should be)"
    r"|i meant|i meant to say|make that|change (?:that|it) to|it should have been|"
    r"correction)[\s,:]+(?P<rest>.+)$",
    re.IGNORECASE,
)
MAX_CORRECTION_WORDS = 6
"""Longer sentences starting "no, I meant ..." are answers to the open question."""


def correction(text: str) -> str | None:
    """The corrected answer in "wait, I meant three" ("three"); None when not a correction.

    A bare "I mean ..." is how people start answers, so it needs a "wait" or "sorry".
    """
    match = _CORRECTION.match(text.strip())
    if match is None:
        return None
    rest = match.group("rest").strip(" .!")
    return rest if len(rest.split()) <= MAX_CORRECTION_WORDS else None


def parse_answer(u: Understanding, ask: Ask, text: str, attempt: int = 0) -> Parsed:
    """Read `text` as an answer to `ask`; `retry` says what to do when it is not one.

    `attempt` counts the tries already failed at this question. The first failure
    gets one gentle retry; the second lets the question go (ok with no value) so
    the coach never repeats the same re-prompt twice and never loops.
    """
    clipped = keep_whole(text)
    if ask.kind is ListenFor.NUMBER:
        parsed = _parse_number(ask, clipped)
    elif ask.kind is ListenFor.YES_NO:
        parsed = _parse_yes_no(u, clipped)
    elif ask.kind is ListenFor.CHOICE:
        parsed = _parse_choice(u, ask, clipped)
    else:
        # Free words are kept as said, "I don't know" too: the read-back (`said`) leaves
        # non-answers out, and the journal keeps exactly what the person answered.
        return Parsed(True, clipped, clipped)
    if parsed.ok or attempt < 1:
        return parsed
    return Parsed(True, None, clipped, note=MOVE_ON, extra=parsed.extra)


def scale_words(ask: Ask) -> str:
    """What the scale means for this question, spoken: "Zero means X, ten means Y."."""
    low, high = ask.scale
    if not low or not high:
        return "Zero is the lowest, ten the highest."
    return f"Zero means {low}, ten means {high}."


_HOURS = re.compile(r"\b(hours?|hrs?|h)\b")
_RATING_CUES = re.compile(
    r"\b(out of|/|a|an|about|around|maybe|say|probably|like|rate|rating|give it|at|"
    r"solid|only|guess|is|was|it's|its|i'm|im|i'd|feel|feels|feeling|pretty|just|"
    r"perhaps|roughly|number|level|ish|or|and|to|between|low|high|now|today)\b"
)
_AFTER_NUMBER_OK = frozenset({
    "", "out", "or", "and", "to", "maybe", "i", "probably", "ish", "today", "now", "right",
    "at", "points", "point", "on", "tonight", "really", "honestly", "perhaps", "i'd", "i'm",
    "if", "but", "though", "guess", "think", "please", "yeah", "yes", "no", "as", "because",
    "cause", "so", "is", "it's", "was", "tops", "max", "this", "for", "sort", "kind",
    "would", "i'll", "say", "say,", "over", "of", "-",
})
"""Words that may follow a rating ("six or so", "four out of ten"). Any other word makes
the number part of something else: "one new friend", "two drinks", "four hours"."""


def _number_is_rating(words: list[str], start: int, end: int) -> bool:
    """True when the number at words[start:end] is the answer, not part of a phrase."""
    following = words[end] if end < len(words) else ""
    if following not in _AFTER_NUMBER_OK and not following.startswith("/"):
        return False
    if start > 0 and words[start - 1] in ("the", "that", "this", "which", "every", "no"):
        return False  # "the one", "that one", "no one"
    return len(words) <= 8 or any(_RATING_CUES.search(w) for w in words[max(0, start - 3):start])


def _absurd_rating(text: str, scale: str) -> Parsed | None:
    """Numbers no rating can be: huge, in exponent form, or buried in a wall of text."""
    if len(text) > MAX_RATING_CHARS or _EXPONENT.search(text):
        return Parsed(False, retry=f"Just a number from zero to ten is fine. {scale}")
    for run in _LONG_NUMBER.findall(text):
        digits = re.sub(r"\D", "", run)
        if len(digits) > 2 and int(digits[:7]) > 10:
            said = f"{int(digits):,}" if len(digits) <= 7 else "That number"
            return Parsed(False, retry=f"{said} is off the scale. Please give me a number "
                          f"from zero to ten. {scale}")
    return None


def _parse_number(ask: Ask, text: str) -> Parsed:
    from voice_coach.understanding.normalize import normalize

    scale = scale_words(ask)
    absurd = _absurd_rating(text, scale)
    if absurd is not None:
        return absurd
    words = normalize(text[:2000]).split()
    spans = find_numbers(words)
    if ask.hours_key and spans and _HOURS.search(" ".join(words[spans[0].end:spans[0].end + 2])):
        hours = spans[0].value
        extra = ((ask.hours_key, "Hours of sleep", text, float(hours)),)
        return Parsed(
            False, extra=extra,
            retry=f"Thanks, {spoken_number(hours)} hours. "
            f"And how good was the sleep itself? {scale}",
        )
    if spans and not _number_is_rating(words, spans[0].start, spans[0].end):
        return Parsed(False, retry=f"I'd like a number for that one, from zero to ten. {scale}")
    if not spans:
        if ask.none_is_zero and ZERO_WORDS.intersection(words):
            return Parsed(True, 0, "0", 0.0)
        if is_non_answer(text) or ZERO_WORDS.intersection(words):
            return Parsed(False, retry=f"That's okay if it's hard to say. A rough guess is fine. "
                          f"{scale}")
        return Parsed(False, retry=f"Just a number from zero to ten is fine. {scale}")
    rating = parse_rating(text)
    if rating.value is not None:
        return Parsed(True, rating.value, str(rating.value), float(rating.value))
    if rating.out_of_range is not None:
        return Parsed(
            False,
            retry=f"{rating.out_of_range} is off the scale. "
            f"Please give me a number from zero to ten. {scale}",
        )
    return Parsed(False, retry=f"Just a number from zero to ten is fine. {scale}")


def _parse_yes_no(u: Understanding, text: str) -> Parsed:
    match = u.recognize(text, allowed={names.YES, names.NO})
    if match.intent == names.YES:
        return Parsed(True, True, "yes", 1.0)
    if match.intent == names.NO:
        return Parsed(True, False, "no", 0.0)
    if is_non_answer(text):
        return Parsed(False, retry="That's okay. If you had to pick, would it be yes or no?")
    return Parsed(False, retry="Sorry, I didn't catch that. Please say yes or no.")


_QUESTION = re.compile(r"^(what|which|how|why|who|where|when|can|could|do|does|is|are)\b", re.I)


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
    if key is not None:
        return Parsed(True, key, key)
    names = [c.phrases[0] if c.phrases else c.value for c in ask.choices]
    listed = ", ".join(names[:-1]) + f", or {names[-1]}" if len(names) > 1 else names[0]
    if is_non_answer(text):
        return Parsed(False, retry=f"That's okay. Would one of these do: {listed}?")
    if ask.own_ideas and not _QUESTION.match(text) and len(text) >= 3:
        return Parsed(True, text, text)  # the person's own idea: a real answer
    return Parsed(False, retry=f"Sorry, which one would you like: {listed}?")
