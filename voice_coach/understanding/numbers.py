"""Number words and ratings: "seven", "7", "a seven out of ten", "10/10", "minus two".

Speech recognizers write numbers as words ("seven") and typed text uses digits,
so both meet here. `parse_rating` reads a 0–10 answer out of free text and keeps
an out-of-range number apart (so the coach can say "from 0 to 10, please")
instead of silently clamping it or treating it as no answer at all.

Rules for the awkward cases, chosen so the result is predictable:

* several numbers ("maybe a 3 or 4", "between six and seven"): the FIRST one
  counts — people lead with their answer, and a fixed rule is easy to explain;
* "N out of M" with M other than ten is rescaled ("4 out of 5" → 8);
* "and a half" and decimals round half up ("six and a half" → 7);
* "zero" is 0, and so are "none", "nothing" and "nil" when no number was said.
"""

from __future__ import annotations

from dataclasses import dataclass

from voice_coach.number_words import (
    MAX_DIGITS,
    ONES,
    SCALES,
    TENS,
    digits_to_words,
    int_to_words,
)
from voice_coach.understanding.normalize import normalize

__all__ = [
    "MAX_DIGITS", "ONES", "SCALES", "TENS", "ZERO_WORDS", "NumberSpan", "Rating",
    "digits_to_words", "find_numbers", "int_to_words", "parse_rating", "read_number",
]

_WORD_VALUES: dict[str, int] = {word: n for n, word in enumerate(ONES)}
_WORD_VALUES.update({word: 10 * n for n, word in enumerate(TENS) if word})
_WORD_VALUES["fourty"] = 40
_SCALE_VALUES = {word: value for value, word in SCALES}
_NEGATIVE = frozenset({"minus", "negative"})
ZERO_WORDS = frozenset({"none", "nothing", "nil", "nought", "naught"})
"""Words that mean a rating of 0, but only when no real number was said."""

@dataclass(frozen=True)
class NumberSpan:
    """A number found in a list of words."""

    value: int
    start: int
    """Index of its first word."""
    end: int
    """Index just after its last word."""


def read_number(words: list[str], start: int) -> NumberSpan | None:
    """Read the longest number that starts at `words[start]`, if one does."""
    i = start
    sign = 1
    if i < len(words) and words[i] in _NEGATIVE:
        sign, i = -1, i + 1
    total, current, seen = 0, 0, False
    while i < len(words):
        word = words[i]
        if word in _WORD_VALUES:
            value = _WORD_VALUES[word]
            # "twenty one" adds up; "seven eight" is two numbers.
            fits = (
                not seen
                or (current % 100 >= 20 and current % 10 == 0 and value < 10)  # twenty one
                or (current % 100 == 0 and current > 0 and value < 100)  # hundred and five
                or (current == 0 and total > 0)  # two thousand twenty
            )
            if not fits:
                break
            current += value
            seen = True
        elif word in _SCALE_VALUES and (seen or word == "hundred"):
            scale = _SCALE_VALUES[word]
            current = max(current, 1) * scale
            if scale >= 1000:
                total, current = total + current, 0
            seen = True
        elif word == "a" and i + 1 < len(words) and words[i + 1] in _SCALE_VALUES and not seen:
            current = 1
        elif word == "and" and seen and i + 1 < len(words) and words[i + 1] in _WORD_VALUES:
            pass  # "one hundred and five"
        else:
            break
        i += 1
    if not seen:
        return None
    return NumberSpan(sign * (total + current), start, i)


def find_numbers(words: list[str]) -> list[NumberSpan]:
    """Every number in a list of normalised words, left to right."""
    spans: list[NumberSpan] = []
    i = 0
    while i < len(words):
        span = read_number(words, i)
        if span is None:
            i += 1
            continue
        spans.append(span)
        i = span.end
    return spans


@dataclass(frozen=True)
class Rating:
    """A 0–10 answer read from free text."""

    value: int | None
    """The rating, 0–10; None when there is none (or it is out of range)."""
    out_of_range: int | None = None
    """A number that was said but is not 0–10 ("eleven out of ten" → 11)."""


def _scaled(words: list[str], span: NumberSpan) -> tuple[float, int]:
    """The value of `span`, with "and a half", "point five" and "out of M" applied."""
    value = float(span.value)
    end = span.end
    if words[end : end + 3] == ["and", "a", "half"]:
        value += 0.5 if value >= 0 else -0.5
        end += 3
    elif end + 1 < len(words) and words[end] == "point" and words[end + 1] in _WORD_VALUES:
        digit = _WORD_VALUES[words[end + 1]]
        if digit < 10:
            value += (digit / 10) if value >= 0 else -(digit / 10)
            end += 2
    if words[end : end + 2] == ["out", "of"]:
        scale = read_number(words, end + 2)
        if scale is not None and 0 <= value <= scale.value and scale.value not in (0, 10):
            value = value * 10 / scale.value
        if scale is not None:
            end = scale.end
    return value, end


def parse_rating(text: str) -> Rating:
    """Read a 0–10 rating from what the person said ("about a 6", "7/10", "zero").

    The first number said counts; see the module docstring for the other rules.
    """
    words = normalize(text[:2000]).split()
    spans = find_numbers(words)
    if not spans:
        return Rating(0) if ZERO_WORDS.intersection(words) else Rating(None)
    value, _end = _scaled(words, spans[0])
    rounded = int(value + 0.5) if value >= 0 else -int(-value + 0.5)
    if 0 <= value <= 10:
        return Rating(min(rounded, 10))
    return Rating(None, rounded)
