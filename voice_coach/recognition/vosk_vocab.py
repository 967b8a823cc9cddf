"""The words a Vosk model knows, so grammars never name a word it lacks.

Big models ship `graph/words.txt`; small "lookahead" models (including the
default vosk-model-small-en-us-0.15) keep their word list only as the symbol
table inside `graph/Gr.fst`, an OpenFst binary file. Reading that header is
cheap (the table comes first) and needs no Kaldi.
"""

from __future__ import annotations

import logging
import struct
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

log = logging.getLogger(__name__)

_FST_MAGIC = 2125659606
_SYMBOLS_MAGIC = 2125658996
_HAS_ISYMBOLS = 1
_HAS_OSYMBOLS = 2


@lru_cache(maxsize=4)
def vocabulary(model_dir: Path) -> frozenset[str] | None:
    """The model's words, or None when no word list can be found (then nothing is filtered)."""
    words_txt = model_dir / "graph" / "words.txt"
    try:
        if words_txt.is_file():
            with words_txt.open(encoding="utf-8") as f:
                return frozenset(line.split(maxsplit=1)[0] for line in f if line.strip())
        gr = model_dir / "graph" / "Gr.fst"
        if gr.is_file():
            with gr.open("rb") as f:
                return read_fst_symbols(f)
    except (OSError, ValueError, UnicodeDecodeError, struct.error) as exc:
        log.warning(
            "Cannot read the word list of %s (%s); grammar words are not checked", model_dir, exc
        )
    return None


def read_fst_symbols(f: BinaryIO) -> frozenset[str] | None:
    """The first symbol table embedded in an OpenFst binary file, or None if it has none."""

    def i32() -> int:
        return int(struct.unpack("<i", f.read(4))[0])

    def i64() -> int:
        return int(struct.unpack("<q", f.read(8))[0])

    def string() -> str:
        return f.read(i32()).decode("utf-8")

    if i32() != _FST_MAGIC:
        raise ValueError("not an OpenFst file")
    string()  # FST type
    string()  # arc type
    i32()  # version
    flags = i32()
    for _ in range(4):  # properties, start state, number of states, number of arcs
        i64()
    if not flags & (_HAS_ISYMBOLS | _HAS_OSYMBOLS):
        return None
    if i32() != _SYMBOLS_MAGIC:
        raise ValueError("damaged symbol table")
    string()  # table name
    i64()  # available key
    size = i64()
    words = set()
    for _ in range(size):
        words.add(string())
        i64()
    return frozenset(words)
