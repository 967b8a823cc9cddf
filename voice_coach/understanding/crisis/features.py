"""Plain text → the hashed features the learned second opinion reads (`learned.py`).

Three views of the same words, each hashed into one fixed-size space
(`DIMENSIONS`) with CRC-32, which is the same on every machine and every run
(Python's own `hash` is salted per process):

* word 1–3-grams ("took those bars");
* character 3–5-grams inside word boundaries, so typos and dictation slips
  ("wnat", "overdosin") share most of their features with the real word;
* the same word n-grams with each word of a crisis-rule word list replaced by
  the list's name ("took those {pill}", "{person} is not breathing"): what
  one example teaches about "xanax" then carries over to every drug the
  clinicians listed, which is what lets a few hundred examples generalise.

Words in the scope of a denial ("not", "never", "no", "nor", "stopped",
"quit") are marked ("i am not going to ~hurt ~myself") in all three views,
up to `NEGATION_SCOPE` words or the next clause ("but", "and", "so", "i",
...): without the mark, "I'm not going to hurt myself" shares every feature
of "hurt myself", and the model asked about a sixth of the denials it saw.
The mark lets it learn that a denied "kill myself" is not the same thing,
while "do not ~want to ~live" keeps its own, learned, meaning.

Each utterance's vector is scaled to unit length, so long answers do not
outweigh short ones.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt

DIMENSIONS = 1 << 18
"""Size of the hashed feature space (collisions are rare at a few thousand examples)."""

CHAR_NGRAMS = (3, 4, 5)
WORD_NGRAMS = (1, 2, 3)

NEGATION_SCOPE = 6
"""Words after a denial that are marked as denied (unless a new clause starts sooner)."""
DENIALS = frozenset({"not", "never", "no", "nor", "stopped", "quit"})
CLAUSE_STARTS = frozenset(
    {"but", "because", "though", "although", "however", "yet", "except", "so", ",", "and",
     "i", "then"}
)
DENIED = "~"

_PLAIN_WORD = re.compile(r"^[a-z]+(?: [a-z]+)*$")


def mark_denied(words: list[str]) -> list[str]:
    """`words` with those in a denial's scope prefixed by `DENIED` ("not ~hurt ~myself")."""
    out: list[str] = []
    left = 0
    for word in words:
        if word in CLAUSE_STARTS:
            left = 0
        if word in DENIALS:
            out.append(word)
            left = NEGATION_SCOPE
        elif left > 0:
            out.append(DENIED + word)
            left -= 1
        else:
            out.append(word)
    return out


def word_classes(words: Mapping[str, str]) -> dict[str, str]:
    """Each plain single word of the rules' word lists → "{list name}" (first list wins).

    Only alternatives that are ordinary words count ("xanax", not "seeing (things|...)"),
    so the mapping is exactly what a reader of `rules.yaml` would expect.
    """
    classes: dict[str, str] = {}
    for name, alternatives in words.items():
        for alternative in str(alternatives).split("|"):
            word = alternative.strip()
            if _PLAIN_WORD.match(word) and " " not in word and len(word) > 1:
                classes.setdefault(word, "{" + name + "}")
    return classes


def features(plain: str, classes: Mapping[str, str]) -> npt.NDArray[np.int64]:
    """The distinct feature indices of `plain` (lower-case words), sorted."""
    words = mark_denied(plain.split())
    if not words:
        return np.zeros(0, dtype=np.int64)
    grams: list[str] = []
    abstract = [_abstract(w, classes) for w in words]
    for prefix, seq in (("w", words), ("c", abstract)):
        for n in WORD_NGRAMS:
            for i in range(len(seq) - n + 1):
                gram = " ".join(seq[i : i + n])
                if prefix == "c" and "{" not in gram:
                    continue  # the same as the word n-gram
                grams.append(f"{prefix}{n}:{gram}")
    padded = f" {' '.join(words)} "
    for n in CHAR_NGRAMS:
        grams.extend(f"h:{padded[i : i + n]}" for i in range(len(padded) - n + 1))
    hashed = {zlib.crc32(g.encode()) % DIMENSIONS for g in grams}
    return np.fromiter(sorted(hashed), dtype=np.int64, count=len(hashed))


def _abstract(word: str, classes: Mapping[str, str]) -> str:
    """The word's list name, keeping the denial mark ("~pills" -> "~{pill}")."""
    if word.startswith(DENIED):
        return DENIED + classes.get(word[1:], word[1:])
    return classes.get(word, word)
