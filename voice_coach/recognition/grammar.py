"""Which sentences the recognizer listens for in each dialogue state.

The intent templates are the one phrase source: the understanding layer
expands them into sentences, and this module picks the few a state needs.
Small per-state grammars keep decoding fast and make forcing rarer (during a
0-10 rating only numbers and control words can come out). The crisis
sentences are in every grammar, and are never rejected.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Protocol, overload

from voice_coach import names
from voice_coach.messages import Listen, ListenFor, WordGraph
from voice_coach.recognition import Mode, Recognizer
from voice_coach.recognition.sentence_walk import sentences_of

CONTROL = names.CONTROLS
"""Intents that work in every state: they steer the conversation itself."""
CRISIS = (names.CRISIS,)
"""Intents that must be heard whatever the state."""


class SentenceSource(Protocol):
    """What the understanding layer offers (`voice_coach.understanding.Understanding`)."""

    def sentences(self, intents: Iterable[str] | None = None) -> list[str]:
        """Normalised lowercase sentences of the given intents (all intents for None)."""
        ...

    def graph(self, intents: Iterable[str] | None = None, extra: Sequence[str] = ()) -> WordGraph:
        """The same sentences (and `extra`) compiled from the templates, never listed."""
        ...


class Listed(Sequence[str]):
    """Sorted, de-duplicated sentences, listed only when first asked for.

    The top level's sentences are for engines that take a list (Vosk); PocketSphinx
    counts its LM off the graph (`graph_lm.py`), so it never pays for the list
    (minutes and gigabytes at 100x the templates: `python -m benchmarks --only scaling`).
    """

    def __init__(self, build: Callable[[], Iterable[str]]) -> None:
        self._build = build

    @cached_property
    def _items(self) -> tuple[str, ...]:
        return tuple(sorted({normalise(s) for s in self._build()} - {""}))

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[str]: ...
    def __getitem__(self, index: int | slice) -> str | Sequence[str]:
        return self._items[index]

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __contains__(self, item: object) -> bool:
        return item in self._items

    @property
    def listed(self) -> bool:
        """Whether the sentences have been listed yet."""
        return "_items" in self.__dict__


@dataclass(frozen=True)
class Grammar:
    """What to listen for: a mode and, for command mode, the allowed sentences."""

    mode: Mode
    phrases: Sequence[str] = ()
    """Allowed sentences (command mode only), sorted and de-duplicated (the top level's
    are listed only when an engine reads them: `Listed`)."""
    never_reject: tuple[str, ...] = ()
    """The crisis sentences: kept even when the rejection check doubts them."""
    graph: WordGraph | None = None
    """The same sentences as a graph compiled from the templates (command mode only)."""
    crisis: WordGraph | None = None
    """The crisis sentences as a graph, spelled as said ("i don't want to be alive", where
    `never_reject` has the matcher's "i do not ...")."""

    @cached_property
    def crisis_spellings(self) -> tuple[str, ...]:
        """The crisis sentences in every spelling a recognizer may give them: the matcher's
        (`never_reject`, what a listed grammar decodes) and the templates' as said (what a
        graph decodes). What the recognizer never rejects, and the early endpoint never
        ends on (`endpointing.py`)."""
        said = sentences_of(self.crisis) if self.crisis is not None else []
        return tuple(sorted({*self.never_reject, *(normalise(s) for s in said)} - {""}))


def normalise(phrase: str) -> str:
    """Lowercase words and apostrophes only, as the recognizers spell them."""
    return " ".join(re.sub(r"[^\w' ]+", " ", phrase.lower()).split())


class Grammars:
    """Builds each state's grammar once from the sentence source."""

    def __init__(self, source: SentenceSource) -> None:
        self._source = source
        self._cache: dict[tuple[ListenFor, tuple[str, ...], bool], Grammar] = {}

    def for_listen(
        self, kind: ListenFor, choices: Sequence[str] = (), requests: bool = False
    ) -> Grammar:
        """The grammar for a `Listen.kind` (+ the option phrases of a CHOICE).

        With `requests` (an offer), every top-level request is in the grammar too:
        "yes", "no" and "I'm having an urge" are all answers to "shall we...?".
        The wake phrase listens this way too (its phrase as the one choice), so
        "hey coach, I'm having an urge" said in one breath keeps its request.
        """
        key = (kind, tuple(choices), requests)
        if key not in self._cache:
            self._cache[key] = self._build(kind, choices, requests)
        return self._cache[key]

    def _build(self, kind: ListenFor, choices: Sequence[str], requests: bool) -> Grammar:
        if kind is ListenFor.FREE:
            return Grammar("dictation")
        crisis = self._source.sentences(CRISIS)
        extra = [normalise(c) for c in choices]
        names: tuple[str, ...] | None
        if kind is ListenFor.COMMAND or requests:
            # Every intent, numbers included: a bare "seven" at the top level should come
            # out as a number the dialogue can ignore, not be forced into another command.
            names = None
        elif kind is ListenFor.NUMBER:
            names, extra = ("number", *CONTROL, *CRISIS), []
        elif kind is ListenFor.YES_NO:
            names, extra = ("yes", "no", *CONTROL, *CRISIS), []
        else:
            names = (*CONTROL, *CRISIS)
        never_reject = tuple(sorted({normalise(s) for s in crisis} - {""}))
        crisis_graph = self._source.graph(CRISIS)
        if names is None:
            # Requests are said in people's own words, which no template lists: a loose
            # n-gram model of the sentences lets near-template phrasings through to the
            # fuzzy matcher (the domain benchmark, 60 phrases, Piper, clean: the top level
            # through the exact grammar understood 72 % where the n-gram model understood
            # ~90 %). It is counted off the compiled graph (`graph_lm.py`), never listed.
            source = self._source
            listed = Listed(lambda: [*source.sentences(None), *extra, *crisis])
            graph = replace(source.graph(None, extra), exact=False)
            return Grammar("command", listed, never_reject, graph, crisis_graph)
        # The closed answers get their compiled graph (an exact grammar).
        body = self._source.sentences(names) + extra
        phrases = tuple(sorted({normalise(s) for s in [*body, *crisis]} - {""}))
        graph = self._source.graph(names, extra)
        return Grammar("command", phrases, never_reject, graph, crisis_graph)


def listen_with(recognizer: Recognizer, grammars: Grammars, listen: Listen) -> Grammar:
    """Switch the recognizer to the grammar a `Listen` asks for; returns that grammar."""
    grammar = grammars.for_listen(listen.kind, listen.phrases, listen.requests)
    recognizer.set_mode(grammar.mode, grammar.phrases, grammar.crisis_spellings, grammar.graph)
    return grammar
