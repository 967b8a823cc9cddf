"""Compile intent templates into a word graph directly: no sentence is ever listed.

Expanding templates multiplies: the top level is ~16,000 sentences, a
coffee-order grammar hundreds of millions. A recognizer only needs the graph
those products describe, which is about as big as the templates themselves:

* a word sequence is a chain of arcs;
* `(a|b)` and `{slot}` put their options side by side between the same two
  states; `[x]` adds an empty (epsilon) arc beside them;
* `<rule>` is compiled in place.

Then the graph is tidied, never changing which sentences it accepts: empty
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
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Literal

from voice_coach.errors import IntentsError
from voice_coach.messages import Arc, WordGraph
from voice_coach.number_words import digits_to_words
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

Weighting = Literal["uniform", "sentences"]
START, FINAL = 0, 1
_MAX_DEPTH = 20
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})
_DIGITS = re.compile(r"\d+")
_NON_WORD = re.compile(r"[^\w']+|_")


def spoken(text: str) -> str:
    """Lowercase words as said, contractions kept ("I'm" → "i'm"), digits spelled out."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).lower()
    text = _DIGITS.sub(lambda m: f" {digits_to_words(m[0])} ", text)
    return " ".join(w for w in (t.strip("'") for t in _NON_WORD.sub(" ", text).split()) if w)


class _Graph:
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


class _Compiler:
    def __init__(
        self, lists: Mapping[str, Sequence[SlotValue]], rules: Mapping[str, Expression]
    ) -> None:
        self.graph = _Graph()
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
    graph = compiler.graph
    _fold_empty_arcs(graph)
    _merge_neighbours(graph)
    _no_empty_arc_into_final(graph)
    _no_empty_arcs(graph)
    _prune(graph)
    return _weigh(_minimal(graph), weighting)


def _fold_empty_arcs(graph: _Graph) -> None:
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


def _merge_neighbours(graph: _Graph) -> None:
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


def _no_empty_arc_into_final(graph: _Graph) -> None:
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


def _no_empty_arcs(graph: _Graph) -> None:
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


def _prune(graph: _Graph) -> None:
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


def _minimal(graph: _Graph) -> _Graph:
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
    result = _Graph()
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
    final = _Graph()
    final.states = result.states
    for src, dst, word in result.arcs.values():
        if same.get(src) == src:
            final.add(src, same[dst], word)
    return final


def _weigh(graph: _Graph, weighting: Weighting) -> WordGraph:
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


def _reverse_topological(graph: _Graph) -> list[int]:
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


def accepts(graph: WordGraph, sentence: str) -> bool:
    """Whether `sentence` (words as in the graph) is one of the graph's sentences."""
    out: dict[int, list[tuple[int, str | None]]] = defaultdict(list)
    for src, dst, _p, word in graph.arcs:
        out[src].append((dst, word))

    def closure(states: set[int]) -> set[int]:
        todo = list(states)
        while todo:
            for dst, word in out[todo.pop()]:
                if word is None and dst not in states:
                    states.add(dst)
                    todo.append(dst)
        return states

    current = closure({graph.start})
    for token in sentence.split():
        current = closure({dst for s in current for dst, word in out[s] if word == token})
        if not current:
            return False
    return graph.final in current


def sentences_of(graph: WordGraph, limit: int = 100_000) -> list[str]:
    """Every sentence the graph accepts (at most `limit`): for tests and small grammars."""
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
