"""Decide whether a closed-grammar result is what was said, or speech the grammar forced.

A grammar maps any speech onto its nearest sentence ("play some music" →
"what can you do"). So command mode decodes every utterance twice, in
parallel: once with the grammar and once with the open-vocabulary model. When
the two transcripts sound alike, the grammar result stands; when they differ,
the grammar was probably forcing, and the open transcript (our best guess of
what was really said) goes to the understanding layer instead, which then
finds no intent for out-of-scope speech.

Chosen on Piper and espeak-ng voices (the "domain" section of `python -m benchmarks`
measures the out-of-scope false accepts and accuracy this gives): the open
model is unreliable on one-word answers ("ten" → "and", "skip" → "yep"), so
the check applies only when either transcript has three or more words; short
answers are judged by the grammar alone (the per-state grammars for numbers
and yes/no are small, so forcing hurts little there), and a short answer the
grammar could not complete gives "" (the coach asks again) rather than the
open model's guess, unless that guess is itself one of the grammar's sentences. Similarity is
rapidfuzz's normalised Indel ratio of the two strings: in-grammar phrases
scored 0.39-1.0 (most above 0.55), speech forced into a grammar 0.12-0.47.
The ranges overlap, so the threshold leans towards rejecting: a rejected
result is not lost, its open transcript still goes to the fuzzy matcher.
Word-level similarity separated the two groups worse (in-grammar pairs such
as "slower please" / "i'm pleased" share no word).

PocketSphinx now runs the check with an LM of the state's own sentences plus
3,000 everyday words instead of the full open LM (a third of the CPU); the
thresholds above were measured with the full LM and not re-tuned.
"""

from __future__ import annotations

from collections.abc import Collection, Container
from dataclasses import dataclass

from rapidfuzz import fuzz

MIN_WORDS = 3
"""Apply the open-vocabulary check only to utterances with at least this many words."""
THRESHOLD = 0.5
"""Similarity (0-1) below which a grammar result is rejected."""
ACCEPTED = 0.6
"""Accepted results have confidence >= this; rejected ones stay below 0.5."""


@dataclass(frozen=True)
class Verdict:
    """The judged result of one command-mode utterance."""

    text: str
    """The grammar sentence if accepted, else the open-vocabulary transcript."""
    confidence: float
    """In [0, 1]: >= ACCEPTED when accepted, < 0.5 when rejected."""
    accepted: bool
    alternative: str
    """The other transcript (open when accepted, grammar when rejected), for logs."""


def judge(
    grammar_text: str,
    free_text: str,
    sentences: Container[str] | None,
    engine_confidence: float = 1.0,
    never_reject: Collection[str] = (),
) -> Verdict:
    """Combine the engine's own confidence with the agreement of the two decodes.

    `sentences` is None for an open grammar (an n-gram LM) whose results need
    not be whole sentences; else a result outside it was cut short and is rejected.
    """
    grammar_text = " ".join(grammar_text.split())
    free_text = " ".join(free_text.split())
    similarity = fuzz.ratio(grammar_text, free_text) / 100.0
    complete = bool(grammar_text) and (sentences is None or grammar_text in sentences)
    checked = max(len(grammar_text.split()), len(free_text.split())) >= MIN_WORDS
    if grammar_text and grammar_text in never_reject:
        accepted = True
    else:
        accepted = complete and (not checked or similarity >= THRESHOLD)
    agreement = similarity if checked else max(similarity, 0.5)
    if accepted:
        confidence = ACCEPTED + (1.0 - ACCEPTED) * agreement * engine_confidence
        return Verdict(grammar_text, round(confidence, 3), True, free_text)
    if not checked and not (sentences is not None and free_text in sentences):
        # A short answer the grammar could not complete: the open model is too weak on
        # one or two words to stand in for it ("seven" heard during a yes/no question),
        # unless it heard a sentence of this very grammar ("seven out" → "seven").
        return Verdict("", 0.0, False, grammar_text)
    return Verdict(free_text, round(0.49 * similarity, 3), False, grammar_text)
