"""How much each word of an utterance counts for the matcher: stems and template IDF weights.

Kept apart from the scoring (`matcher.py`) because the weights are a property of
the templates alone: a word used by one intent says a lot ("craving"), a word
every intent uses ("i", "the") or a time word used as decoration ("tonight")
says little, and a word no template uses (music, weather) counts against every
intent (`UNKNOWN_WEIGHT`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

STOPWORDS = frozenset(
    {
        "a", "an", "the", "i", "me", "my", "myself", "we", "our", "you", "your", "it", "its", "is",
        "am", "are", "was", "were", "be", "been", "being", "to", "of", "in", "on", "at", "for",
        "with", "about", "from", "by", "as", "and", "or", "but", "if", "then", "than", "that",
        "this", "these", "those", "do", "does", "did", "doing", "have", "has", "had", "having",
        "can", "could", "would", "should", "will", "shall", "may", "might", "must", "not", "no",
        "what", "which", "who", "whom", "how", "when", "where", "why", "there", "here", "some",
        "any", "all", "just", "now", "very", "too", "also", "up", "down", "out", "over", "again",
        "let", "us", "him", "her", "he", "she", "they", "them", "their", "his", "hers"
    }
)  # fmt: skip
"""Function words: they carry little meaning, so they weigh little in the overlap score."""

WEAK_WORDS = frozenset(
    {
        "today", "tonight", "yesterday", "tomorrow", "morning", "evening", "night", "last",
        "earlier", "again", "right", "now", "this", "that", "day", "week", "weekend", "time",
        "anymore", "still", "bit", "little", "lot"
    }
)  # fmt: skip
"""Time and degree words: templates use them as decoration, so they must not decide an intent."""

STOP_WEIGHT = 0.15
WEAK_WEIGHT = 0.4
UNKNOWN_WEIGHT = 2.4
"""Weight of a word no template uses: high enough that off-topic requests fall below threshold."""


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix stripper: "urges", "urge", "urging" all become "urg"."""
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "edly", "ed", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) >= 4 and word.endswith("e"):
        word = word[:-1]
    return word


def idf_weights(keys: Iterable[tuple[str, str]], intents: int) -> dict[str, float]:
    """Weight per template stem from (intent, matched sentence) pairs: log(intents / owners).

    Only which intents use a stem matters, not how often, so a bounded sample
    that holds every word of an intent (`match_set`) gives the same weights as
    every sentence would.
    """
    owners: dict[str, set[str]] = defaultdict(set)
    for intent, key in keys:
        for word in key.split():
            owners[stem(word)].add(intent)
    total = intents or 1
    weights = {s: math.log(total / len(names)) + 0.2 for s, names in owners.items()}
    weights.update({stem(w): WEAK_WEIGHT for w in WEAK_WORDS if stem(w) in weights})
    weights.update({w: STOP_WEIGHT for w in STOPWORDS if w in weights})
    return weights


def utterance_weight(word: str) -> float:
    """The weight of an utterance word that no template uses."""
    if word in STOPWORDS:
        return STOP_WEIGHT
    if word in WEAK_WORDS:
        return WEAK_WEIGHT
    return UNKNOWN_WEIGHT
