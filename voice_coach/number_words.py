"""Numbers as words, in one place: as recognizers write them and as the coach says them.

Recognizers write 21 as "twenty one" (`int_to_words`, used to spell digits before
matching); the coach says "twenty-one" and "one hundred and five" (`spoken_number`,
`count`). Kept apart from `understanding.numbers` (which reads numbers back out of
words) and outside every package, so that the understanding, the exercises, the
dialogue and the journal all spell numbers and plurals the same way without importing
each other.
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


def spoken_number(value: int) -> str:
    """Numbers as the coach says them, up to 9,999 ("forty-two"); larger ones as digits.

    TTS and the displayed text read them the same way.
    """
    if value < 0 or value > 9999:
        return str(value)
    if value < 20:
        return ONES[value]
    if value < 100:
        tens, ones = divmod(value, 10)
        return TENS[tens] + (f"-{ONES[ones]}" if ones else "")
    if value < 1000:
        hundreds, rest = divmod(value, 100)
        head = f"{ONES[hundreds]} hundred"
        return head + (f" and {spoken_number(rest)}" if rest else "")
    thousands, rest = divmod(value, 1000)
    head = f"{ONES[thousands]} thousand"
    if not rest:
        return head
    joiner = " and " if rest < 100 else " "
    return head + joiner + spoken_number(rest)


def plural(value: int, word: str, plural_word: str | None = None) -> str:
    """The noun for `value` of it: `plural(1, "day")` → "day", `plural(3, "day")` → "days"."""
    return word if value == 1 else (plural_word or word + "s")


def count(value: int, word: str, plural_word: str | None = None) -> str:
    """`count(1, "urge")` → "one urge"; `count(45, "day")` → "forty-five days"."""
    return f"{spoken_number(value)} {plural(value, word, plural_word)}"
