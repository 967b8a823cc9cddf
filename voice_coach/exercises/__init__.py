"""The SMART Recovery exercises, one module per tool, collected into one registry.

Each module defines `EXERCISES`, a tuple of `Exercise`s whose names are the
intents that start them. Modules are found by looking: a new exercise is its
own module (plus its sentences in `intents/`), with no list to add it to.
`_ORDER` only fixes the order in which "what can you do?" names them.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from voice_coach.exercises.script import Exercise

_ORDER = (
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
    for module_name in _module_names():
        module = importlib.import_module(f"{__name__}.{module_name}")
        for exercise in getattr(module, "EXERCISES", ()):
            if exercise.name in found:
                raise ValueError(f"two exercises are named {exercise.name!r} ({module_name})")
            found[exercise.name] = exercise
    return found


def _module_names() -> list[str]:
    """The modules of this package: `_ORDER` first, then any other, by name."""
    present = sorted(info.name for info in pkgutil.iter_modules(__path__))
    return [*(n for n in _ORDER if n in present), *(n for n in present if n not in _ORDER)]
