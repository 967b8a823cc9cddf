"""The SMART Recovery exercises, one module per tool, collected into one registry.

Each module defines `EXERCISES`, a tuple of `Exercise`s whose names are the
intents that start them.
"""

from __future__ import annotations

import importlib
from functools import lru_cache

from voice_coach.exercises.script import Exercise

_MODULES = (
    "urges",
    "surfing",
    "deads",
    "disarm",
    "breathing",
    "motivation",
    "thoughts",
    "reflection",
    "check_in",
    "progress",
    "relapse",
    "balance",
    "self_acceptance",
)


@lru_cache(maxsize=1)
def registry() -> dict[str, Exercise]:
    """Every exercise by the name of the intent that starts it."""
    found: dict[str, Exercise] = {}
    for module_name in _MODULES:
        module = importlib.import_module(f"{__name__}.{module_name}")
        for exercise in module.EXERCISES:
            found[exercise.name] = exercise
    return found
