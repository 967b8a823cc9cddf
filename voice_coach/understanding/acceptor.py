"""Exact membership from the compiled graphs: is this utterance one of an intent's sentences?

A sampled intent (`match_set`) is compared with only some of its sentences,
so a fuzzy score alone would rate a perfectly templated sentence the sample
missed below 1.0. Its graph as the template compiler builds it
(`template_graph.raw_arcs`: as big as the templates, never a list; untidied,
since empty arcs cost nothing here) answers exactly instead. The graph's words are as
said ("i'm"); each is put through `normalize` ("i am"), word by word, which is
exact because `normalize` works within a word once digits are spelled out —
so the utterance, normalised the same way, is walked through one automaton
holding every sampled intent, its final states labelled with their intent.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from voice_coach.understanding.graph_tidy import FINAL as GRAPH_FINAL
from voice_coach.understanding.graph_tidy import START as GRAPH_START
from voice_coach.understanding.intents import Intents
from voice_coach.understanding.normalize import normalize
from voice_coach.understanding.template_graph import raw_arcs

START = 0


@lru_cache(maxsize=65536)
def _words(word: str) -> list[str]:
    """A graph word as normalised words (templates repeat words: normalise each once)."""
    return normalize(word).split()


class Acceptor:
    """One automaton over normalised words for many intents; built once, then read-only."""

    def __init__(self, arcs: list[tuple[int, str, int]], finals: dict[int, str]) -> None:
        """From arcs (source, word or "" for none, destination) and final state → intent."""
        self._arcs = arcs
        self._finals = finals
        self._next: dict[int, dict[str, list[int]]] = {}
        self._empty: dict[int, list[int]] = {}
        for src, word, dst in arcs:
            if word:
                self._next.setdefault(src, {}).setdefault(word, []).append(dst)
            else:
                self._empty.setdefault(src, []).append(dst)

    @classmethod
    def build(cls, intents: Intents, names: Iterable[str]) -> Acceptor:
        """Compile each intent in `names` on its own and join them at one start state.

        Sharing the start is exact: a compiled graph has no arc into its start.
        """
        arcs: list[tuple[int, str, int]] = []
        finals: dict[int, str] = {}
        states = 1
        for name in sorted(names):
            raw = raw_arcs(intents, name)
            ids: dict[int, int] = {GRAPH_START: START}
            for src, dst, _word in raw:
                for old in (src, dst):
                    if old not in ids:
                        ids[old], states = states, states + 1
            for src, dst, word in raw:
                tokens = _words(word) if word else []
                at = ids[src]
                for token in tokens[:-1]:
                    arcs.append((at, token, states))
                    at, states = states, states + 1
                arcs.append((at, tokens[-1] if tokens else "", ids[dst]))
            if GRAPH_FINAL in ids:
                finals[ids[GRAPH_FINAL]] = name
        return cls(arcs, finals)

    def to_state(self) -> dict[str, Any]:
        """Plain JSON-ready data for the matcher's cached index."""
        return {"arcs": self._arcs, "finals": {str(k): v for k, v in self._finals.items()}}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> Acceptor:
        arcs = [(int(a), str(w), int(b)) for a, w, b in state["arcs"]]
        return cls(arcs, {int(k): str(v) for k, v in state["finals"].items()})

    def intents(self, text: str) -> set[str]:
        """The intents of which `text` (any casing, contractions, digits) is a template sentence."""
        current = self._closure({START})
        for word in normalize(text).split():
            current = self._closure(
                {dst for s in current for dst in self._next.get(s, {}).get(word, ())}
            )
            if not current:
                return set()
        return {self._finals[s] for s in current if s in self._finals}

    def _closure(self, states: set[int]) -> set[int]:
        todo = [s for s in states if s in self._empty]
        while todo:
            for dst in self._empty.get(todo.pop(), ()):
                if dst not in states:
                    states.add(dst)
                    todo.append(dst)
        return states
