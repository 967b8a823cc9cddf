"""Understanding: what did the person mean? Text in, an intent with slots out.

`Understanding` is the one object the rest of the coach uses. It loads the
intent templates once, checks every utterance for crisis language first, then
fuzzy-matches it; nothing here knows about audio or the dialogue.

    u = Understanding.load("en")
    u.recognize("I'm having a really bad craving")   # IntentMatch(intent="urge_help", ...)
    u.recognize("seven out of ten", allowed={"number", "stop"})  # slots {"value": 7}

`Understanding.load()` returns at once: the crisis rules, the learned second
opinion and the matcher's index are loaded on one background thread (crisis
first), while the coach greets. Every call waits for what it needs, and the
crisis check always runs before anything is matched: the very first utterance
is judged by the whole crisis check, never without it.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import weakref
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

from rapidfuzz import fuzz

from voice_coach.messages import WordGraph
from voice_coach.names import check_names
from voice_coach.understanding.crisis import CrisisDetector, CrisisFinding, CrisisKind
from voice_coach.understanding.crisis.learned import SecondOpinion
from voice_coach.understanding.crisis.training import load_second_opinion
from voice_coach.understanding.graph_cache import cached_graph
from voice_coach.understanding.index_cache import (
    Sentences,
    grammar_sentences,
    load_matcher,
    load_sentences,
    templates_hash,
)
from voice_coach.understanding.intents import Intents
from voice_coach.understanding.matcher import MAX_MATCH_CHARS, IntentMatch, Matcher
from voice_coach.understanding.normalize import match_key
from voice_coach.understanding.numbers import parse_rating
from voice_coach.understanding.template_graph import compile_graph

__all__ = ["CRISIS", "CrisisFinding", "CrisisKind", "IntentMatch", "Understanding"]

log = logging.getLogger(__name__)

T = TypeVar("T")
CRISIS = "crisis"
NUMBER = "number"
THRESHOLD = 0.63
"""How close an utterance must be to a template sentence to count as its intent."""
CHOICE_THRESHOLD = 0.7
"""Below this, `match_choice` says it did not recognise any option."""


@dataclass(frozen=True)
class _Safety:
    """What the crisis check needs: the rules and the learned second opinion."""

    crisis: CrisisDetector
    second_opinion: SecondOpinion | None


@dataclass(frozen=True)
class _Matching:
    """What matching needs: the matcher and every intent but crisis."""

    matcher: Matcher
    others: frozenset[str]

    @classmethod
    def of(cls, matcher: Matcher) -> _Matching:
        return cls(matcher, frozenset(matcher.intent_names) - {CRISIS})


def _done(value: T) -> Future[T]:
    future: Future[T] = Future()
    future.set_result(value)
    return future


class Understanding:
    """Intent recognition with the crisis safety net always on."""

    _safety: Future[_Safety]
    _matching: Future[_Matching]

    def __init__(
        self,
        intents: Intents | Matcher,
        threshold: float = THRESHOLD,
        crisis: CrisisDetector | None = None,
        templates: Callable[[], Intents] | None = None,
        graph_cache: tuple[Path, str] | None = None,
        second_opinion: SecondOpinion | None = None,
        sentences: Callable[[], Sentences] | None = None,
    ) -> None:
        """From intents (indexed here, never listed in full) or from a matcher already built.

        `templates` reads the intents again for `graph` when a matcher is given
        (a cached matcher keeps no templates); `graph_cache` is (cache folder,
        hash of the template files) to keep compiled graphs on disk; `sentences`
        gives the expanded sentences when a recognizer asks for them (by default
        expanded from the templates then, not before).
        `second_opinion` (the learned model, `crisis/learned.py`) may turn what the
        rules let through into distress: the safety question, never the crisis answer.
        """
        matcher = intents if isinstance(intents, Matcher) else Matcher(intents, threshold)
        self._matching = _done(_Matching.of(matcher))
        detector = crisis if crisis is not None else CrisisDetector.load("en")
        self._safety = _done(_Safety(detector, second_opinion))
        self._setup(templates=(lambda: intents) if isinstance(intents, Intents) else templates,
                    graph_cache=graph_cache, sentences=sentences)

    def _setup(
        self,
        templates: Callable[[], Intents] | None,
        graph_cache: tuple[Path, str] | None,
        sentences: Callable[[], Sentences] | None,
    ) -> None:
        self._templates = templates
        self._intents: Intents | None = None
        self._sentence_source = sentences
        self._sentences: Sentences | None = None
        self._graph_cache = graph_cache
        self._graphs: dict[tuple[tuple[str, ...] | None, tuple[str, ...]], WordGraph] = {}

    @staticmethod
    @lru_cache(maxsize=8)
    def load(language: str = "en") -> Understanding:
        """The intents shipped for `language`, once per process; returns at once.

        The crisis rules, the second opinion and the matcher load on a background
        thread, in that order (`_load_parts`); each call waits for what it needs.
        A part that failed to load raises its error at every call that needs it.
        """
        from voice_coach.paths import resolve_paths
        from voice_coach.resources import intents_dir

        folder = intents_dir(language)
        cache_dir = resolve_paths().cache_dir
        understanding = Understanding.__new__(Understanding)
        understanding._safety, understanding._matching = Future(), Future()
        understanding._setup(
            templates=lambda: Intents.from_files(folder),
            graph_cache=(cache_dir, templates_hash(folder, THRESHOLD)),
            sentences=lambda: load_sentences(folder, THRESHOLD, cache_dir),
        )
        _loading.add(understanding)
        threading.Thread(
            target=_load_parts,
            args=(understanding._safety, understanding._matching, language, folder, cache_dir),
            name="understanding-load",
            # Not a daemon: a process that ends early (a crisis line to `voice-coach intent`)
            # waits for the caches to be written instead of rebuilding them next time.
        ).start()
        return understanding

    def wait(self) -> Understanding:
        """Block until everything has loaded (benchmarks; raises what failed to load)."""
        self._safety.result()
        self._matching.result()
        return self

    @property
    def _crisis(self) -> CrisisDetector:
        return self._safety.result().crisis

    @property
    def _second_opinion(self) -> SecondOpinion | None:
        return self._safety.result().second_opinion

    @property
    def _matcher(self) -> Matcher:
        return self._matching.result().matcher

    @property
    def _others(self) -> frozenset[str]:
        return self._matching.result().others

    @classmethod
    def from_folder(cls, folder: Path) -> Understanding:
        return cls(Intents.from_files(folder))

    @property
    def intent_names(self) -> tuple[str, ...]:
        return self._matcher.intent_names

    def crisis(self, text: str, in_exercise: bool = False) -> CrisisFinding:
        """The kind of crisis `text` shows (see `crisis/`).

        The rules decide; when they find nothing, the learned second opinion may
        still say distress (the coach then asks the safety question directly).
        `in_exercise`: `text` answers an exercise's question, where the model must be
        surer (`ask_above_in_exercise` in crisis/examples.yaml).
        """
        if not isinstance(text, str):
            return CrisisFinding(CrisisKind.NONE)
        finding = self._crisis.classify(text)
        second = self._second_opinion
        if (
            finding.kind is CrisisKind.NONE
            and second is not None
            and finding.text
            and not self._crisis.not_present(finding.text)
            and not self._crisis.denied(finding.text)
        ):
            score = second.score(finding.text)
            if score >= second.threshold(in_exercise):
                return CrisisFinding(
                    CrisisKind.DISTRESS, f"second opinion ({score:.2f})", finding.text
                )
        return finding

    def medical_signs(self, text: str) -> bool:
        """True when `text` mentions an overdose or a body in trouble (`medical_signs` in the
        crisis rules): a "yes" to the safety question then gets the emergency answer."""
        return bool(self._crisis.medical_signs(text))

    def is_crisis(self, text: str) -> bool:
        """True when `text` needs the crisis answer now (suicidal, overdose or self-harm)."""
        return self.crisis(text).is_crisis

    def recognize(self, text: str, allowed: Collection[str] | None = None) -> IntentMatch:
        """The intent behind `text`; crisis is checked first, whatever `allowed` says.

        An out-of-range rating ("eleven out of ten") gives intent None with
        `slots={"out_of_range": 11}`, so the coach can ask for 0–10 again.
        """
        if not isinstance(text, str) or not text.strip():
            return IntentMatch(text if isinstance(text, str) else "", None, 0.0)
        finding = self.crisis(text, in_exercise=allowed is not None)
        if finding.kind is not CrisisKind.NONE:
            return IntentMatch(text, CRISIS, 1.0, {"kind": finding.kind.value})
        # Crisis is decided by the crisis rules only: a sentence merely CLOSE to a
        # crisis template ("I'd sleep better") is not one.
        match = self._matcher.match(
            text, allowed=self._others if allowed is None else set(allowed) - {CRISIS}
        )
        if allowed is not None and NUMBER in allowed and match.intent in (None, NUMBER):
            # While a rating is asked for, any number in the answer is the answer.
            rating = parse_rating(text[:MAX_MATCH_CHARS])
            if rating.value is not None or rating.out_of_range is not None:
                match = IntentMatch(text, NUMBER, max(match.confidence, 0.8))
        if match.intent == NUMBER:
            rating = parse_rating(text[:MAX_MATCH_CHARS])
            if rating.value is None:
                slots: dict[str, int | str] = {}
                if rating.out_of_range is not None:
                    slots["out_of_range"] = rating.out_of_range
                return IntentMatch(text, None, match.confidence, slots)
            return IntentMatch(text, NUMBER, match.confidence, {"value": rating.value})
        return match

    def sentences(self, intents: Iterable[str] | None = None) -> list[str]:
        """Normalised expanded sentences (lowercase words only): the recognizers' grammar.

        Listed on the first call, not at load: matching never needs them.
        """
        names = self.intent_names if intents is None else tuple(intents)
        if self._sentences is None and self._sentence_source is not None:
            self._sentences = self._sentence_source()
        elif self._sentence_source is None:
            # No cached list: expand only the intents asked for (the crisis sentences
            # of a grammar need not expand 100x synthetic requests).
            self._sentences = self._sentences or {}
            missing = [n for n in names if n not in self._sentences]
            if missing:
                self._sentences.update(dict.fromkeys(missing, ()))
                self._sentences.update(grammar_sentences(self._templates_read(), missing))
        known = self._sentences or {}
        result: dict[str, None] = {}
        for name in names:
            result.update(dict.fromkeys(known.get(name, ())))
        return list(result)

    def sentence_count(self, intents: Iterable[str] | None = None) -> int:
        """How many sentences the templates of `intents` (all for None) accept, never listed."""
        names = self.intent_names if intents is None else tuple(intents)
        return sum(self._matcher.sentence_counts.get(name, 0) for name in names)

    def graph(self, intents: Iterable[str] | None = None, extra: Sequence[str] = ()) -> WordGraph:
        """The sentences of `intents` (all for None) and `extra`, compiled from the templates
        into a word graph without listing them (`template_graph.py`): the recognizers' grammar."""
        key = (None if intents is None else tuple(intents), tuple(extra))
        if key not in self._graphs:
            if self._graph_cache is None:
                self._graphs[key] = self._compile(key[0], key[1])
            else:
                folder, templates = self._graph_cache
                self._graphs[key] = cached_graph(
                    folder, templates, key[0], key[1], lambda: self._compile(key[0], key[1])
                )
        return self._graphs[key]

    def _compile(self, names: tuple[str, ...] | None, extra: tuple[str, ...]) -> WordGraph:
        return compile_graph(self._templates_read(), names, extra)

    def _templates_read(self) -> Intents:
        if self._templates is None:
            raise ValueError("This Understanding was built without its templates")
        if self._intents is None:
            self._intents = self._templates()
        return self._intents

    def match_choice(
        self, text: str, options: Mapping[str, Sequence[str]]
    ) -> tuple[str | None, float]:
        """The option a free-form answer names ("surfing", "the breathing one"), or None.

        Each option is named by one or more phrases; a phrase counts when the
        answer is close to it as a whole, or when the answer contains all its
        words. Ties go to the option whose phrase is longer (more specific).
        """
        if not isinstance(text, str):
            return None, 0.0
        key = match_key(text[:MAX_MATCH_CHARS])
        if not key:
            return None, 0.0
        words = key.split()
        best: tuple[float, int, str] | None = None
        for option, phrases in options.items():
            for phrase in (*phrases, option.replace("_", " ")):
                target = match_key(phrase)
                if not target:
                    continue
                score = fuzz.ratio(key, target) / 100
                if _contains_words(words, target.split()):
                    score = max(score, 0.9)
                candidate = (round(score, 3), len(target), option)
                if best is None or candidate[:2] > best[:2]:
                    best = candidate
        if best is None:
            return None, 0.0
        score, _length, option = best
        if score < CHOICE_THRESHOLD:
            return None, score
        return option, score


