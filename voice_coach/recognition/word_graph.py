"""Compile sentences into a minimal word graph: the finite-state grammar PocketSphinx searches.

A JSGF grammar written as flat alternatives ("a b c | a b d | ...") becomes
one path per sentence: the number state's ~1,300 sentences ("about a six",
"maybe a six out of ten", ...) gave ~4,000 word arcs live at once and a
real-time factor above 1. Merging shared prefixes (a trie) and then shared
suffixes (minimisation: two states with the same outgoing arcs and the same
finality are one state) gives the same sentences with a few hundred arcs,
because templates are products of alternatives. Nothing is added or lost: the
graph accepts exactly the given sentences.

Probabilities: every sentence is equally likely, as in a flat JSGF list (an
arc's probability is the share of the state's sentences that go through it).
"""

from __future__ import annotations

from collections.abc import Sequence

Transition = tuple[int, int, float, str]
"""(from state, to state, probability, word)."""


def word_graph(sentences: Sequence[str]) -> tuple[int, int, list[Transition]]:
    """(start state, final state, transitions) accepting exactly `sentences`."""
    # Trie: state -> {word: child}; final marks sentence ends.
    children: list[dict[str, int]] = [{}]
    final: list[bool] = [False]
    for sentence in sentences:
        state = 0
        for word in sentence.split():
            nxt = children[state].get(word)
            if nxt is None:
                nxt = len(children)
                children[state][word] = nxt
                children.append({})
                final.append(False)
            state = nxt
        final[state] = True
    # Minimise bottom-up: children have larger ids than parents in a trie.
    canonical: dict[tuple[bool, tuple[tuple[str, int], ...]], int] = {}
    rep = list(range(len(children)))
    for state in range(len(children) - 1, -1, -1):
        arcs = tuple(sorted((w, rep[c]) for w, c in children[state].items()))
        signature = (final[state], arcs)
        rep[state] = canonical.setdefault(signature, state)
    # Renumber the surviving states densely, start first; one extra final state.
    ids: dict[int, int] = {}
    order = [rep[0]]
    transitions: list[Transition] = []
    seen = {rep[0]}
    while order:
        state = order.pop()
        ids.setdefault(state, len(ids))
        for child in children[state].values():
            if rep[child] not in seen:
                seen.add(rep[child])
                order.append(rep[child])
    # Sentences reachable from each state, so every sentence is equally likely.
    paths = [0] * len(children)
    for state in range(len(children) - 1, -1, -1):
        paths[state] = int(final[state]) + sum(paths[c] for c in children[state].values())
    # No epsilon arcs (the decoder does not follow them reliably to the end): a word
    # that can end a sentence gets a second arc straight into the final state.
    end = len(ids)
    for state, number in ids.items():
        # Reached as the "goes on" copy of a state: its own sentence end is not an option.
        through = paths[state] - int(final[state])
        for word, child in sorted(children[state].items()):
            ends, goes_on = int(final[child]), paths[child] - int(final[child])
            if goes_on:
                transitions.append((number, ids[rep[child]], goes_on / through, word))
            if ends:
                transitions.append((number, end, ends / through, word))
    return ids[rep[0]], end, transitions
