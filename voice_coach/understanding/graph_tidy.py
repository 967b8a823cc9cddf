"""Tidy a compiled word graph without changing which sentences it accepts.

`template_graph` builds the graph arc by arc from the templates (with empty arcs
for optional parts); the passes here fold empty arcs into their neighbours where
that is exact, merge states reached by the same word, replace the last empty
arcs by copies of what they lead to (PocketSphinx does not follow them
reliably), drop states that lead nowhere, minimise, and finally number the
states and weigh every arc (`tidy`).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Literal

from voice_coach.messages import Arc, WordGraph

Weighting = Literal["uniform", "sentences"]
START, FINAL = 0, 1


class MutableGraph:
    """A mutable graph: arcs by id, with in/out indexes for the tidying passes."""

    def __init__(self) -> None:
        self.states = 2
        self.arcs: dict[int, tuple[int, int, str | None]] = {}
        self.keys: dict[tuple[int, int, str | None], int] = {}
        self.out: dict[int, set[int]] = defaultdict(set)
        self.inn: dict[int, set[int]] = defaultdict(set)
        self._next = 0

    def state(self) -> int:
        self.states += 1
        return self.states - 1

    def add(self, src: int, dst: int, word: str | None) -> None:
        key = (src, dst, word)
        if key in self.keys or (word is None and src == dst):
            return
        self.keys[key] = self._next
        self.arcs[self._next] = key
        self.out[src].add(self._next)
        self.inn[dst].add(self._next)
        self._next += 1

    def remove(self, arc: int) -> None:
        src, dst, word = self.arcs.pop(arc)
        del self.keys[(src, dst, word)]
        self.out[src].discard(arc)
        self.inn[dst].discard(arc)

    def drop_state(self, state: int) -> None:
        for arc in list(self.out[state]) + list(self.inn[state]):
            if arc in self.arcs:
                self.remove(arc)
        self.out.pop(state, None)
        self.inn.pop(state, None)

    def move_out(self, old: int, new: int) -> None:
        """Give `new` every outgoing arc of `old` (which then has none)."""
        for arc in list(self.out[old]):
            _src, dst, word = self.arcs[arc]
            self.remove(arc)
            self.add(new, dst, word)

    def move_in(self, old: int, new: int) -> None:
        """Point every arc into `old` at `new` instead."""
        for arc in list(self.inn[old]):
            src, _dst, word = self.arcs[arc]
            self.remove(arc)
            self.add(src, new, word)


def _fold_empty_arcs(graph: MutableGraph) -> None:
    """Remove each empty arc whose ends can be merged without adding a sentence."""
    changed = True
    while changed:
        changed = False
        for arc in [a for a, (_s, _d, w) in graph.arcs.items() if w is None]:
            if arc not in graph.arcs:
                continue
            src, dst, _word = graph.arcs[arc]
            if len(graph.inn[dst]) == 1 and dst not in (START, FINAL):
                # The only way into dst: dst's arcs may as well leave from src.
                graph.remove(arc)
                graph.move_out(dst, src)
                graph.drop_state(dst)
                changed = True
            elif len(graph.out[src]) == 1 and src not in (START, FINAL):
                # The only way out of src: whatever reaches src may as well reach dst.
                graph.remove(arc)
                graph.move_in(src, dst)
                graph.drop_state(src)
                changed = True


def _merge_neighbours(graph: MutableGraph) -> None:
    """Merge states entered only by the same word from one state, or left only by the same
    word into one state: the same sentences, with shared beginnings and endings decoded once."""
    changed = True
    while changed:
        changed = False
        by_prefix: dict[tuple[int, str], list[int]] = defaultdict(list)
        by_suffix: dict[tuple[int, str], list[int]] = defaultdict(list)
        for src, dst, word in graph.arcs.values():
            if word is None:
                continue
            if len(graph.inn[dst]) == 1 and dst not in (START, FINAL):
                by_prefix[(src, word)].append(dst)
            if len(graph.out[src]) == 1 and src not in (START, FINAL):
                by_suffix[(dst, word)].append(src)
        for group in by_prefix.values():
            for other in group[1:]:
                if group[0] in graph.out or group[0] in graph.inn:
                    graph.move_out(other, group[0])
                    graph.drop_state(other)
                    changed = True
        if changed:
            continue
        for group in by_suffix.values():
            for other in group[1:]:
                graph.move_in(other, group[0])
                graph.drop_state(other)
                changed = True


def _no_empty_arc_into_final(graph: MutableGraph) -> None:
    """Replace `s -ε-> final` by copies of the arcs into `s` that end in the final state."""
    pending = [a for a, (_s, d, w) in graph.arcs.items() if w is None and d == FINAL]
    while pending:
        arc = pending.pop()
        if arc not in graph.arcs:
            continue
        src, _dst, _word = graph.arcs[arc]
        graph.remove(arc)
        if src == START:
            continue  # the empty sentence: nothing to hear
        for into in list(graph.inn[src]):
            before, _s, word = graph.arcs[into]
            graph.add(before, FINAL, word)
            if word is None:
                pending.append(graph.keys[(before, FINAL, None)])
        if not graph.out[src]:
            graph.drop_state(src)


def _no_empty_arcs(graph: MutableGraph) -> None:
    """Replace each remaining `s -ε-> t` by copies of t's arcs leaving from s."""
    pending = [a for a, (_s, _d, w) in graph.arcs.items() if w is None]
    while pending:
        arc = pending.pop()
        if arc not in graph.arcs:
            continue
        src, dst, _word = graph.arcs[arc]
        graph.remove(arc)
        for out in list(graph.out[dst]):
            _d, nxt, word = graph.arcs[out]
            graph.add(src, nxt, word)
            if word is None:
                pending.append(graph.keys[(src, nxt, None)])


