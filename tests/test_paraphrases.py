"""Held-out paraphrases (tests/data/paraphrases.yaml, written without seeing the templates).

Measures what a person would notice: how often a natural request reaches the
right tool, how often an off-topic sentence is left alone instead of starting
an exercise, and whether every crisis phrasing is caught. Prints the figures.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from voice_coach.understanding import Understanding

DATA = Path(__file__).parent / "data" / "paraphrases.yaml"


@pytest.fixture(scope="module")
def phrases() -> dict[str, Any]:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and data.get("intents"), "paraphrases.yaml has no intents"
    return data


@pytest.fixture(scope="module")
def u() -> Understanding:
    return Understanding.load("en")


def _items(data: dict[str, Any]) -> list[tuple[str, str, int | None]]:
    items = []
    for intent, entries in data["intents"].items():
        for entry in entries:
            if isinstance(entry, dict):
                items.append((str(intent), str(entry["text"]), entry.get("value")))
            else:
                items.append((str(intent), str(entry), None))
    return items


def test_paraphrase_figures(u: Understanding, phrases: dict[str, Any]) -> None:
    items = _items(phrases)
    misses = []
    for intent, text, value in items:
        match = u.recognize(text)
        ok = match.intent == intent and (value is None or match.slots.get("value") == value)
        if not ok:
            misses.append(f"  {intent:>18} <- {text!r}: got {match.intent} {match.slots}")
    accuracy = 1 - len(misses) / len(items)

    out_of_scope = [str(t) for t in phrases.get("out_of_scope", [])]
    accepted = [
        f"  {t!r} -> {m.intent} ({m.confidence})"
        for t in out_of_scope
        if (m := u.recognize(t)).intent is not None
    ]
    rejection = 1 - len(accepted) / len(out_of_scope) if out_of_scope else 1.0

    crisis = [text for intent, text, _ in items if intent == "crisis"]
    missed_crisis = [
        t for t in crisis if not (u.is_crisis(t) and u.recognize(t).intent == "crisis")
    ]
    recall = 1 - len(missed_crisis) / len(crisis) if crisis else 1.0

    print(f"\nparaphrases: {len(items)} phrases, intent accuracy {accuracy:.1%}")
    print("\n".join(misses))
    print(f"out of scope: {len(out_of_scope)} phrases, rejected {rejection:.1%}")
    print("\n".join(accepted))
    print(f"crisis: {len(crisis)} phrases, recall {recall:.1%} {missed_crisis}")
    assert crisis and out_of_scope, "paraphrases.yaml must hold crisis and out_of_scope phrases"
    assert recall == 1.0, f"crisis phrases missed: {missed_crisis}"
    assert accuracy >= 0.95, "\n".join(misses)
    assert rejection >= 0.90, "\n".join(accepted)
