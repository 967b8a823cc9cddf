"""The wake phrase, and a request said in the same breath ("hey coach, I'm having an urge").

People do not pause after a wake phrase the way a device expects: the
request often follows at once. So the wake-phrase listener hears the whole
utterance with the top-level grammar (wake phrase included), and this splits
it: was the wake phrase said, and what came after it? Words before the wake
phrase are ignored (the television, the end of another sentence); a few
filler words after it ("hey coach, um") are not a request.
"""

from __future__ import annotations

import re

FILLERS = frozenset({"um", "uh", "er", "erm", "so", "okay", "ok", "please", "there", "and"})
"""Words that, alone after the wake phrase, are no request: the coach asks instead."""


def _words(text: str) -> list[str]:
    return re.sub(r"[^\w' ]+", " ", text.lower()).split()


def split_wake(text: str, wake_phrase: str) -> tuple[bool, str]:
    """(the wake phrase was said, the request after it or "")."""
    words, wake = _words(text), _words(wake_phrase)
    if not wake:
        return False, ""
    for start in range(len(words) - len(wake) + 1):
        if words[start : start + len(wake)] == wake:
            rest = words[start + len(wake) :]
            if all(w in FILLERS for w in rest):
                return True, ""
            return True, " ".join(rest)
    return False, ""
