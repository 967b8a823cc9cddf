"""Fuzzy intent matching against the template sentences, with slots.

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

The sentences compared are every template sentence while they fit a budget,
and a bounded sample of the largest templates beyond it (`match_set.py`), so
load time, memory and matching time stay flat however far templates multiply;
the compiled graphs keep an exact template sentence at full confidence
(`acceptor.py`). The expanded list the speech recognizer's grammar may want
is not the matcher's business (`index_cache.load_sentences`).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process

from voice_coach.understanding.acceptor import Acceptor
from voice_coach.understanding.intents import Intents
from voice_coach.understanding.match_set import SENTENCE_BUDGET, choose
from voice_coach.understanding.match_words import (
    STOPWORDS,
    idf_weights,
    stem,
    utterance_weight,
)
from voice_coach.understanding.normalize import match_key, normalize, strip_fillers
from voice_coach.understanding.slot_fill import SlotPhrases, fill_slots, slot_phrases

log = logging.getLogger(__name__)

MAX_MATCH_CHARS = 500
"""Only this much of an utterance is fuzzy-matched (crisis patterns see all of it)."""

LEAD_IN_INTENTS = frozenset({"greeting"})
"""Intents people say BEFORE a request ("hey coach, I'm having an urge"): the request wins."""
TRAILER_INTENTS = frozenset({"thanks"})
"""Intents people say AFTER a request ("that's all for tonight, thanks"): the request wins."""
SENTENCE_SHARE = 0.55
"""How much of the confidence comes from whole-sentence similarity (the rest: word overlap)."""


Similarity = np.ndarray[Any, np.dtype[np.uint8]]
"""rapidfuzz ratio (0-100) of one utterance to every indexed sentence, in index order."""
Scores = np.ndarray[Any, np.dtype[np.float64]]
"""One score per indexed intent (the intents with sentences, in name order)."""
Mask = np.ndarray[Any, np.dtype[np.bool_]]
"""One flag per indexed intent."""


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


class Matcher:
    """Scores utterances against the template sentences; built once, then read-only."""

    def __init__(
        self, intents: Intents, threshold: float = 0.63, budget: int = SENTENCE_BUDGET
    ) -> None:
        """Index the sentences `match_set.choose` keeps within `budget`; never lists them all."""
        self.threshold = threshold
        self.intent_names = tuple(intents.intents)
        chosen = choose(intents, budget, LEAD_IN_INTENTS | TRAILER_INTENTS)
        self.sentence_counts = chosen.counts
        """Per intent, how many sentences its templates accept (counted, not listed)."""
        keys: dict[tuple[str, str], dict[str, int | str]] = {}
        for sentence in chosen.sentences:
            key = strip_fillers(normalize(sentence.text))
            if key:
                keys.setdefault((sentence.intent, key), sentence.slots)
        order = sorted(keys, key=lambda k: k[0])  # grouped by intent
        self._keys = order
        self._slots = [keys[k] for k in order]
        self._key_spans: dict[str, tuple[int, int]] = {}
        self._index_keys()
        self._slot_phrases: SlotPhrases = slot_phrases(chosen.sentences, intents.lists)
        self._weights = idf_weights(self._keys, len(self.intent_names))
        self._build_bags()
        self._vocabulary = sorted(self._weights)
        self._acceptor = Acceptor.build(intents, chosen.sampled)

    STATE_FORMAT = 3
    """Bump when the fields below change: an index cached in an older shape is rebuilt."""

    def to_state(self) -> dict[str, Any]:
        """Everything the built index holds, as plain JSON-ready data (`index_cache`)."""
        return {
            "format": self.STATE_FORMAT,
            "threshold": self.threshold,
            "intent_names": list(self.intent_names),
            "sentence_counts": self.sentence_counts,
            "acceptor": self._acceptor.to_state(),
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
        self.sentence_counts = {str(k): int(v) for k, v in state["sentence_counts"].items()}
        self._acceptor = Acceptor.from_state(state["acceptor"])
        self._keys = [(str(intent), str(key)) for intent, key in state["keys"]]
        self._slots = [dict(slots) for slots in state["slots"]]
        phrases: SlotPhrases = {
            intent: {
                name: [(tuple(words), str(value)) for words, value in options]
                for name, options in slots.items()
            }
            for intent, slots in state["slot_phrases"].items()
        }
        self._slot_phrases = phrases
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
        self._check_order()
        return self

    def _index_keys(self) -> None:
        """The lookups derived from `_keys` (cheap: no normalising)."""
        self._key_texts = [key for _, key in self._keys]
        self._key_spans = {}
        for i, (intent, _key) in enumerate(self._keys):
            start, _end = self._key_spans.get(intent, (i, i))
            self._key_spans[intent] = (start, i + 1)
        self._span_intents = list(self._key_spans)
        self._span_starts = np.array([a for a, _ in self._key_spans.values()], dtype=np.intp)
        self._span_lengths = np.array([b - a for a, b in self._key_spans.values()], dtype=np.intp)
        self._lead_ins = sorted(
            (key + " " for intent, key in self._keys if intent in LEAD_IN_INTENTS), key=len
        )[::-1]
        self._trailers = sorted(
            (" " + key for intent, key in self._keys if intent in TRAILER_INTENTS), key=len
        )[::-1]

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
        self._check_order()

    def _check_order(self) -> None:
        """Sentence spans and stem bags must list the intents in one order (scores add up)."""
        if self._group_intents != self._span_intents:
            raise ValueError("the matcher's sentence and word indexes list different intents")

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

    def _overlap_scores(self, words: list[str]) -> Scores:
        """Weighted F-measure of shared content words, best sentence per intent."""
        stems: dict[str, float] = {}
        for word in words:
            known = self._known(word)
            if known is None:
                stems[stem(word)] = utterance_weight(word)
            else:
                stems[known] = self._weights[known]
        total = sum(stems.values())
        if total <= 0 or not self._group_intents:
            return np.zeros(len(self._group_intents))
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
        best: Scores = np.maximum.reduceat(f1, self._group_starts)
        return best

    def _sentence_scores(self, key: str, exact: Mask) -> tuple[Scores, Similarity]:
        """Best whole-sentence similarity per intent, and the similarity to every sentence.

        `exact`: intents whose compiled graph accepts the utterance as it is: 1.0
        even when their sample lacks the sentence. Similarities too low to lift any
        intent over the threshold are not computed (`_cutoff`: rapidfuzz skips by
        length), and the closest sentence is looked up only for a winner (`_closest`).
        """
        similarity: Similarity = process.cdist(
            [key], self._key_texts, scorer=fuzz.ratio, dtype=np.uint8, score_cutoff=self._cutoff
        )[0]
        top = np.maximum.reduceat(similarity, self._span_starts) / 100
        return np.where(exact, 1.0, top), similarity

    @property
    def _cutoff(self) -> int:
        """Below this similarity (0-100) an intent stays under threshold even with full overlap."""
        return max(0, int(100 * (self.threshold - (1 - SENTENCE_SHARE)) / SENTENCE_SHARE) - 1)

    def _closest(self, i: int, similarity: Similarity) -> int:
        """The index of intent number `i`'s sentence most similar to the utterance."""
        start, end = self._key_spans[self._span_intents[i]]
        return start + int(np.argmax(similarity[start:end]))

    @lru_cache(maxsize=64)  # noqa: B019 - one Matcher per process, kept for its lifetime
    def _mask(self, names: frozenset[str]) -> Mask:
        """Which indexed intents are in `names`, as a boolean array."""
        return np.fromiter((n in names for n in self._span_intents), bool, len(self._span_intents))

    def scores(self, text: str, allowed: Collection[str] | None = None) -> dict[str, float]:
        """Confidence per intent (only intents scoring above zero), for tuning and tests."""
        scored = self._score(text, allowed)
        if scored is None:
            return {}
        confidence, mask, _ = scored
        return {
            self._span_intents[i]: float(confidence[i])
            for i in np.flatnonzero(mask & (confidence > 0))
        }

    def _score(
        self, text: str, allowed: Collection[str] | None
    ) -> tuple[Scores, Mask, list[Similarity]] | None:
        """Confidence per indexed intent, which are allowed, and each intent's similarities."""
        key = match_key(text[:MAX_MATCH_CHARS])
        if not key or not self._key_texts:
            return None
        names = frozenset(self.intent_names if allowed is None else allowed)
        mask = self._mask(names)
        exact = self._mask(frozenset(self._acceptor.intents(text[:MAX_MATCH_CHARS])))
        confidence, similarity = self._score_key(key, exact)
        sims = [similarity]
        rest = next((key[len(p) :] for p in self._lead_ins if key.startswith(p)), key)
        rest = next((rest[: -len(t)] for t in self._trailers if rest.endswith(t)), rest)
        if rest != key:
            # Politeness around a request: score the request alone too; the best wins.
            again, similarity = self._score_key(rest, np.zeros_like(exact))
            better = again > confidence
            confidence = np.where(better, again, confidence)
            sims = [np.where(np.repeat(better, self._span_lengths), similarity, sims[0])]
        return confidence, mask, sims

    def _score_key(self, key: str, exact: Mask) -> tuple[Scores, Similarity]:
        sentence, similarity = self._sentence_scores(key, exact)
        overlap = self._overlap_scores(key.split())
        blended = SENTENCE_SHARE * sentence + (1 - SENTENCE_SHARE) * overlap
        # A near-exact sentence is enough on its own (short commands, typos).
        confidence = np.minimum(1.0, np.maximum(blended, np.where(sentence >= 0.9, sentence, 0)))
        return confidence, similarity

    def match(self, text: str, allowed: Collection[str] | None = None) -> IntentMatch:
        """The best intent above threshold, or an IntentMatch with intent None."""
        scored = self._score(text, allowed)
        if scored is None:
            return IntentMatch(text, None, 0.0)
        confidence, mask, (similarity,) = scored
        candidates = np.flatnonzero(mask)
        if not len(candidates):
            return IntentMatch(text, None, 0.0)
        ranked = candidates[np.argsort(-confidence[candidates], kind="stable")]
        for i in ranked.tolist():
            if confidence[i] < self.threshold:
                break
            intent, rounded = self._span_intents[i], round(float(confidence[i]), 3)
            slots = self._slots[self._closest(i, similarity)]
            if not slots:
                return IntentMatch(text, intent, rounded)
            words = match_key(text[:MAX_MATCH_CHARS]).split()
            filled = fill_slots(words, self._slot_phrases.get(intent, {}), slots)
            if filled is not None:
                return IntentMatch(text, intent, rounded, filled)
        return IntentMatch(text, None, round(float(confidence[ranked[0]]), 3))
