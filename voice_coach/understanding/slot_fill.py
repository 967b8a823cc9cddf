"""Slot values read from the utterance itself, not copied from the closest template sentence.

The sentence a fuzzy match lands on may hold another value than the one said
("a large latte" closest to "a small latte"), and with a sampled intent
(`match_set`) the sentence with the said value may not be among those
compared at all. So numbers are parsed from the words and word-list values
are looked up in the words, longest phrase first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence

from voice_coach.understanding.intents import IntentSentence
from voice_coach.understanding.normalize import match_key
from voice_coach.understanding.numbers import find_numbers
from voice_coach.understanding.templates import SlotValue

SlotPhrases = dict[str, dict[str, list[tuple[tuple[str, ...], str]]]]
"""Per intent, per word-list slot: each value's words (as matched) and its value."""


def slot_phrases(
    sentences: Iterable[IntentSentence], lists: Mapping[str, Sequence[SlotValue]]
) -> SlotPhrases:
    """The word-list slots each intent's sentences use, with every value's matched words."""
    used: dict[str, set[str]] = defaultdict(set)
    for sentence in sentences:
        used[sentence.intent].update(
            name for name, value in sentence.slots.items() if isinstance(value, str)
        )
    result: SlotPhrases = {}
    for intent, names in used.items():
        result[intent] = {}
        for name in names:
            phrases = [
                (tuple(match_key(v.words).split()), v.value)
                for v in lists.get(name, ())
                if isinstance(v.value, str)
            ]
            result[intent][name] = [(w, v) for w, v in phrases if w]
    return result


def fill_slots(
    words: list[str],
    phrases: dict[str, list[tuple[tuple[str, ...], str]]],
    template_slots: dict[str, int | str],
) -> dict[str, int | str] | None:
    """The slots of the closest sentence, valued from `words` (None: a number is missing).

    Word-list slots ("large", "soy milk") take the values said, each word used
    once — so "medium roast" is a roast and not also a size; a slot the closest
    sentence lacks is added when the intent has it and it was said.
    """
    filled: dict[str, int | str] = {}
    said = find_phrases(words, phrases)
    for name, value in template_slots.items():
        if isinstance(value, int):
            numbers = find_numbers(words)
            if not numbers:
                return None
            filled[name] = numbers[0].value
        else:
            filled[name] = said.pop(name, value)
    filled.update(said)
    return filled


def find_phrases(
    words: list[str], phrases: dict[str, list[tuple[tuple[str, ...], str]]]
) -> dict[str, str]:
    """Slot values whose words occur in `words`: longest first, no word used twice."""
    found: list[tuple[int, int, str, str]] = []  # (-length, start, slot, value)
    for name, options in phrases.items():
        for phrase, value in options:
            n = len(phrase)
            for start in range(len(words) - n + 1):
                if tuple(words[start : start + n]) == phrase:
                    found.append((-n, start, name, value))
    result: dict[str, str] = {}
    taken: set[int] = set()
    for negative, start, name, value in sorted(found):
        span = set(range(start, start - negative))
        if name not in result and not span & taken:
            result[name] = value
            taken |= span
    return result
