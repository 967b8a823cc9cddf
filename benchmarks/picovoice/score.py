"""The benchmark's scoring rule, and the names our template format gives its intent and slots."""

from __future__ import annotations

from collections.abc import Mapping

INTENT_NAMES = {"order_drink": "orderDrink"}
"""Our loader needs snake_case names; the labels use the benchmark's camelCase."""
SLOT_NAMES = {
    "coffee_drink": "coffeeDrink",
    "size": "size",
    "roast": "roast",
    "number_of_shots": "numberOfShots",
    "milk_amount": "milkAmount",
    "sugar_amount": "sugarAmount",
}


def to_benchmark(
    intent: str | None, slots: Mapping[str, int | str]
) -> tuple[str | None, dict[str, str]]:
    """Our intent match in the benchmark's names (unknown names pass through)."""
    if intent is None:
        return None, {}
    return INTENT_NAMES.get(intent, intent), {
        SLOT_NAMES.get(k, k): str(v) for k, v in slots.items()
    }


def is_correct(
    expected_intent: str,
    expected_slots: Mapping[str, str],
    intent: str | None,
    slots: Mapping[str, str],
) -> bool:
    """Right intent and every labelled slot with exactly its value; extra slots are fine.

    `intent` None ("not understood") is always an error. Values are compared
    after stripping surrounding spaces, as some labels carry a leading one.
    """
    if intent is None or intent != expected_intent:
        return False
    return all(
        name in slots and str(slots[name]).strip() == str(value).strip()
        for name, value in expected_slots.items()
    )
