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
from typing import Any

import numpy as np
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
UNKNOWN_WEIGHT = 2.4
"""Weight of a word no template uses: high enough that off-topic requests fall below threshold."""
LEAD_IN_INTENTS = frozenset({"greeting"})
"""Intents people say BEFORE a request ("hey coach, I'm having an urge"): the request wins."""
TRAILER_INTENTS = frozenset({"thanks"})
"""Intents people say AFTER a request ("that's all for tonight, thanks"): the request wins."""
SENTENCE_SHARE = 0.55
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


class Matcher:
    """Scores utterances against every expanded sentence; built once, then read-only."""

    def __init__(self, intents: Intents, threshold: float = 0.63) -> None:
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
        order = sorted(keys, key=lambda k: k[0])  # grouped by intent
        self._keys = order
        self._slots = [keys[k] for k in order]
        self._key_spans: dict[str, tuple[int, int]] = {}
        self._index_keys()
        self._slot_phrases = _slot_phrases(intents)
        self._weights = self._idf()
        self._build_bags()
        self._vocabulary = sorted(self._weights)

    STATE_FORMAT = 2
    """Bump when the fields below change: an index cached in an older shape is rebuilt."""

    def to_state(self) -> dict[str, Any]:
        """Everything the built index holds, as plain JSON-ready data (`index_cache`)."""
        return {
            "format": self.STATE_FORMAT,
            "threshold": self.threshold,
            "intent_names": list(self.intent_names),
            "grammar": {name: list(texts) for name, texts in self.grammar.items()},
            "keys": [list(k) for k in self._keys],
            "slots": self._slots,
            "slot_phrases": self._slot_phrases,
            "weights": self._weights,
            "bags": {
                "weight": self._bag_weight.tolist(),
                "group_intents": self._group_intents,
                "group_starts": self._group_starts.tolist(),
                "stem_bags": {s: ids.tolist() for s, ids in self._stem_bags.items()},
            },
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Matcher:
        """The matcher `to_state` described, without expanding a single template."""
        if state.get("format") != cls.STATE_FORMAT:
            raise ValueError("index in an older format")
        self = cls.__new__(cls)
        self.threshold = float(state["threshold"])
        self.intent_names = tuple(state["intent_names"])
        self.grammar = {name: tuple(texts) for name, texts in state["grammar"].items()}
        self._keys = [(str(intent), str(key)) for intent, key in state["keys"]]
        self._slots = [dict(slots) for slots in state["slots"]]
        self._slot_phrases = {
            intent: {
                name: [(tuple(words), str(value)) for words, value in options]
                for name, options in slots.items()
            }
            for intent, slots in state["slot_phrases"].items()
        }
        self._weights = {str(k): float(v) for k, v in state["weights"].items()}
        self._index_keys()
        bags = state["bags"]  # stored too: grouping ~29,000 keys by stems is most of a load
        self._bag_weight = np.array(bags["weight"], dtype=np.float64)
        self._group_intents = [str(intent) for intent in bags["group_intents"]]
        self._group_starts = np.array(bags["group_starts"], dtype=np.intp)
        self._stem_bags = {
            str(s): np.array(ids, dtype=np.intp) for s, ids in bags["stem_bags"].items()
        }
        self._vocabulary = sorted(self._weights)
        return self

    def _index_keys(self) -> None:
        """The lookups derived from `_keys` (cheap: no normalising)."""
        self._key_texts = [key for _, key in self._keys]
        self._key_spans = {}
        for i, (intent, _key) in enumerate(self._keys):
            start, _end = self._key_spans.get(intent, (i, i))
            self._key_spans[intent] = (start, i + 1)
        self._lead_ins = sorted(
            (key + " " for intent, key in self._keys if intent in LEAD_IN_INTENTS), key=len
        )[::-1]
        self._trailers = sorted(
            (" " + key for intent, key in self._keys if intent in TRAILER_INTENTS), key=len
        )[::-1]

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

    def _build_bags(self) -> None:
        """Group sentences by their set of stems; index which groups hold each stem."""
        bags: dict[tuple[str, frozenset[str]], None] = {}
        for intent, key in self._keys:
            bags[(intent, frozenset(stem(w) for w in key.split()))] = None
        ordered = sorted(bags, key=lambda bag: bag[0])  # grouped by intent for reduceat
        self._bag_weight = np.array(
            [sum(self._weights[s] for s in stems) for _, stems in ordered], dtype=np.float64
        )
        starts: list[int] = []
        self._group_intents: list[str] = []
        for i, (intent, _) in enumerate(ordered):
            if not self._group_intents or self._group_intents[-1] != intent:
                self._group_intents.append(intent)
                starts.append(i)
        self._group_starts = np.array(starts, dtype=np.intp)
        holders: dict[str, list[int]] = defaultdict(list)
        for i, (_, stems) in enumerate(ordered):
            for s in stems:
                holders[s].append(i)
        self._stem_bags = {s: np.array(ids, dtype=np.intp) for s, ids in holders.items()}

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
        if total <= 0 or not self._group_intents:
            return {}
        shared = np.zeros(len(self._bag_weight))
        content = np.zeros(len(self._bag_weight), dtype=bool)
        for s, weight in stems.items():
            ids = self._stem_bags.get(s)
            if ids is not None:
                shared[ids] += weight
                if s not in STOPWORDS:
                    content[ids] = True
        shared[~content] = 0.0  # sharing only "I" and "the" is no evidence
        precision = shared / self._bag_weight
        recall = shared / total
        with np.errstate(invalid="ignore", divide="ignore"):
            f1 = np.where(shared > 0, 2 * precision * recall / (precision + recall), 0.0)
        best = np.maximum.reduceat(f1, self._group_starts)
        return {
            intent: float(score)
            for intent, score in zip(self._group_intents, best, strict=True)
            if score > 0 and intent in allowed
        }

    def _sentence_scores(self, key: str, allowed: frozenset[str]) -> dict[str, tuple[float, int]]:
        """Best whole-sentence similarity per intent, with the index of that sentence."""
        similarity = process.cdist([key], self._key_texts, scorer=fuzz.ratio, dtype=np.uint8)[0]
        best: dict[str, tuple[float, int]] = {}
        for intent, (start, end) in self._key_spans.items():
            if intent in allowed and end > start:
                i = start + int(np.argmax(similarity[start:end]))
                best[intent] = (float(similarity[i]) / 100, i)
        return best

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
        rest = next((key[len(p) :] for p in self._lead_ins if key.startswith(p)), key)
        rest = next((rest[: -len(t)] for t in self._trailers if rest.endswith(t)), rest)
        if rest != key:
            # Politeness around a request: score the request alone too; the best wins.
            for intent, scored in self._score_key(rest, names).items():
                if scored[0] > result.get(intent, (0.0, None))[0]:
                    result[intent] = scored
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
            filled = self._fill_slots(text, intent, slots)
            if filled is not None:
                return IntentMatch(text, intent, round(confidence, 3), filled)
        return IntentMatch(text, None, round(ranked[0][1][0], 3) if ranked else 0.0)

    def _fill_slots(
        self, text: str, intent: str, template_slots: dict[str, int | str]
    ) -> dict[str, int | str] | None:
        """Read slot values from the utterance itself (the closest template may hold another).

        Numbers are parsed from the words. Word-list slots ("large", "soy milk")
        take the values said, longest phrase first, each word used once — so
        "medium roast" is a roast and not also a size; a slot the closest
        template lacks is added when the intent has it and it was said, which
        matters when the intent's sentences are a sample (`sample:` in the file).
        """
        filled: dict[str, int | str] = {}
        words = match_key(text[:MAX_MATCH_CHARS]).split()
        said = _find_phrases(words, self._slot_phrases.get(intent, {}))
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


def _slot_phrases(intents: Intents) -> dict[str, dict[str, list[tuple[tuple[str, ...], str]]]]:
    """Per intent, per word-list slot it uses: each value's words (as matched) and value."""
    used: dict[str, set[str]] = defaultdict(set)
    for sentence in intents.sentences:
        used[sentence.intent].update(
            name for name, value in sentence.slots.items() if isinstance(value, str)
        )
    result: dict[str, dict[str, list[tuple[tuple[str, ...], str]]]] = {}
    for intent, names in used.items():
        result[intent] = {}
        for name in names:
            phrases = [
                (tuple(match_key(v.words).split()), v.value)
                for v in intents.lists.get(name, ())
                if isinstance(v.value, str)
            ]
            result[intent][name] = [(w, v) for w, v in phrases if w]
    return result


def _find_phrases(
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
