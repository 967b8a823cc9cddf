"""Numbers spelled as words, the way speech recognizers write them: 21 → "twenty one".

Kept apart from `numbers` (which reads numbers back out of words) so that
`normalize` can spell digits without importing the parser that uses it.
"""

from __future__ import annotations

ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen",
)  # fmt: skip
TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
SCALES = ((10**9, "billion"), (10**6, "million"), (1000, "thousand"), (100, "hundred"))

MAX_DIGITS = 12
"""Longer digit strings are spelled digit by digit (no one rates "a trillion")."""


def int_to_words(n: int) -> str:
    """Spell a whole number the way a recognizer writes it: 21 → "twenty one"."""
    if n < 0:
        return "minus " + int_to_words(-n)
    if n < 20:
        return ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return TENS[tens] + ("" if ones == 0 else " " + ONES[ones])
    for value, word in SCALES:
        if n >= value:
            high, rest = divmod(n, value)
            head = f"{int_to_words(high)} {word}"
            return head if rest == 0 else f"{head} {int_to_words(rest)}"
    raise ValueError(n)  # unreachable: every n >= 100 has a scale


def digits_to_words(digits: str) -> str:
    """Spell a run of digits; very long runs are read digit by digit."""
    if len(digits) > MAX_DIGITS:
        return " ".join(ONES[int(d)] for d in digits)
    return int_to_words(int(digits))
