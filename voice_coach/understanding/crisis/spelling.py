"""Typing slips corrected towards the words the crisis rules use ("wnat" → "want").

A word is only changed when it is not an English word (the pronouncing
dictionary that ships with PocketSphinx, 130,000 words, read only when an
unusual word comes up) and a rule word is one edit away (two for long
words; a swap of neighbours counts as one edit, rapidfuzz's OSA distance),
so "kil myself" is read as "kill myself" while "dye" or "cute" stay as they
are.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import OSA

from voice_coach.recognition.common_words import WORDS as COMMON_WORDS

log = logging.getLogger(__name__)


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Every word of PocketSphinx's en-us pronouncing dictionary (empty if it is missing)."""
    try:
        import pocketsphinx

        path = Path(pocketsphinx.get_model_path()) / "en-us" / "cmudict-en-us.dict"
        with path.open(encoding="utf-8", errors="replace") as lines:
            return frozenset(line.split(" ", 1)[0].split("(", 1)[0] for line in lines)
    except (ImportError, OSError) as exc:
        log.warning("no English word list for spelling repair (%s); using common words", exc)
        return frozenset()


class Speller:
    """Corrects unknown words to the nearest rule word."""

    def __init__(self, vocabulary: Iterable[str], known: Iterable[str] = ()) -> None:
        self._vocabulary = tuple(sorted(set(vocabulary)))
        self._known = frozenset(COMMON_WORDS) | frozenset(known) | frozenset(self._vocabulary)
        self._cache: dict[str, str] = {}

    def correct(self, normalized: str) -> str:
        """`normalized` (lower case words) with each misspelt word replaced."""
        return " ".join(self._word(w) for w in normalized.split())

    def _word(self, word: str) -> str:
        if len(word) < 3 or word in self._known or not word.isalpha():
            return word
        cached = self._cache.get(word)
        if cached is not None:
            return cached
        fixed = word
        if word not in english_words():
            limit = 1 if len(word) < 8 else 2
            near = process.extract(
                word, self._vocabulary, scorer=OSA.distance, score_cutoff=limit, limit=8
            )
            # Keep the first letter ("bye" is not "die"); prefer the closest, then the longest.
            candidates = [
                (int(score), -len(str(c)), str(c))
                for c, score, _ in near
                if str(c)[0] == word[0] and len(str(c)) >= 4
            ]
            if candidates:
                fixed = min(candidates)[2]
        if len(self._cache) < 10_000:
            self._cache[word] = fixed
        return fixed
