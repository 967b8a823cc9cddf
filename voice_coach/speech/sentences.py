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
