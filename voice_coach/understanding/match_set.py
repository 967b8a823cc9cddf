"""Which template sentences the matcher compares an utterance with: all while that is cheap,
a bounded, deterministic sample beyond.

Comparing costs time per sentence (rapidfuzz against each one: ~7 ms for the
~29,000 distinct shipped ones) and building the index costs time and memory
per sentence, while templates multiply: 100 times today's sentences took 52 s
and 2.5 GB when every one was listed (`python -m benchmarks --only scaling`).
So no template is ever listed past its share of `SENTENCE_BUDGET`: each is
counted first without listing (`templates.count`), and gets min(its count,
cap), the cap being the largest that keeps the total within the budget, but
never below `FLOOR`. A template over its cap is sampled (`templates.sample`:
every alternative and slot value appears, choices cycle in a seeded order, so
the same files always give the same sentences) and its intent is "sampled":
an exact sentence of it that the sample missed is still recognised in full by
the compiled graph (`acceptor.py`). The shipped templates fit the budget, so
the matcher compares with every one of their sentences, exactly as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from voice_coach.errors import IntentsError
from voice_coach.understanding.intents import Intents, IntentSentence
from voice_coach.understanding.templates import (
    MAX_SENTENCES,
    Expression,
    count,
    parse_template,
    sample,
)

SENTENCE_BUDGET = 50_000
"""Sentences the matcher compares with at most (the shipped templates have ~45,000)."""
FLOOR = 40
"""The fewest sentences kept from a template, however many templates share the budget."""


@dataclass(frozen=True)
class MatchSet:
    """The sentences chosen for matching, and what was left out."""

    sentences: tuple[IntentSentence, ...]
    """As expanded from the templates (not yet normalised), with their slot values."""
    sampled: frozenset[str]
    """Intents with at least one template sampled rather than listed in full."""
    counts: dict[str, int]
    """Per intent, how many sentences its templates accept (counted, never listed)."""


def cap_for(sizes: list[int], budget: int, floor: int = FLOOR) -> int | None:
    """The largest per-template cap keeping sum(min(size, cap)) within `budget` (None: no cap)."""
    if sum(sizes) <= budget:
        return None
    ordered = sorted(sizes)
    spent = 0
    for i, size in enumerate(ordered):
        left = len(ordered) - i
        if spent + size * left > budget:
            return max(floor, (budget - spent) // left)
        spent += size
    return None  # unreachable: the sum was over budget


def choose(
    intents: Intents, budget: int = SENTENCE_BUDGET, whole: frozenset[str] = frozenset()
) -> MatchSet:
    """The sentences to match against: every one if they fit in `budget`, else capped samples.

    The intents in `whole` are never capped (up to `MAX_SENTENCES` a template) and
    their sentences come off the budget first: the matcher cuts their sentences
    off an utterance by exact prefix or suffix ("hey coach, ..."), so it must know
    every one.
    """
    plan: list[tuple[str, Expression, int, int]] = []  # (intent, tree, sentences, most kept)
    totals: dict[str, int] = {}
    for intent in intents.intents.values():
        totals[intent.name] = 0
        for template in intent.templates:
            try:
                tree = parse_template(template)
                n = count(tree, intents.lists, intents.rules)
            except IntentsError as exc:
                where = f"Intent {intent.name!r}, template {template!r}"
                raise IntentsError(f"{where}: {exc}") from None
            totals[intent.name] += n
            wanted = n if intent.sample is None else min(n, intent.sample)
            plan.append((intent.name, tree, n, wanted))
    fixed = sum(min(wanted, MAX_SENTENCES) for name, *_, wanted in plan if name in whole)
    cap = cap_for([wanted for name, *_, wanted in plan if name not in whole], budget - fixed)
    result: list[IntentSentence] = []
    sampled: set[str] = set()
    for name, tree, full, wanted in plan:
        keep = min(wanted, MAX_SENTENCES, wanted if cap is None or name in whole else cap)
        if keep < full:
            sampled.add(name)
        expansions = sample(tree, keep, intents.lists, intents.rules)
        result.extend(IntentSentence(name, e.text, e.slots) for e in expansions)
    return MatchSet(tuple(result), frozenset(sampled), totals)
