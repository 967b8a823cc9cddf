"""Fuzzy intent matching against the expanded template sentences, with slots.

Two scores, because each alone fails on a kind of sentence people say:

* **sentence similarity** (rapidfuzz `ratio` against every expanded sentence)
  is right for short commands and near-template phrasings ("stop", "I'm
  having an urge"), and tolerates recognizer typos;
* **content-word overlap** is right for long, reordered, natural sentences
  ("the craving is so strong right now, I really want a beer"). Each word is
  weighted by how specific it is to an intent — an IDF computed from the
  templates themselves — so "craving" counts and "I", "the", "want" barely do,
  and a word no template uses (music, weather) counts AGAINST every intent.

The confidence is a blend of the two; below `threshold` the answer is no intent.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz, process

from voice_coach.understanding.intents import Intents
from voice_coach.understanding.normalize import match_key, normalize, strip_fillers
from voice_coach.understanding.numbers import find_numbers

log = logging.getLogger(__name__)

MAX_MATCH_CHARS = 500
"""Only this much of an utterance is fuzzy-matched (crisis patterns see all of it)."""

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
UNKNOWN_WEIGHT = 1.6
"""Weight of a word no template uses: high enough that off-topic requests fall below threshold."""
LEAD_IN_INTENTS = frozenset({"greeting"})
"""Intents people say BEFORE a request ("hey coach, I'm having an urge"): the request wins."""
SENTENCE_SHARE = 0.45
"""How much of the confidence comes from whole-sentence similarity (the rest: word overlap)."""


@dataclass(frozen=True)
class IntentMatch:
    """What the person meant, as far as the templates can tell."""

    text: str
    """The utterance as given."""
    intent: str | None
    """The intent name, or None when nothing matched well enough."""
    confidence: float
    """0–1; 1.0 for an exact template sentence or a crisis pattern."""
    slots: dict[str, int | str] = field(default_factory=dict)
    """Slot values, e.g. {"value": 7} for a rating."""


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


@dataclass(frozen=True)
class _Bag:
    """The content of one expanded sentence: which stems, and their total weight."""

    intent: str
    stems: frozenset[str]
    weight: float


class Matcher:
    """Scores utterances against every expanded sentence; built once, then read-only."""

    def __init__(self, intents: Intents, threshold: float = 0.62) -> None:
        self.threshold = threshold
        self.intent_names = tuple(intents.intents)
        keys: dict[tuple[str, str], dict[str, int | str]] = {}
        grammar: dict[str, dict[str, None]] = {name: {} for name in self.intent_names}
        for sentence in intents.sentences:
            plain = normalize(sentence.text)
            grammar[sentence.intent][plain] = None
            key = strip_fillers(plain)
            if key:
                keys.setdefault((sentence.intent, key), sentence.slots)
        self.grammar = {name: tuple(s for s in texts if s) for name, texts in grammar.items()}
        """Normalised sentences per intent, fillers kept: what speech recognizers may hear."""
        self._keys = list(keys)
        self._slots = list(keys.values())
        self._by_intent: dict[str, list[int]] = defaultdict(list)
        for i, (intent, _key) in enumerate(self._keys):
            self._by_intent[intent].append(i)
        self._lead_ins = sorted(
            (key + " " for intent, key in self._keys if intent in LEAD_IN_INTENTS), key=len
        )[::-1]
        self._weights = self._idf()
        self._bags, self._index = self._build_bags()
        self._vocabulary = sorted(self._weights)

    def _idf(self) -> dict[str, float]:
        df: dict[str, set[str]] = defaultdict(set)
        for intent, key in self._keys:
            for word in key.split():
                df[stem(word)].add(intent)
        total = len(self.intent_names) or 1
        weights = {s: math.log(total / len(owners)) + 0.2 for s, owners in df.items()}
        weights.update({stem(w): WEAK_WEIGHT for w in WEAK_WORDS if stem(w) in weights})
        weights.update({w: STOP_WEIGHT for w in STOPWORDS if w in weights})
        return weights

    def _build_bags(self) -> tuple[list[_Bag], dict[str, list[int]]]:
        bags: dict[tuple[str, frozenset[str]], _Bag] = {}
        for intent, key in self._keys:
            stems = frozenset(stem(w) for w in key.split())
            bags.setdefault(
                (intent, stems), _Bag(intent, stems, sum(self._weights[s] for s in stems))
            )
        bag_list = list(bags.values())
        index: dict[str, list[int]] = defaultdict(list)
        for i, bag in enumerate(bag_list):
            for s in bag.stems:
                if s not in STOPWORDS:
                    index[s].append(i)
        return bag_list, index

    @lru_cache(maxsize=4096)  # noqa: B019 - one Matcher per process, kept for its lifetime
    def _known(self, word: str) -> str | None:
        """The template stem a word stands for, allowing small recognizer typos."""
        s = stem(word)
        if s in self._weights:
            return s
        if len(s) < 5:
            return None
        best = process.extractOne(s, self._vocabulary, scorer=fuzz.ratio, score_cutoff=85)
        return None if best is None else str(best[0])

    def _overlap_scores(self, words: list[str], allowed: frozenset[str]) -> dict[str, float]:
        """Weighted F-measure of shared content words, best sentence per intent."""
        stems: dict[str, float] = {}
        for word in words:
            known = self._known(word)
            if known is None:
                stems[stem(word)] = (
                    STOP_WEIGHT
                    if word in STOPWORDS
                    else WEAK_WEIGHT
                    if word in WEAK_WORDS
                    else UNKNOWN_WEIGHT
                )
            else:
                stems[known] = self._weights[known]
        total = sum(stems.values())
        if total <= 0:
            return {}
        candidates = {i for s in stems if s in self._index for i in self._index[s]}
        best: dict[str, float] = {}
        for i in candidates:
            bag = self._bags[i]
            if bag.intent not in allowed:
                continue
            shared = sum(w for s, w in stems.items() if s in bag.stems)
            if shared <= 0 or bag.weight <= 0:
                continue
            precision, recall = shared / bag.weight, shared / total
            score = 2 * precision * recall / (precision + recall)
            if score > best.get(bag.intent, 0.0):
                best[bag.intent] = score
        return best

    def _sentence_scores(self, key: str, allowed: frozenset[str]) -> dict[str, tuple[float, int]]:
        """Best whole-sentence similarity per intent, with the index of that sentence."""
        choices = self._choices(allowed)
        best: dict[str, tuple[float, int]] = {}
        for _text, score, i in process.extract(
            key, choices, scorer=fuzz.ratio, limit=None, score_cutoff=30
        ):
            intent = self._keys[i][0]
            if intent not in best or score / 100 > best[intent][0]:
                best[intent] = (score / 100, i)
        return best

    @lru_cache(maxsize=64)  # noqa: B019 - a handful of `allowed` sets per dialogue
    def _choices(self, allowed: frozenset[str]) -> dict[int, str]:
        return {i: key for i, (intent, key) in enumerate(self._keys) if intent in allowed}

    def scores(self, text: str, allowed: Collection[str] | None = None) -> dict[str, float]:
        """Confidence per intent (only intents scoring above zero), for tuning and tests."""
        return {name: s for name, (s, _) in self._score(text, allowed).items()}

    def _score(
        self, text: str, allowed: Collection[str] | None
    ) -> dict[str, tuple[float, int | None]]:
        key = match_key(text[:MAX_MATCH_CHARS])
        if not key:
            return {}
        names = frozenset(self.intent_names if allowed is None else allowed) & frozenset(
            self.intent_names
        )
        result = self._score_key(key, names)
        for lead_in in self._lead_ins:
            if key.startswith(lead_in):
                rest = self._score_key(key[len(lead_in) :], names - LEAD_IN_INTENTS)
                for intent, scored in rest.items():
                    if scored[0] > result.get(intent, (0.0, None))[0]:
                        result[intent] = scored
                break
        return result

    def _score_key(self, key: str, names: frozenset[str]) -> dict[str, tuple[float, int | None]]:
        sentence = self._sentence_scores(key, names)
        overlap = self._overlap_scores(key.split(), names)
        result: dict[str, tuple[float, int | None]] = {}
        for intent in set(sentence) | set(overlap):
            similarity, index = sentence.get(intent, (0.0, None))
            blended = SENTENCE_SHARE * similarity + (1 - SENTENCE_SHARE) * overlap.get(intent, 0.0)
            # A near-exact sentence is enough on its own (short commands, typos).
            confidence = max(blended, similarity if similarity >= 0.9 else 0.0)
            result[intent] = (min(1.0, confidence), index)
        return result

    def match(self, text: str, allowed: Collection[str] | None = None) -> IntentMatch:
        """The best intent above threshold, or an IntentMatch with intent None."""
        ranked = sorted(self._score(text, allowed).items(), key=lambda kv: -kv[1][0])
        for intent, (confidence, index) in ranked:
            if confidence < self.threshold:
                break
            slots = self._slots[index] if index is not None else {}
            if not slots:
                return IntentMatch(text, intent, round(confidence, 3))
            filled = self._fill_slots(text, slots)
            if filled is not None:
                return IntentMatch(text, intent, round(confidence, 3), filled)
        return IntentMatch(text, None, round(ranked[0][1][0], 3) if ranked else 0.0)

    def _fill_slots(
        self, text: str, template_slots: dict[str, int | str]
    ) -> dict[str, int | str] | None:
        """Read slot values from the utterance itself (the closest template may hold another)."""
        filled: dict[str, int | str] = {}
        words = match_key(text[:MAX_MATCH_CHARS]).split()
        for name, value in template_slots.items():
            if isinstance(value, int):
                numbers = find_numbers(words)
                if not numbers:
                    return None
                filled[name] = numbers[0].value
            else:
                filled[name] = value
        return filled
