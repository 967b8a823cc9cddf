"""The matcher's index, built once and kept on disk keyed by the templates' own hash.

Expanding every template and normalising its sentences (~29,000 keys) is most of
what starting the coach costs (`python -m benchmarks --only startup` measures it,
with the index cached and rebuilt). The built
index depends only on the template files and the matcher's code, so it is stored
as JSON under the coach's cache folder (`cache/understanding/`, 0600 files in
0700 folders, as every file the coach writes) and rebuilt when either changes.
Nothing personal is in it; a damaged or unreadable file is simply rebuilt.

The matcher's index holds a bounded set of sentences (`match_set.py`). The
full expanded list is only for a speech recognizer that builds its grammar
from sentences (`SentenceSource.sentences`); it is cached beside the index
in its own file (`sentences-*.json`), read and, when missing, built only when
a recognizer asks — so text mode never pays for it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from voice_coach.first_use import SPEECH, UNDERSTANDING, preparing
from voice_coach.paths import write_private
from voice_coach.understanding.intents import Intents
from voice_coach.understanding.matcher import Matcher
from voice_coach.understanding.normalize import normalize

Sentences = dict[str, tuple[str, ...]]
"""Per intent, its normalised sentences (fillers kept): what speech recognizers may hear."""

log = logging.getLogger(__name__)

FOLDER = "understanding"
"""Under `Paths.cache_dir`."""


def templates_hash(folder: Path, threshold: float) -> str:
    """SHA-256 of every template file (name and bytes), the threshold and the index format."""
    digest = hashlib.sha256(f"format {Matcher.STATE_FORMAT} threshold {threshold}\n".encode())
    for path in sorted(Path(folder).glob("*.yaml")):
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def load_matcher(folder: Path, threshold: float, cache_dir: Path | None) -> Matcher:
    """The matcher for the templates in `folder`: from the cache when it is current."""
    if cache_dir is None:
        return Matcher(Intents.from_files(folder), threshold)
    key = templates_hash(folder, threshold)
    path = cache_dir / FOLDER / f"matcher-{key[:32]}.json"
    try:
        with path.open(encoding="utf-8") as file:
            return Matcher.from_state(json.load(file))
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.info("rebuilding the matcher index (%s: %s)", path.name, exc)
    preparing(UNDERSTANDING)
    matcher = Matcher(Intents.from_files(folder), threshold)
    try:
        _write(path, matcher)
    except OSError as exc:  # a read-only or full disk costs time, never the start
        log.info("could not cache the matcher index in %s: %s", path.parent, exc)
    return matcher


def grammar_sentences(intents: Intents, names: Iterable[str] | None = None) -> Sentences:
    """Every expanded sentence per intent (of `names`, all for None), normalised, duplicates
    and empty ones dropped."""
    wanted = list(intents.intents) if names is None else [n for n in names if n in intents.intents]
    result: dict[str, dict[str, None]] = {name: {} for name in wanted}
    for name in wanted:
        for sentence in intents.sentences_of(name):
            plain = normalize(sentence.text)
            if plain:
                result[name][plain] = None
    return {name: tuple(texts) for name, texts in result.items()}


def load_sentences(folder: Path, threshold: float, cache_dir: Path | None) -> Sentences:
    """`grammar_sentences` of the templates in `folder`: from the cache when it is current."""
    if cache_dir is None:
        return grammar_sentences(Intents.from_files(folder))
    key = templates_hash(folder, threshold)
    path = cache_dir / FOLDER / f"sentences-{key[:32]}.json"
    try:
        with path.open(encoding="utf-8") as file:
            data = json.load(file)
        return {str(name): tuple(map(str, texts)) for name, texts in data.items()}
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        log.info("rebuilding the sentence list (%s: %s)", path.name, exc)
    preparing(SPEECH)
    sentences = grammar_sentences(Intents.from_files(folder))
    try:
        _write(path, lambda: {name: list(texts) for name, texts in sentences.items()})
    except OSError as exc:
        log.info("could not cache the sentence list in %s: %s", path.parent, exc)
    return sentences


def _write(path: Path, data: Matcher | Callable[[], object]) -> None:
    """Write atomically (a half-written index is never read), 0600, older versions removed."""
    state = data.to_state() if isinstance(data, Matcher) else data()
    write_private(path, json.dumps(state, separators=(",", ":")))
    kind = path.name.split("-", 1)[0]
    for old in path.parent.glob(f"{kind}-*.json"):
        if old != path:
            with contextlib.suppress(OSError):
                old.unlink()
