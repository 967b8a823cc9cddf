"""The PocketSphinx model the wheel ships: loading a decoder, pronouncing words it
lacks, and the confidence of what it decoded. Used by `pocketsphinx_engine`.

Words missing from the pronunciation dictionary (CMUdict, ~134,000 words) get
a pronunciation from simple rules when possible (a plural or "-al" form of a
known word, "deads" = "dead" + Z; an acronym spelled out letter by letter). A
full grapheme-to-phoneme model is not shipped with the wheel, and a wrong
pronunciation is worse than none.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from voice_coach.errors import ModelError
from voice_coach.recognition.wavfile import RATE

_TOKEN = re.compile(r"^[a-z][a-z']*$")
_SUFFIXES = (("'s", "Z"), ("es", "IH Z"), ("s", "Z"), ("al", "AH L"))


def word_confidence(decoder: Any, text: str) -> float:
    """The mean posterior probability of the words just decoded (0.0 for no words).

    PocketSphinx computes each word's posterior from the utterance's lattice; the
    mean is the same measure Vosk reports per word, so both engines' transcripts
    carry a comparable confidence instead of a constant.
    """
    if not text:
        return 0.0
    posteriors = [
        min(1.0, max(0.0, float(seg.prob)))
        for seg in decoder.seg()
        if seg.word and seg.word[0] not in "<[+"
    ]
    return round(sum(posteriors) / len(posteriors), 3) if posteriors else 0.0


def load_decoder(
    model_dir: Path | None, open_lm: bool = True, small: bool = False, **options: Any
) -> Any:
    """A decoder; with `open_lm` it also loads the 130,000-word LM (most of its memory:
    `python -m benchmarks --pi`, memory breakdown, "PocketSphinx decoders").

    `small`: start from a one-word dictionary instead of CMUdict; the caller adds
    the words its grammars use (`copy_words`). CMUdict costs ~21 MB per decoder,
    and every n-gram search on a decoder allocates per dictionary word, so the
    grammar and check decoders are a fraction of the size this way.
    """
    from pocketsphinx import Decoder, get_model_path

    base = Path(model_dir) if model_dir else Path(get_model_path("en-us"))
    tiny = None
    if small:
        # PocketSphinx refuses an empty dictionary; "a AH" is CMUdict's own first entry.
        fd, tiny = tempfile.mkstemp(suffix=".dict")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write("a AH\n")
    try:
        return Decoder(
            samprate=RATE,
            loglevel="FATAL",
            hmm=str(base / "en-us"),
            dict=tiny or str(base / "cmudict-en-us.dict"),
            lm=str(base / "en-us.lm.bin") if open_lm else None,
            **options,
        )
    except (RuntimeError, ValueError) as exc:
        raise ModelError(
            f"The PocketSphinx model in {base} cannot be loaded ({exc}); "
            "reinstall it with `pip install --force-reinstall pocketsphinx`."
        ) from None
    finally:
        if tiny is not None:
            os.unlink(tiny)


def copy_words(words: Iterable[str], source: Any, target: Any) -> int:
    """Give `target` every pronunciation `source` has for `words` ("the", "the(2)", ...);
    words `target` already knows, or `source` does not, are left alone.

    The pronunciations and their alternatives are exactly CMUdict's, so a small
    decoder decodes its grammars as one loaded with the whole dictionary would.
    Returns how many entries were added.
    """
    entries: list[tuple[str, str]] = []
    for word in dict.fromkeys(words):
        name, alternative = word, 1
        while phones := source.lookup_word(name):
            if not target.lookup_word(name):
                entries.append((name, str(phones)))
            alternative += 1
            name = f"{word}({alternative})"
    for index, (word, phones) in enumerate(entries):
        target.add_word(word, phones, index == len(entries) - 1)
    return len(entries)


def pronounce(word: str, lookup: Callable[[str], str | None]) -> str | None:
    """The word's phones: from the dictionary (`lookup`), else from the rules above, else None."""
    if not _TOKEN.match(word):
        return None
    phones = lookup(word)
    if phones:
        return phones
    for suffix, extra in _SUFFIXES:
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) > 2:
            base = lookup(stem)
            if base:
                return f"{base} {extra}"
    if len(word) <= 5 and not re.search(r"[aeiouy]", word):
        letters = [lookup(c) for c in word]
        if all(letters):
            return " ".join(str(x) for x in letters)
    return None
