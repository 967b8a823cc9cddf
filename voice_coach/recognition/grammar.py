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
from voice_coach.messages import Listen, ListenFor
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


@dataclass(frozen=True)
class Grammar:
    """What to listen for: a mode and, for command mode, the allowed sentences."""

    mode: Mode
    phrases: tuple[str, ...] = ()
    """Allowed sentences (command mode only), sorted and de-duplicated."""
    never_reject: tuple[str, ...] = ()
    """The crisis sentences: kept even when the rejection check doubts them."""


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
        if kind is ListenFor.COMMAND or requests:
            # Every intent, numbers included: a bare "seven" at the top level should come
            # out as a number the dialogue can ignore, not be forced into another command.
            body = self._source.sentences(None) + [normalise(c) for c in choices]
        elif kind is ListenFor.NUMBER:
            body = self._source.sentences(("number", *CONTROL))
        elif kind is ListenFor.YES_NO:
            body = self._source.sentences(("yes", "no", *CONTROL))
        else:
            body = [normalise(c) for c in choices] + self._source.sentences(CONTROL)
        phrases = tuple(sorted({normalise(s) for s in [*body, *crisis]} - {""}))
        return Grammar("command", phrases, tuple(sorted({normalise(s) for s in crisis})))


def listen_with(recognizer: Recognizer, grammars: Grammars, listen: Listen) -> Grammar:
    """Switch the recognizer to the grammar a `Listen` asks for; returns that grammar."""
    grammar = grammars.for_listen(listen.kind, listen.phrases, listen.requests)
    recognizer.set_mode(grammar.mode, grammar.phrases, grammar.never_reject)
    return grammar
