"""Small shared helpers for speaking: the behaviour's name, numbers, lists and answers.

Every exercise speaks to one person about one behaviour, so naming it ("drinking",
"gambling"), saying numbers as words and reading answers back must sound the same
everywhere. Answers arrive from `yield` as `int | bool | str | None`; the `as_*`
helpers narrow them so exercises never trip over a skipped question.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from voice_coach.exercises.script import Answer
from voice_coach.number_words import count, spoken_number
from voice_coach.understanding.readback import read_back

__all__ = [
    "CONFIDENCE_SCALE", "IMPORTANCE_SCALE", "MOOD_SCALE", "SATISFACTION_SCALE", "SLEEP_SCALE",
    "URGE_SCALE", "as_number", "as_text", "as_yes", "behaviour", "count", "join_words", "said",
    "sentence_start", "spoken_number", "strip_lead",
]

_BEHAVIOURS = {
    "alcohol": "drinking",
    "drugs": "using",
    "smoking": "smoking",
    "gambling": "gambling",
    "other": "using",
}

def behaviour(focus: str) -> str:
    """The behaviour as a spoken gerund: "alcohol" → "drinking", unknown → "using"."""
    return _BEHAVIOURS.get(focus.strip().lower(), "using")


def join_words(items: Sequence[str]) -> str:
    """["a", "b", "c"] → "a, b and c": how a list sounds when spoken."""
    parts = [item for item in items if item]
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def as_number(answer: Answer) -> int | None:
    """A 0–10 rating, or None when skipped (a bool is a yes/no, never a rating)."""
    if isinstance(answer, bool) or not isinstance(answer, int):
        return None
    return answer


def as_yes(answer: Answer) -> bool | None:
    """True or False for a yes/no answer, None when skipped."""
    return answer if isinstance(answer, bool) else None


def as_text(answer: Answer) -> str | None:
    """Free text with surrounding space and end punctuation removed; None when skipped.

    Optional questions send "" for "skip" or "nothing"; that is treated as skipped too.
    """
    if not isinstance(answer, str):
        return None
    text = answer.strip().rstrip(".!?,;: ").strip()
    return text or None


def strip_lead(text: str, leads: Iterable[str]) -> str:
    """Drop a lead-in the person repeated from the question ("I'm grateful for ...")."""
    lowered = text.lower()
    for lead in sorted(leads, key=len, reverse=True):
        if lowered.startswith(lead + " "):
            rest = text[len(lead):].strip()
            if rest:
                return rest
    return text


def sentence_start(text: str) -> str:
    """Capitalise the first letter only (speech-to-text gives lower case)."""
    return text[:1].upper() + text[1:]


def said(answer: Answer | str | None) -> str | None:
    """The answer as it is read back: trimmed, turned to the second person; None when
    skipped or when it means "nothing" ("I don't know", "no idea", "bye").

    The journal keeps the words as said; this is only what the coach speaks
    (see `voice_coach.understanding.readback`).
    """
    return read_back(answer)


URGE_SCALE = ("no urge at all", "the strongest urge you can imagine")
MOOD_SCALE = ("the lowest you can feel", "the best you can feel")
SLEEP_SCALE = ("no sleep at all", "the best sleep you can remember")
SATISFACTION_SCALE = ("not at all satisfied", "completely satisfied")
IMPORTANCE_SCALE = ("not important at all", "the most important thing there is")
CONFIDENCE_SCALE = ("not at all confident", "completely sure you can")