def _prune(graph: MutableGraph) -> None:
    """Drop states that are not on any path from start to final."""
    def reach(begin: int, forward: bool) -> set[int]:
        seen = {begin}
        todo = [begin]
        while todo:
            state = todo.pop()
            for arc in graph.out[state] if forward else graph.inn[state]:
                src, dst, _w = graph.arcs[arc]
                nxt = dst if forward else src
                if nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return seen

    useful = reach(START, True) & reach(FINAL, False)
    for arc in [a for a, (s, d, _w) in graph.arcs.items() if s not in useful or d not in useful]:
        graph.remove(arc)


def _minimal(graph: MutableGraph) -> MutableGraph:
    """The same sentences as a minimal deterministic graph: one arc per word out of a state.

    Templates overlap (80 coffee templates all begin with the same optional
    "can I get"), and a decoder follows every copy of a word at once; after
    this each word sequence is decoded once. States are sets of the old ones
    (subset construction); a word into a set holding the final state also gets
    an arc straight to the final state, so the final state has no way onwards.
    Equivalent states (same arcs to the same states) are then merged bottom-up.
    """
    out: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for src, dst, word in graph.arcs.values():
        if word is not None:
            out[src][word].add(dst)
    result = MutableGraph()
    ids: dict[frozenset[int], int] = {frozenset({START}): START}
    todo = [frozenset({START})]
    while todo:
        here = todo.pop()
        merged: dict[str, set[int]] = defaultdict(set)
        for state in here:
            for word, targets in out[state].items():
                merged[word] |= targets
        for word, targets in merged.items():
            if FINAL in targets:
                result.add(ids[here], FINAL, word)
            rest = frozenset(targets - {FINAL})
            if rest:
                if rest not in ids:
                    ids[rest] = result.state()
                    todo.append(rest)
                result.add(ids[here], ids[rest], word)
    # Minimise: in reverse topological order, a state is its signature's first holder.
    same: dict[int, int] = {FINAL: FINAL}
    holders: dict[tuple[tuple[str, int], ...], int] = {}
    for state in _reverse_topological(result):
        if state == FINAL:
            continue
        signature = tuple(
            sorted((str(result.arcs[a][2]), same[result.arcs[a][1]]) for a in result.out[state])
        )
        same[state] = holders.setdefault(signature, state) if state != START else START
    final = MutableGraph()
    final.states = result.states
    for src, dst, word in result.arcs.values():
        if same.get(src) == src:
            final.add(src, same[dst], word)
    return final


def _weigh(graph: MutableGraph, weighting: Weighting) -> WordGraph:
    """Number the states densely (start 0, final 1) and give every arc its probability."""
    states = sorted({s for s, _d, _w in graph.arcs.values()} | {FINAL, START})
    ids = {state: index for index, state in enumerate(states)}
    paths: dict[int, int] = {}
    if weighting == "sentences":
        for state in _reverse_topological(graph):
            paths[state] = 1 if state == FINAL else sum(
                paths[graph.arcs[a][1]] for a in graph.out[state]
            )
    arcs: list[Arc] = []
    for state in states:
        leaving = sorted(graph.out[state], key=lambda a: (str(graph.arcs[a][2]), graph.arcs[a][1]))
        for arc in leaving:
            _src, dst, word = graph.arcs[arc]
            prob = paths[dst] / paths[state] if weighting == "sentences" else 1.0 / len(leaving)
            arcs.append((ids[state], ids[dst], prob, word))
    return WordGraph(ids[START], ids[FINAL], tuple(arcs))


def _reverse_topological(graph: MutableGraph) -> list[int]:
    """States, each after every state it leads to (the graph has no cycles)."""
    order: list[int] = []
    done: set[int] = set()
    for root in [START]:
        stack: list[tuple[int, bool]] = [(root, False)]
        while stack:
            state, expanded = stack.pop()
            if expanded:
                order.append(state)
                continue
            if state in done:
                continue
            done.add(state)
            stack.append((state, True))
            for arc in graph.out[state]:
                dst = graph.arcs[arc][1]
                if dst not in done:
                    stack.append((dst, False))
    return order


def tidy(graph: MutableGraph, weighting: Weighting) -> WordGraph:
    """Every pass in order, then the numbered, weighted graph."""
    _fold_empty_arcs(graph)
    _merge_neighbours(graph)
    _no_empty_arc_into_final(graph)
    _no_empty_arcs(graph)
    _prune(graph)
    return _weigh(_minimal(graph), weighting)
