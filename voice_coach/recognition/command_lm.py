"""Command LMs: a trigram of template sentences, plus everyday words, as ARPA text.

The top level's counts come from its compiled graph (`graph_lm.py`), never
from a list; a listed set of sentences is counted here (`sentence_counts`).

At the top level every intent is allowed, which expands to ~16,000 sentences:
too many for a JSGF grammar (seconds to build, RTF 5-40), so PocketSphinx
decodes with an n-gram LM built from them. Built from the sentences alone,
that LM knows only the coach's ~1,000 words and forces any speech onto them
("play some music" → "plan some motivation"), which then fuzzy-matches an
intent. So a unigram of the 3,000 most frequent English words
(`common_words.WORDS`, Zipf-weighted) gets GARBAGE_SHARE of the unigram mass:
out-of-scope speech decodes onto words no template uses, and the
understanding layer's unknown-word penalty leaves it alone. In-domain phrases
keep their trigram paths, which cost far less than backing off to unigrams.

This replaces the second, open-vocabulary decode at the top level, which
roughly doubled decoding time (the "domain" section of `python -m benchmarks`
reports the real-time factor per engine and mode).

The ARPA text is cached on disk (`cache_dir/grammars/<sha1>.arpa`, keyed by
a hash of the sentences and the parameters), so only the first start after a
template change pays the build time.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import tempfile
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

from voice_coach.first_use import SPEECH, preparing
from voice_coach.paths import write_private
from voice_coach.recognition.common_words import WORDS

log = logging.getLogger(__name__)

GARBAGE_SHARE = 0.15
"""Share of the unigram probability mass given to the everyday words."""
DISCOUNT = 0.5
"""Mass each n-gram order keeps back for backing off (fixed-discount back-off)."""
VERSION = "1"
"""Bump when the construction changes, so cached files are rebuilt."""


Counts = tuple[
    dict[str, int | float],
    dict[tuple[str, str], int | float],
    dict[tuple[str, str, str], int | float],
]
"""Unigram, bigram and trigram counts, `<s>` and `</s>` included (ints when exact)."""


def sentence_counts(sentences: Sequence[str]) -> Counts:
    """The n-gram counts of a list of sentences, each counted once."""
    uni: dict[str, int | float] = defaultdict(int)
    bi: dict[tuple[str, str], int | float] = defaultdict(int)
    tri: dict[tuple[str, str, str], int | float] = defaultdict(int)
    for sentence in sentences:
        words = ["<s>", *sentence.split(), "</s>"]
        for i, w in enumerate(words):
            uni[w] += 1
            if i + 1 < len(words):
                bi[(w, words[i + 1])] += 1
            if i + 2 < len(words):
                tri[(w, words[i + 1], words[i + 2])] += 1
    return dict(uni), dict(bi), dict(tri)


def arpa_text(sentences: Sequence[str], known: Callable[[str], bool]) -> str:
    """The ARPA LM for `sentences`; `known` says which everyday words can be pronounced."""
    return arpa_from_counts(sentence_counts(sentences), known)


def arpa_from_counts(counts: Counts, known: Callable[[str], bool]) -> str:
    """The ARPA LM of these counts plus the everyday words; a normalised back-off model.

    Each order keeps 1 - DISCOUNT of every seen n-gram's relative frequency and
    gives DISCOUNT to the order below, renormalised over the words not seen
    after that context (Katz's back-off weights with a fixed discount ratio).
    The counts are counts of template sentences, not of observed speech, so the
    count-of-counts that Good-Turing or absolute discounting estimate from
    would say nothing about unseen speech: a fixed share is the honest choice.
    """
    found, bi, tri = counts
    uni: dict[str, float] = {w: float(c) for w, c in found.items()}
    domain_total = sum(uni.values())
    extra = [w for w in WORDS if w not in uni and known(w)]
    zipf = [1.0 / (rank + 10) for rank in range(len(extra))]
    scale = GARBAGE_SHARE / (1 - GARBAGE_SHARE) * domain_total / (sum(zipf) or 1.0)
    for word, weight in zip(extra, zipf, strict=True):
        uni[word] = weight * scale
    total = sum(uni.values())
    keep = 1 - DISCOUNT
    p1 = {w: c * keep / total for w, c in uni.items()}
    p1["<s>"] = p1.get("<s>", 1e-99)
    followers: dict[str, float] = defaultdict(float)
    for a, b in bi:
        followers[a] += p1[b]
    # Exact integer counts may pass 1e300: divide them as integers (exactly rounded).
    p2 = {(a, b): c / found[a] * keep for (a, b), c in bi.items()}
    followers2: dict[tuple[str, str], float] = defaultdict(float)
    for a, b, c3 in tri:
        followers2[(a, b)] += p2[(b, c3)]
    lines = ["\\data\\", f"ngram 1={len(p1)}", f"ngram 2={len(p2)}", f"ngram 3={len(tri)}", ""]
    lines.append("\\1-grams:")
    for w in sorted(p1):
        alpha = DISCOUNT / max(1e-9, 1.0 - followers.get(w, 0.0))
        prob = -99.0 if w == "<s>" else math.log10(p1[w])
        lines.append(f"{prob:.4f} {w} {math.log10(alpha):.4f}")
    lines += ["", "\\2-grams:"]
    for a, b in sorted(p2):
        alpha = DISCOUNT / max(1e-9, 1.0 - followers2.get((a, b), 0.0))
        lines.append(f"{math.log10(p2[(a, b)]):.4f} {a} {b} {math.log10(alpha):.4f}")
    lines += ["", "\\3-grams:"]
    for a, b, c3 in sorted(tri):
        prob = tri[(a, b, c3)] / bi[(a, b)] * keep
        lines.append(f"{math.log10(prob):.4f} {a} {b} {c3}")
    lines += ["", "\\end\\", ""]
    return "\n".join(lines)


def lm_file(
    sentences: Sequence[str], known: Callable[[str], bool], cache_dir: Path | None
) -> tuple[Path, bool]:
    """(path of the ARPA file of `sentences`, temporary): see `cached_lm`."""
    key = "\n".join(sentences)
    return cached_lm(key, lambda: arpa_text(sentences, known), cache_dir)


def cached_lm(key: str, build: Callable[[], str], cache_dir: Path | None) -> tuple[Path, bool]:
    """(path of the ARPA file, temporary): from the disk cache when there, else `build()`.

    `key` names what the LM is made from (the sentences, a graph's hash); the
    construction's parameters are added to it. A temporary file (no cache
    folder, or it cannot be written) is for the caller to delete once the
    decoder has loaded it.
    """
    digest = hashlib.sha1(
        f"{VERSION}|{GARBAGE_SHARE}|{DISCOUNT}|{len(WORDS)}\n".encode() + key.encode()
    ).hexdigest()
    if cache_dir is not None:
        cached = cache_dir / "grammars" / f"{digest}.arpa"
        if cached.is_file():
            return cached, False
        preparing(SPEECH)
    text = build()
    if cache_dir is not None:
        try:
            return write_private(cache_dir / "grammars" / f"{digest}.arpa", text), False
        except OSError as exc:
            log.info(
                "Cannot cache the command LM in %s (%s); building it each start",
                cache_dir,
                exc.strerror or exc,
            )
    fd, path = tempfile.mkstemp(suffix=".arpa")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    return Path(path), True
