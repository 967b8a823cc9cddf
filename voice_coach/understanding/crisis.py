"""The crisis safety net: self-harm language found anywhere in what was said.

Fuzzy matching compares whole sentences, so "honestly I've been thinking about
killing myself lately, it's been a rough month" can score low against every
crisis template. These patterns (regular expressions kept as data in
`intents/en/crisis.yaml`) are searched in the WHOLE normalised text, however
long, so a crisis is never missed because it was said in passing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

from voice_coach.errors import IntentsError
from voice_coach.understanding.normalize import match_key, normalize

log = logging.getLogger(__name__)


class CrisisPatterns:
    """Compiled crisis patterns; `found(text)` says whether any of them occurs."""

    def __init__(self, patterns: Iterable[str]) -> None:
        sources = tuple(patterns)
        if not sources:
            raise IntentsError(
                "The crisis intent has no 'patterns:'; the safety net needs them. "
                "Restore intents/en/crisis.yaml."
            )
        # One alternation: a single linear pass over the text, however long.
        self._regex = re.compile("|".join(f"(?:{p})" for p in sources))
        self.count = len(sources)

    def found(self, text: str) -> bool:
        """True when self-harm language occurs anywhere in `text`."""
        if not text:
            return False
        plain = normalize(text)
        if self._regex.search(plain):
            return True
        # Fillers can split a phrase ("I want to, like, die"); try without them.
        return bool(self._regex.search(match_key(text)))