_loading: weakref.WeakSet[Understanding] = weakref.WeakSet()
"""Every `Understanding.load()` result, for `_finish_before_fork`."""


def _finish_before_fork() -> None:
    """A child forked mid-load would wait forever for a thread it does not have: finish first."""
    for understanding in list(_loading):
        with contextlib.suppress(BaseException):  # the child meets the same error on use
            understanding.wait()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(before=_finish_before_fork)


def _load_parts(
    safety: Future[_Safety],
    matching: Future[_Matching],
    language: str,
    folder: Path,
    cache_dir: Path,
) -> None:
    """The background half of `Understanding.load`: the crisis check first, then the matcher."""
    try:
        detector = CrisisDetector.load(language)
        safety.set_result(_Safety(detector, load_second_opinion(folder, detector, cache_dir)))
    except BaseException as exc:  # re-raised in every call that needs the crisis check
        safety.set_exception(exc)
    try:
        matcher = load_matcher(folder, THRESHOLD, cache_dir)
        check_names(matcher.intent_names)
        matching.set_result(_Matching.of(matcher))
    except BaseException as exc:
        matching.set_exception(exc)


def _contains_words(words: list[str], target: list[str]) -> bool:
    """True when every word of `target` appears in `words`, allowing small typos."""
    return all(
        any(w == t or (len(t) > 4 and fuzz.ratio(w, t) >= 85) for w in words) for t in target
    )
