"""Compile intent templates into a word graph directly: no sentence is ever listed.

Expanding templates multiplies: the top level is ~16,000 sentences, a
coffee-order grammar hundreds of millions. A recognizer only needs the graph
those products describe, which is about as big as the templates themselves:

* a word sequence is a chain of arcs;
* `(a|b)` and `{slot}` put their options side by side between the same two
  states; `[x]` adds an empty (epsilon) arc beside them;
* `<rule>` is compiled in place.

Then the graph is tidied (`graph_tidy.py`), never changing which sentences it accepts: empty
arcs are folded into their neighbours where that is exact, states reached by
the same word from one state (or leading by the same word into one state)
are merged, so shared beginnings and endings are decoded once, and the last
empty arcs are replaced by copies of the arcs they lead to. PocketSphinx
does not follow empty arcs reliably (a rating after the top-level grammar
came out empty until they were gone), so the graph has none: the shipped
templates give ~6,200 arcs for ~32,000 sentences.

Probabilities: each state spreads its probability evenly over its outgoing
arcs ("uniform", as in JSGF where alternatives weigh the same), or in
proportion to the number of sentences through each arc ("sentences", every
sentence equally likely, as the expanded word graphs of `recognition.word_graph`).
Words are written as people say them (`spoken`: "i'm", "let's", lowercase,
digits spelled out), because a recognizer must hear the contraction that is
said and its dictionary has it; `normalize` of a graph sentence is the
expanded, normalised template sentence the matcher knows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from voice_coach.errors import IntentsError
from voice_coach.messages import WordGraph
from voice_coach.number_words import digits_to_words
from voice_coach.recognition.sentence_walk import SentenceWalk, sentences_of
from voice_coach.understanding.graph_tidy import FINAL, START, MutableGraph, Weighting, tidy
from voice_coach.understanding.intents import Intents
from voice_coach.understanding.templates import (
    Alternatives,
    Expression,
    Group,
    RuleRef,
    SlotRef,
    SlotValue,
    Words,
    parse_template,
)

_MAX_DEPTH = 20
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_DIGITS = re.compile(r"\d+")
_NON_WORD = re.compile(r"[^\w']+|_")


def spoken(text: str) -> str:
    """Lowercase words as said, contractions kept ("I'm" → "i'm"), digits spelled out."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).lower()
    text = _DIGITS.sub(lambda m: f" {digits_to_words(m[0])} ", text)
    return " ".join(w for w in (t.strip("'") for t in _NON_WORD.sub(" ", text).split()) if w)


class _Compiler:
    def __init__(
        self, lists: Mapping[str, Sequence[SlotValue]], rules: Mapping[str, Expression]
    ) -> None:
        self.graph = MutableGraph()
        self.lists = lists
        self.rules = rules

    def words(self, text: str, src: int, dst: int) -> None:
        tokens = spoken(text).split()
        if not tokens:
            self.graph.add(src, dst, None)
            return
        state = src
        for token in tokens[:-1]:
            nxt = self.graph.state()
            self.graph.add(state, nxt, token)
            state = nxt
        self.graph.add(state, dst, tokens[-1])

    def expression(self, expr: Expression, src: int, dst: int, depth: int) -> None:
        if depth > _MAX_DEPTH:
            raise IntentsError("Expansion rules refer to each other in a loop; break the cycle.")
        if isinstance(expr, Words):
            self.words(expr.text, src, dst)
        elif isinstance(expr, SlotRef):
            if expr.name not in self.lists:
                raise IntentsError(f"Unknown slot list {{{expr.name}}}; define it under 'lists:'.")
            for value in self.lists[expr.name]:
                self.words(value.words, src, dst)
        elif isinstance(expr, RuleRef):
            if expr.name not in self.rules:
                raise IntentsError(
                    f"Unknown expansion rule <{expr.name}>; define it under 'expansion_rules:'."
                )
            self.expression(self.rules[expr.name], src, dst, depth + 1)
        elif isinstance(expr, Alternatives):
            for option in expr.options:
                self.expression(option, src, dst, depth)
            if expr.optional:
                self.graph.add(src, dst, None)
        else:
            # Blank text between brackets ("[an] <urge>") says nothing: no state for it.
            items = _attach_suffixes(
                [i for i in expr.items if not (isinstance(i, Words) and not i.text.strip())]
            )
            if not items:
                self.graph.add(src, dst, None)
                return
            state = src
            for item in items[:-1]:
                nxt = self.graph.state()
                self.expression(item, state, nxt, depth)
                state = nxt
            self.expression(items[-1], state, dst, depth)


