"""Split text into sentences, so the first one can play while the next is synthesised."""

from __future__ import annotations

import re

_BOUNDARY = re.compile(r"(?<=[.!?…])[\"'”’)]*\s+")
_ABBREVIATIONS = ("dr.", "mr.", "mrs.", "ms.", "st.", "e.g.", "i.e.", "vs.", "etc.", "no.")
MIN_WORDS = 3
"""Shorter pieces ("Okay.") join the next sentence: one tiny chunk gains nothing."""


def split_sentences(text: str) -> list[str]:
    """Sentences in order, whitespace normalised; "" gives []."""
    text = " ".join(text.split())
    if not text:
        return []
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        candidate = text[start : match.start()].rstrip()
        last_word = candidate.rsplit(" ", 1)[-1].lower()
        if last_word in _ABBREVIATIONS:
            continue
        pieces.append(text[start : match.end()].strip())
        start = match.end()
    pieces.append(text[start:].strip())
    merged: list[str] = []
    carry = ""
    for piece in pieces:
        joined = f"{carry} {piece}".strip()
        if len(joined.split()) < MIN_WORDS:
            carry = joined
            continue
        merged.append(joined)
        carry = ""
    if carry:
        if merged:
            merged[-1] = f"{merged[-1]} {carry}"
        else:
            merged.append(carry)
    return [m for m in merged if m]


_CLAUSE = re.compile(r"(?<=[,;:—–])\s+|\s+(?=[—–]\s)")
CLAUSE_MIN_WORDS = 4
"""A clause is rendered on its own only when it and the rest of the sentence are this long."""
LONG_SENTENCE_WORDS = 9
"""Shorter sentences are rendered whole: splitting them gains little and costs a pause."""


def split_clauses(sentence: str) -> list[str]:
    """A long sentence cut at its commas, semicolons and dashes, in order.

    "On a scale from zero to ten, how strong is the urge right now?" becomes
    two pieces, so the first can play while the second is synthesised. Pieces
    shorter than `CLAUSE_MIN_WORDS` stay joined to their neighbour ("Sam, ..."),
    and a sentence shorter than `LONG_SENTENCE_WORDS` is returned whole.
    """
    sentence = " ".join(sentence.split())
    if len(sentence.split()) < LONG_SENTENCE_WORDS:
        return [sentence] if sentence else []
    pieces = [p.strip() for p in _CLAUSE.split(sentence) if p.strip()]
    merged: list[str] = []
    for piece in pieces:
        if merged and len(merged[-1].split()) < CLAUSE_MIN_WORDS:
            merged[-1] = f"{merged[-1]} {piece}"
        else:
            merged.append(piece)
    if len(merged) > 1 and len(merged[-1].split()) < CLAUSE_MIN_WORDS:
        last = merged.pop()
        merged[-1] = f"{merged[-1]} {last}"
    return merged
