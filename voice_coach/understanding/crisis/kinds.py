"""The kinds of crisis the coach tells apart, each answered differently."""

from __future__ import annotations

from enum import StrEnum


class CrisisKind(StrEnum):
    """What an utterance shows; the order of the rules file decides ties."""

    OVERDOSE = "overdose"
    """Overdose or medical emergency (the person or someone with them): emergency number first."""
    SUICIDAL = "suicidal"
    """Wanting to die, a plan, the means, preparations, goodbyes."""
    SELF_HARM = "self_harm"
    """Hurting oneself on purpose."""
    DISTRESS = "distress"
    """Hopelessness, being a burden, feeling trapped: the coach asks directly about safety."""
    NONE = "none"
    """Nothing that needs a safety answer (urge talk and figures of speech included)."""

    @property
    def is_crisis(self) -> bool:
        """True for the kinds that get the crisis answer at once (not distress or none)."""
        return self in CRISIS_KINDS


CRISIS_KINDS = frozenset({CrisisKind.OVERDOSE, CrisisKind.SUICIDAL, CrisisKind.SELF_HARM})
"""Kinds answered with crisis resources straight away."""
