"""A state's compiled template graph as a PocketSphinx grammar, with a garbage loop beside it.

The graph (`understanding.template_graph`) accepts exactly the template
sentences, so whatever the decoder returns through it is a sentence the
templates allow. Speech outside them would be forced onto the nearest
sentence, so the grammar offers a second way through: a loop of single
phones, each a dictionary word spelled with GARBAGE_MARK. Any sound can be
spelled with phones, so when the speech matches no sentence better than
free phones (minus a penalty per phone), the decoder goes that way and the
result says so. This is the classic filler model: one decode per utterance
the grammar accepts, instead of a second open-vocabulary decode compared
with the grammar's (`rejection.judge`). A loop of everyday words would give
readable text, but PocketSphinx's grammar search expands every word of a
loop at every word end: 300 words made decoding 100 times slower.

Not the default (`settings.command_grammar = "compiled"` turns it on), as
measured on the closed answers (ratings and yes/no, Piper voice, clean: 28
answers, 34 out-of-scope phrases heard in both states, 24 crisis phrases in
a yes/no question): these 39 phones got 27/28 right and accepted 11/68
out-of-scope, against the two-pass check's 26/28 and 17/68, but caught 21/24
crisis phrases against 23/24 (the open transcript of every utterance is a
second chance for the crisis patterns) and decoded 7.7 times slower. A loop
of 16 phones was as fast as the two-pass check but accepted 24/68 and caught
17/24.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable
from typing import Any

from voice_coach.messages import WordGraph

GARBAGE_MARK = "~"
"""Appended to each phone of the garbage loop, to tell its words from the grammar's."""
PHONES = (
    "AA", "AE", "AH", "AO", "AW", "AY", "B", "CH", "D", "DH", "EH", "ER", "EY",
    "F", "G", "HH", "IH", "IY", "JH", "K", "L", "M", "N", "NG", "OW", "OY",
    "P", "R", "S", "SH", "T", "TH", "UH", "UW", "V", "W", "Y", "Z", "ZH",
)  # fmt: skip
"""The en-us acoustic model's phones (CMUdict's set)."""
GARBAGE_ENTRY = 1e-3
"""Probability of leaving the start state into the garbage loop instead of the grammar."""
PHONE_PENALTY = 0.05
"""Probability mass of each phone step in the loop (spread over the phones): lower rejects less."""


def garbage_words() -> dict[str, str]:
    """The loop's words and their pronunciations: one per phone."""
    return {f"{p.lower()}{GARBAGE_MARK}": p for p in PHONES}


Transition = tuple[int, int, float, str] | tuple[int, int, float]


def transitions(
    graph: WordGraph, usable: Callable[[str], bool], loop: Iterable[str] = ()
) -> tuple[int, int, list[Transition]]:
    """(start, final, transitions) for `Decoder.create_fsg`: the graph's arcs whose word
    is `usable`, plus, when `loop` has words, the garbage loop from start to final."""
    loop = list(loop)
    keep = 1.0 - GARBAGE_ENTRY if loop else 1.0
    result: list[Transition] = []
    top = graph.final
    for src, dst, prob, word in graph.arcs:
        top = max(top, src, dst)
        share = prob * keep if src == graph.start else prob
        if word is None:
            result.append((src, dst, share))
        elif usable(word):
            result.append((src, dst, share, word))
    if loop:
        inside = top + 1
        each = 1.0 / len(loop)
        for word in loop:
            result.append((graph.start, inside, GARBAGE_ENTRY * each, word))
            result.append((inside, inside, PHONE_PENALTY * each, word))
            result.append((inside, graph.final, PHONE_PENALTY * each, word))
    return graph.start, graph.final, result


def unmark(text: str) -> tuple[str, bool]:
    """(the words without their marks, True when the decoder went through the garbage loop)."""
    words = text.split()
    garbage = any(w.endswith(GARBAGE_MARK) for w in words)
    return " ".join(w.removesuffix(GARBAGE_MARK) for w in words), garbage


class GraphSentences(Container[str]):
    """A compiled graph's sentences, never listed: `in` asks the PocketSphinx grammar itself
    (a listed sample of a combinatorial grammar would miss most of them)."""

    def __init__(self, fsg: Any) -> None:
        self._fsg = fsg

    def __contains__(self, text: object) -> bool:
        return isinstance(text, str) and bool(text) and bool(self._fsg.accept(text))
