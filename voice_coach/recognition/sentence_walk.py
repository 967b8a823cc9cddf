"""Walk a word graph through the words heard so far: a whole sentence yet, and can it go on?

The early endpoint (`endpointing.py`) needs two facts about a partial
hypothesis: is it a complete sentence of the state's grammar, and does a
longer sentence start with it ("i'm having an urge" goes on as "... right
now")? The top-level graph stands for tens of thousands of sentences, so they
are never listed: the arcs are indexed by state and word once per graph (a
few milliseconds), and each question is then a walk through the words, as
many steps as words, following empty arcs (their epsilon closure) on the way.
`sentences_of` lists a small graph's sentences (the crisis sentences as said).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from voice_coach.messages import WordGraph


@dataclass(frozen=True)
class Reach:
    """Where the words heard so far lead in a graph."""

    complete: bool
    """They are a whole sentence: the final state is reached."""
    extendable: bool
    """A longer sentence starts with them: a reached state has a word arc out."""


NOWHERE = Reach(complete=False, extendable=False)
"""Words that no sentence starts with."""


class SentenceWalk:
    """A graph's arcs indexed for walking word by word (built once per graph)."""

    def __init__(self, graph: WordGraph) -> None:
        words: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
        empty: dict[int, set[int]] = defaultdict(set)
        for src, dst, _p, word in graph.arcs:
            if word is None:
                empty[src].add(dst)
            else:
                words[src][word].add(dst)
        self._words = {s: {w: frozenset(d) for w, d in out.items()} for s, out in words.items()}
        self._empty = {s: frozenset(d) for s, d in empty.items()}
        self._final = graph.final
        self._start = self._closure({graph.start})

    def _closure(self, states: Iterable[int]) -> frozenset[int]:
        """The states plus every state reached from them through empty arcs."""
        found = set(states)
        todo = list(found)
        while todo:
            for dst in self._empty.get(todo.pop(), ()):
                if dst not in found:
                    found.add(dst)
                    todo.append(dst)
        return frozenset(found)

    def reach(self, words: Sequence[str]) -> Reach:
        """Whether `words` are a whole sentence of the graph and whether one goes on from them."""
        states = self._start
        for word in words:
            states = self._closure(
                dst for state in states for dst in self._words.get(state, {}).get(word, ())
            )
            if not states:
                return NOWHERE
        return Reach(
            complete=self._final in states,
            extendable=any(self._words.get(state) for state in states),
        )


def sentences_of(graph: WordGraph, limit: int = 100_000) -> list[str]:
    """Every sentence the graph accepts (at most `limit`): for small graphs and tests."""
    out: dict[int, list[tuple[int, str | None]]] = defaultdict(list)
    for src, dst, _p, word in graph.arcs:
        out[src].append((dst, word))
    result: list[str] = []
    stack: list[tuple[int, tuple[str, ...]]] = [(graph.start, ())]
    while stack and len(result) < limit:
        state, words = stack.pop()
        if state == graph.final:
            result.append(" ".join(words))
            continue
        for dst, word in out[state]:
            stack.append((dst, words if word is None else (*words, word)))
    return result