def _attach_suffixes(items: list[Expression]) -> list[Expression]:
    """`(what|there)'s`: a contraction's meaning depends on its word ("what is", but "my
    wife's" is "my wife"), so the suffix joins each option before normalising."""
    result: list[Expression] = []
    for item in items:
        before = result[-1] if result else None
        if (
            isinstance(item, Words)
            and item.text[:1] in "'’"
            and isinstance(before, Alternatives)
            and all(isinstance(o, Words) for o in before.options)
        ):
            suffix, _space, rest = item.text.partition(" ")
            options = tuple(Words(o.text + suffix) for o in before.options if isinstance(o, Words))
            result[-1] = Alternatives(options, before.optional)
            if rest.strip():
                result.append(Words(" " + rest))
            continue
        if (
            isinstance(item, Alternatives)
            and isinstance(before, Words)
            and before.text.split()
            and any(isinstance(o, Words) and o.text[:1] in "'’" for o in item.options)
        ):
            # "what('s| is)": the word before joins each option instead.
            head, _space, last = before.text.rstrip().rpartition(" ")
            gap = " " if before.text[-1:].isspace() else ""
            joined: list[Expression] = [
                Words(last + ("" if o.text[:1] in "'’" else gap) + o.text)
                if isinstance(o, Words)
                else Group((Words(last + " "), o))
                for o in item.options
            ]
            if item.optional:
                joined.append(Words(last))
            result[-1] = Words(head + " ")
            result.append(Alternatives(tuple(joined)))
            continue
        result.append(item)
    return result


def compile_graph(
    intents: Intents,
    names: Iterable[str] | None = None,
    extra: Sequence[str] = (),
    weighting: Weighting = "uniform",
) -> WordGraph:
    """The graph of every sentence of the intents `names` (all for None) and of `extra`."""
    compiler = _Compiler(intents.lists, intents.rules)
    wanted = list(intents.intents) if names is None else list(names)
    for name in wanted:
        intent = intents.intents.get(name)
        if intent is None:
            continue
        for template in intent.templates:
            try:
                compiler.expression(parse_template(template), START, FINAL, 0)
            except IntentsError as exc:
                raise IntentsError(f"Intent {name!r}, template {template!r}: {exc}") from None
    for phrase in extra:
        compiler.words(phrase, START, FINAL)
    return tidy(compiler.graph, weighting)


def raw_arcs(intents: Intents, name: str) -> list[tuple[int, int, str | None]]:
    """One intent's arcs as compiled, before `tidy`: from START to FINAL, empty arcs kept.

    Enough for exact membership (`acceptor.py`), where empty arcs cost nothing
    and tidying hundreds of intents would cost a second or more at load.
    """
    compiler = _Compiler(intents.lists, intents.rules)
    intent = intents.intents.get(name)
    for template in intent.templates if intent is not None else ():
        try:
            compiler.expression(parse_template(template), START, FINAL, 0)
        except IntentsError as exc:
            raise IntentsError(f"Intent {name!r}, template {template!r}: {exc}") from None
    return list(compiler.graph.arcs.values())


def accepts(graph: WordGraph, sentence: str) -> bool:
    """Whether `sentence` (words as in the graph) is one of the graph's sentences."""
    return SentenceWalk(graph).reach(sentence.split()).complete


__all__ = ["accepts", "compile_graph", "raw_arcs", "sentences_of", "spoken"]
