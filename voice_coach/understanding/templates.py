"""Sentence templates: parse "(I'm|I am) having [an] {thing}" into a tree, expand every sentence.

The syntax follows home-assistant/hassil, trimmed to what the coach needs:

* `(a|b|c)`  one of the alternatives;
* `[the]`    optional words (`[a|an]` = optional alternatives);
* `{value}`  a slot, filled from a slot list (numbers 0–10, tool names ...);
* `<urge>`   an expansion rule: a named template shared between intents.

The same expansion feeds the fuzzy matcher, the tests and the speech
recognizers' grammars, so it only produces real sentences and the slot values
that made them — no regular expressions, no wildcards.
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from voice_coach.errors import IntentsError

MAX_SENTENCES = 20_000
"""A template that expands to more sentences than this is a mistake (it would slow matching)."""


@dataclass(frozen=True)
class Words:
    """Literal text."""

    text: str


@dataclass(frozen=True)
class SlotRef:
    """`{name}`: one value of the slot list `name`."""

    name: str


@dataclass(frozen=True)
class RuleRef:
    """`<name>`: the expansion rule `name`, parsed from its own template."""

    name: str


@dataclass(frozen=True)
class Group:
    """Items said one after the other."""

    items: tuple[Expression, ...]


@dataclass(frozen=True)
class Alternatives:
    """Exactly one of the options (or nothing, when optional)."""

    options: tuple[Expression, ...]
    optional: bool = False
    """True for `[...]`: saying none of the options is fine too."""


Expression = Words | SlotRef | RuleRef | Group | Alternatives


@dataclass(frozen=True)
class SlotValue:
    """One entry of a slot list: the words said and the value the intent receives."""

    words: str
    value: int | str


@dataclass(frozen=True)
class Expansion:
    """One sentence a template accepts, with the slot values that produced it."""

    text: str
    slots: dict[str, int | str] = field(default_factory=dict)


_CLOSERS = {"(": ")", "[": "]"}


class _Parser:
    """Recursive descent over the template characters; errors give the column."""

    def __init__(self, template: str) -> None:
        self.template = template
        self.pos = 0

    def fail(self, problem: str) -> IntentsError:
        return IntentsError(
            f"Template {self.template!r}: {problem} (at character {self.pos + 1}). "
            "Use (a|b) for alternatives, [word] for optional words, {slot} and <rule>."
        )

    def alternatives(self, closer: str) -> list[Expression]:
        options = [self.sequence(closer)]
        while self.pos < len(self.template) and self.template[self.pos] == "|":
            self.pos += 1
            options.append(self.sequence(closer))
        return options

    def sequence(self, closer: str) -> Expression:
        items: list[Expression] = []
        text: list[str] = []
        while self.pos < len(self.template):
            char = self.template[self.pos]
            if char == "|" or char == closer:
                break
            if char in ")]}>":
                raise self.fail(f"unexpected {char!r}")
            if char in "([{<":
                if text:
                    items.append(Words("".join(text)))
                    text = []
                items.append(self.bracket(char))
                continue
            text.append(char)
            self.pos += 1
        if text:
            items.append(Words("".join(text)))
        return items[0] if len(items) == 1 else Group(tuple(items))

    def bracket(self, opener: str) -> Expression:
        start = self.pos
        self.pos += 1
        if opener in "{<":
            closer = "}" if opener == "{" else ">"
            end = self.template.find(closer, self.pos)
            name = self.template[self.pos : end].strip() if end >= 0 else ""
            if end < 0 or not name.replace("_", "").isalnum():
                self.pos = start
                raise self.fail(f"{opener} needs a name and a closing {closer}")
            self.pos = end + 1
            return SlotRef(name) if opener == "{" else RuleRef(name)
        closer = _CLOSERS[opener]
        options = self.alternatives(closer)
        if self.pos >= len(self.template):
            self.pos = start
            raise self.fail(f"{opener!r} is never closed with {closer!r}")
        self.pos += 1
        return Alternatives(tuple(options), optional=opener == "[")


def parse_template(template: str) -> Expression:
    """Parse one template into its expression tree (raises IntentsError naming it)."""
    parser = _Parser(template)
    options = parser.alternatives("")
    if parser.pos < len(parser.template):
        raise parser.fail(f"unexpected {parser.template[parser.pos]!r}")
    return options[0] if len(options) == 1 else Alternatives(tuple(options))


def _expand(
    expr: Expression,
    lists: Mapping[str, Sequence[SlotValue]],
    rules: Mapping[str, Expression],
    depth: int,
) -> Iterator[tuple[str, tuple[tuple[str, int | str], ...]]]:
    if depth > 20:
        raise IntentsError("Expansion rules refer to each other in a loop; break the cycle.")
    if isinstance(expr, Words):
        yield expr.text, ()
    elif isinstance(expr, SlotRef):
        if expr.name not in lists:
            raise IntentsError(f"Unknown slot list {{{expr.name}}}; define it under 'lists:'.")
        for value in lists[expr.name]:
            yield f" {value.words} ", ((expr.name, value.value),)
    elif isinstance(expr, RuleRef):
        if expr.name not in rules:
            raise IntentsError(
                f"Unknown expansion rule <{expr.name}>; define it under 'expansion_rules:'."
            )
        yield from _expand(rules[expr.name], lists, rules, depth + 1)
    elif isinstance(expr, Alternatives):
        if expr.optional:
            yield "", ()
        for option in expr.options:
            yield from _expand(option, lists, rules, depth)
    else:
        parts = [list(_expand(item, lists, rules, depth)) for item in expr.items]
        for combo in itertools.product(*parts):
            yield "".join(text for text, _ in combo), tuple(s for _, slots in combo for s in slots)


def expand(
    expr: Expression | str,
    lists: Mapping[str, Sequence[SlotValue]] | None = None,
    rules: Mapping[str, Expression] | None = None,
) -> list[Expansion]:
    """Every sentence `expr` accepts (whitespace tidied, duplicates removed, order kept)."""
    tree = parse_template(expr) if isinstance(expr, str) else expr
    seen: set[tuple[str, tuple[tuple[str, int | str], ...]]] = set()
    result: list[Expansion] = []
    for text, slots in _expand(tree, lists or {}, rules or {}, 0):
        key = (" ".join(text.split()), slots)
        if key in seen:
            continue
        seen.add(key)
        result.append(Expansion(key[0], dict(slots)))
        if len(result) > MAX_SENTENCES:
            raise IntentsError(
                f"it expands to more than {MAX_SENTENCES} sentences; "
                "split it or use fewer optional parts."
            )
    return result


def count(
    expr: Expression | str,
    lists: Mapping[str, Sequence[SlotValue]] | None = None,
    rules: Mapping[str, Expression] | None = None,
) -> int:
    """How many sentences `expr` accepts, counted without listing them (duplicates included)."""
    tree = parse_template(expr) if isinstance(expr, str) else expr
    return _count(tree, lists or {}, rules or {}, 0)


def _count(
    expr: Expression,
    lists: Mapping[str, Sequence[SlotValue]],
    rules: Mapping[str, Expression],
    depth: int,
) -> int:
    if depth > 20:
        raise IntentsError("Expansion rules refer to each other in a loop; break the cycle.")
    if isinstance(expr, Words):
        return 1
    if isinstance(expr, SlotRef):
        if expr.name not in lists:
            raise IntentsError(f"Unknown slot list {{{expr.name}}}; define it under 'lists:'.")
        return len(lists[expr.name])
    if isinstance(expr, RuleRef):
        if expr.name not in rules:
            raise IntentsError(
                f"Unknown expansion rule <{expr.name}>; define it under 'expansion_rules:'."
            )
        return _count(rules[expr.name], lists, rules, depth + 1)
    if isinstance(expr, Alternatives):
        return int(expr.optional) + sum(_count(o, lists, rules, depth) for o in expr.options)
    return math.prod(_count(item, lists, rules, depth) for item in expr.items)


def sample(
    expr: Expression | str,
    size: int,
    lists: Mapping[str, Sequence[SlotValue]] | None = None,
    rules: Mapping[str, Expression] | None = None,
) -> list[Expansion]:
    """About `size` of the sentences `expr` accepts: all of them when there are no more.

    For templates whose slot lists multiply into millions of sentences (a
    coffee order with size, roast, drink, milk and sugar): listing them all is
    impossible, but a speech recognizer's n-gram model and the fuzzy matcher
    only need every word sequence to occur somewhere. Each choice point cycles
    through its options in a shuffled order, so every alternative and slot
    value appears once the sample is larger than its list, and neighbouring
    choices meet in varied pairs. The shuffle is seeded by the template text:
    the same file always gives the same sentences.
    """
    tree = parse_template(expr) if isinstance(expr, str) else expr
    lists, rules = lists or {}, rules or {}
    if _count(tree, lists, rules, 0) <= size:
        return expand(tree, lists, rules)
    chooser = _Cycler(random.Random(repr(tree)))
    seen: set[tuple[str, tuple[tuple[str, int | str], ...]]] = set()
    result: list[Expansion] = []
    for _ in range(size):
        text, slots = _pick(tree, lists, rules, chooser, 0)
        key = (" ".join(text.split()), slots)
        if key not in seen:
            seen.add(key)
            result.append(Expansion(key[0], dict(slots)))
    return result


class _Cycler:
    """Per choice point, the next option from a reshuffled cycle over all of them."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._queues: dict[int, list[int]] = {}

    def next(self, point: object, options: int) -> int:
        queue = self._queues.setdefault(id(point), [])
        if not queue:
            queue.extend(range(options))
            self._rng.shuffle(queue)
        return queue.pop()


def _pick(
    expr: Expression,
    lists: Mapping[str, Sequence[SlotValue]],
    rules: Mapping[str, Expression],
    chooser: _Cycler,
    depth: int,
) -> tuple[str, tuple[tuple[str, int | str], ...]]:
    """One sentence of `expr`, each choice taken from `chooser`."""
    if isinstance(expr, Words):
        return expr.text, ()
    if isinstance(expr, SlotRef):
        values = lists[expr.name]
        value = values[chooser.next(expr, len(values))]
        return f" {value.words} ", ((expr.name, value.value),)
    if isinstance(expr, RuleRef):
        return _pick(rules[expr.name], lists, rules, chooser, depth + 1)
    if isinstance(expr, Alternatives):
        options = (None, *expr.options) if expr.optional else expr.options
        option = options[chooser.next(expr, len(options))]
        return ("", ()) if option is None else _pick(option, lists, rules, chooser, depth)
    parts = [_pick(item, lists, rules, chooser, depth) for item in expr.items]
    return "".join(text for text, _ in parts), tuple(s for _, slots in parts for s in slots)
