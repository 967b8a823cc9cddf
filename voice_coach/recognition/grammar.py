"""Which sentences the recognizer listens for in each dialogue state.

The intent templates are the one phrase source: the understanding layer
expands them into sentences, and this module picks the few a state needs.
Small per-state grammars keep decoding fast and make forcing rarer (during a
0-10 rating only numbers and control words can come out). The crisis
sentences are in every grammar, and are never rejected.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from voice_coach import names
from voice_coach.messages import Listen, ListenFor, WordGraph
from voice_coach.recognition import Mode, Recognizer

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


@dataclass(frozen=True)
class Grammar:
    """What to listen for: a mode and, for command mode, the allowed sentences."""

    mode: Mode
    phrases: tuple[str, ...] = ()
    """Allowed sentences (command mode only), sorted and de-duplicated."""
    never_reject: tuple[str, ...] = ()
    """The crisis sentences: kept even when the rejection check doubts them."""
    graph: WordGraph | None = None
    """The same sentences as a graph compiled from the templates (command mode only)."""


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
        body = self._source.sentences(names) + extra
        phrases = tuple(sorted({normalise(s) for s in [*body, *crisis]} - {""}))
        # Only the closed answers get their compiled graph (an exact grammar). Requests
        # are said in people's own words, which no template lists: the n-gram model of
        # the sentences lets near-template phrasings through to the fuzzy matcher
        # (the domain benchmark, 60 phrases, Piper, clean: the top level through the
        # exact grammar understood 72 % where the n-gram model understood ~90 %).
        graph = None if names is None else self._source.graph(names, extra)
        return Grammar("command", phrases, tuple(sorted({normalise(s) for s in crisis})), graph)


def listen_with(recognizer: Recognizer, grammars: Grammars, listen: Listen) -> Grammar:
    """Switch the recognizer to the grammar a `Listen` asks for; returns that grammar."""
    grammar = grammars.for_listen(listen.kind, listen.phrases, listen.requests)
    recognizer.set_mode(grammar.mode, grammar.phrases, grammar.never_reject, grammar.graph)
    return grammar
