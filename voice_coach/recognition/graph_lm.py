"""The top-level command LM counted off the compiled word graph: no sentence is listed.

Every top-level request is allowed at once, and the templates multiply into
~32,000 sentences today (millions at 100×, `python -m benchmarks --only
scaling`): listing them to count their n-grams cost minutes and gigabytes.
The compiled graph (`understanding.template_graph`) is deterministic, so each
sentence is exactly one path from start to final, and the number of sentences
in which an n-gram occurs at a place is the number of paths into that place
times the number of paths out of it. So

* `forward[s]` = paths from the start to state s, `backward[s]` = paths
  from s to the final state (one pass each over the states in order);
* a word w on an arc s→t is counted forward[s] × backward[t] times, a
  bigram over s→t→u forward[s] × backward[u], and so on, with `<s>` an arc
  into the start state and `</s>` one out of the final state;

which gives exactly the counts of the listed sentences (a test checks it by
brute force), in time proportional to the graph. The counts then become an
ARPA file as before (`command_lm.arpa_from_counts`: the same back-off model and
everyday words), cached on disk under the graph's hash.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from voice_coach.messages import WordGraph
from voice_coach.recognition.command_lm import Counts, arpa_from_counts, cached_lm

_BEGIN, _END = "<s>", "</s>"


def _order(graph: WordGraph, out: dict[int, list[tuple[int, str | None]]]) -> list[int]:
    """States reachable from the start, each before every state it leads to."""
    order: list[int] = []
    state_of: dict[int, int] = {}  # 1: on the stack, 2: done
    stack: list[tuple[int, bool]] = [(graph.start, False)]
    while stack:
        state, expanded = stack.pop()
        if expanded:
            state_of[state] = 2
            order.append(state)
            continue
        if state_of.get(state) == 2:
            continue
        state_of[state] = 1
        stack.append((state, True))
        for dst, _word in out[state]:
            if state_of.get(dst) == 1:
                raise ValueError("The word graph has a cycle: it cannot be counted")
            if dst not in state_of:
                stack.append((dst, False))
    return order[::-1]


def graph_counts(graph: WordGraph, usable: Callable[[str], bool] = lambda w: True) -> Counts:
    """The unigram, bigram and trigram counts of every sentence of `graph`, never listed.

    Arcs of words that are not `usable` (no pronunciation) are left out, which
    leaves out exactly the sentences that contain them. Empty arcs are
    followed (each path through them counts once), though compiled graphs
    have none. Counts are exact integers.
    """
    out: dict[int, list[tuple[int, str | None]]] = defaultdict(list)
    for src, dst, _p, word in graph.arcs:
        if word is None or usable(word):
            out[src].append((dst, word))
    order = _order(graph, out)
    forward: dict[int, int] = defaultdict(int)
    forward[graph.start] = 1
    for state in order:
        for dst, _word in out[state]:
            forward[dst] += forward[state]
    backward: dict[int, int] = defaultdict(int)
    backward[graph.final] = 1
    for state in reversed(order):
        if state != graph.final:
            backward[state] = sum(backward[dst] for dst, _w in out[state])
    # Words into and out of each state, weighted by the paths before and after them.
    # Empty arcs are looked through: `into[s][w]` counts paths ending "... w" at s.
    into: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    into[graph.start][_BEGIN] = 1
    onward: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    onward[graph.final][_END] = 1
    for state in order:
        for dst, word in out[state]:
            if word is None:
                for earlier, count in into[state].items():
                    into[dst][earlier] += count
            else:
                into[dst][word] += forward[state]
    for state in reversed(order):
        for dst, word in out[state]:
            if word is None:
                for later, count in onward[dst].items():
                    onward[state][later] += count
            else:
                onward[state][word] += backward[dst]
    total = backward[graph.start]
    uni: dict[str, int | float] = defaultdict(int)
    bi: dict[tuple[str, str], int | float] = defaultdict(int)
    tri: dict[tuple[str, str, str], int | float] = defaultdict(int)
    if total == 0:
        return {}, {}, {}
    uni[_BEGIN] = uni[_END] = total
    # Each n-gram is counted at its last real word's arc (`</s>` at the final state), so
    # a place in a path is counted once even where empty arcs give it two names.
    ends = [(state, dst, word) for state in order for dst, word in out[state] if word is not None]
    for state, dst, word in ends:
        if forward[state] and backward[dst]:
            uni[word] += forward[state] * backward[dst]
            for a, before in into[state].items():
                if before:
                    bi[(a, word)] += before * backward[dst]
    for a, before in into[graph.final].items():
        if before and a != _BEGIN:
            bi[(a, _END)] += before
    # Trigrams: a word arc s→t in the middle, the words into s and out of t around it
    # (a one-word sentence gives <s> w </s>).
    for state, dst, word in ends:
        for a, before in into[state].items():
            for c, after in onward[dst].items():
                if before and after:
                    tri[(a, word, c)] += before * after
    return dict(uni), dict(bi), dict(tri)


def graph_key(graph: WordGraph) -> str:
    """A hash of the graph: it changes exactly when the templates' sentences change."""
    return hashlib.sha1(repr((graph.start, graph.final, graph.arcs)).encode()).hexdigest()


def graph_lm_file(
    graph: WordGraph,
    usable: Callable[[str], bool],
    known: Callable[[str], bool],
    cache_dir: Path | None,
) -> tuple[Path, bool]:
    """(path of the ARPA file of `graph`, temporary), from `cache_dir/grammars` when there.

    `usable` says which graph words can be pronounced, `known` which
    everyday words (`command_lm`); a temporary file is the caller's to delete.
    """
    key = f"graph {graph_key(graph)}"
    return cached_lm(key, lambda: arpa_from_counts(graph_counts(graph, usable), known), cache_dir)
