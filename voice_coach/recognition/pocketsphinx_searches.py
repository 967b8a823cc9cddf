"""The PocketSphinx searches a state is decoded with, each built once and named.

`PocketSphinxRecognizer.set_mode` picks which kind a state needs; this
module builds it on the right decoder and gives each decoder the words its
search uses (`pocketsphinx_model.copy_words`: the small grammar and check
decoders start from a one-word dictionary). The kinds:
- a listed phrase set up to JSGF_LIMIT sentences: a minimal word graph of
  them (`word_graph.py`), plus the rejection check's LM of the sentences and
  everyday words (`command_lm.py`);
- a larger listed set: a trigram LM of the sentences;
- a compiled template graph as an FSG, with or without the garbage loop
  (`compiled_fsg.py`);
- an LM counted off a graph without listing it (`graph_lm.py`): the top
  level's, and the check's of a big exact graph.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any

from voice_coach.messages import WordGraph
from voice_coach.recognition.command_lm import lm_file
from voice_coach.recognition.common_words import WORDS
from voice_coach.recognition.compiled_fsg import garbage_words, transitions
from voice_coach.recognition.graph_lm import graph_key, graph_lm_file
from voice_coach.recognition.pocketsphinx_model import copy_words, pronounce
from voice_coach.recognition.word_graph import word_graph

log = logging.getLogger("voice_coach.recognition.pocketsphinx_engine")

JSGF_LIMIT = 2000
"""Phrase sets larger than this are decoded with an n-gram LM instead of a grammar."""


class SearchBuilder:
    """The searches of the grammar and check decoders, built once and cached by name."""

    def __init__(
        self,
        free: Any,
        grammar: Any,
        check_decoder: Callable[[], Any],
        verify: bool,
        cache_dir: Path | None,
    ) -> None:
        self._free = free
        """The open decoder: CMUdict, where the small decoders copy their words from."""
        self._grammar = grammar
        self._check_decoder = check_decoder
        """The rejection check's decoder, loaded on first use."""
        self._verify = verify
        self._cache_dir = cache_dir
        self._searches: dict[tuple[str, ...], tuple[str, bool]] = {}
        self._graphs: dict[str, tuple[str, Any]] = {}

    def pronounce(self, word: str) -> str | None:
        """The word's phones: from the dictionary, else from simple rules, else None."""
        return pronounce(word, self._free.lookup_word)

    def usable(self, phrases: Sequence[str]) -> list[str]:
        """The phrases whose every word can be pronounced (others are dropped)."""
        keep: list[str] = []
        added: dict[str, str] = {}
        said: dict[str, str | None] = {}  # far fewer distinct words than sentences
        generated: dict[str, str] = {}
        for phrase in dict.fromkeys(" ".join(p.lower().split()) for p in phrases):
            words = phrase.split()
            for w in words:
                if w not in said:
                    said[w] = self.pronounce(w)
                    if said[w] and not self._free.lookup_word(w):
                        generated[w] = str(said[w])
            if words and all(said[w] for w in words):
                keep.append(phrase)
                added.update((w, generated[w]) for w in words if w in generated)
        for index, (word, phones_) in enumerate(sorted(added.items())):
            # In the open decoder, where the small decoders copy their words from.
            self._free.add_word(word, phones_, index == len(added) - 1)
        if added:
            log.debug("Generated pronunciations: %s", added)
        if len(keep) < len(phrases):
            dropped = sorted(set(phrases) - set(keep))
            log.info("PocketSphinx: %d sentence(s) have words not in the dictionary", len(dropped))
            log.debug("Dropped from the grammar: %s", dropped)
        return keep

    def sentence_search(self, sentences: tuple[str, ...]) -> tuple[str, bool]:
        """(search name, closed): closed grammars only ever return whole sentences."""
        found = self._searches.get(sentences)
        if found is None:
            digest = hashlib.sha1("\n".join(sentences).encode()).hexdigest()[:12]
            if len(sentences) <= JSGF_LIMIT:
                found = (f"g{digest}", True)
                copy_words((w for s in sentences for w in s.split()), self._free, self._grammar)
                start, end, transitions = word_graph(sentences)
                fsg = self._grammar.create_fsg(found[0], start, end, transitions)
                self._grammar.add_fsg(found[0], fsg)
                if self._verify:
                    # The check decodes with the state's sentences plus everyday words:
                    # forced speech still comes out different, at a third of the cost
                    # of the 130,000-word open LM (`python -m benchmarks`' "domain" section: RTF).
                    self._add_lm(f"c{digest}", sentences, self._check_decoder())
            else:
                found = (f"lm{digest}", False)
                self._add_lm(found[0], sentences, self._grammar)
            self._searches[sentences] = found
            log.debug("Built a %s of %d sentences", "grammar" if found[1] else "LM", len(sentences))
        return found

    def graph_search(self, graph: WordGraph, loop: bool = True) -> tuple[str, Any]:
        """(search name, the grammar without its garbage loop): built once per graph.

        With `loop` (compiled mode, rejection on) the search has the garbage loop
        beside the graph (`compiled_fsg.py`); without, it is the graph alone.
        """
        digest = graph_key(graph)
        name = f"{'t' if loop else 'x'}{digest[:12]}"
        found = self._graphs.get(name)
        if found is not None:
            return found
        said = self._add_words(graph.words)
        phones = list(garbage_words()) if loop and self._verify else []
        usable = {w for w, p in said.items() if p}.__contains__
        start, final, arcs = transitions(graph, usable)
        check = self._grammar.create_fsg(f"{name}-check", start, final, arcs)
        if phones:
            start, final, arcs = transitions(graph, usable, phones)
            self._grammar.add_fsg(name, self._grammar.create_fsg(name, start, final, arcs))
        else:
            self._grammar.add_fsg(name, check)
        self._graphs[name] = (name, check)
        log.debug("Built a compiled grammar of %d arcs (%d garbage words)", len(arcs), len(phones))
        return name, check

    def _add_words(self, words: Collection[str], target: Any = None) -> dict[str, str | None]:
        """Each word's phones; `target` (the grammar decoder) gets every pronounceable one.

        Generated pronunciations go into the open decoder's dictionary first, so
        the small grammar decoder copies all its words from one place.
        """
        said = {w: self.pronounce(w) for w in words}
        new = sorted(w for w, p in said.items() if p and not self._free.lookup_word(w))
        for index, word in enumerate(new):
            self._free.add_word(word, str(said[word]), index == len(new) - 1)
        target = self._grammar if target is None else target
        copy_words(sorted(w for w, p in said.items() if p), self._free, target)
        unknown = sorted(w for w, p in said.items() if not p)
        if unknown:
            log.info("PocketSphinx: %d grammar word(s) not in the dictionary", len(unknown))
            log.debug("Dropped from the grammar: %s", unknown)
        return said

    def graph_lm_search(self, graph: WordGraph, decoder: Any, prefix: str) -> str:
        """The search of the LM counted off `graph` (`graph_lm.py`) on `decoder`: built once.

        The top level's (prefix "n", on the grammar decoder) and the rejection
        check's of a big exact graph (prefix "c", on the check decoder).
        """
        name = f"{prefix}{graph_key(graph)[:12]}"
        if name not in self._graphs:
            said = self._add_words(graph.words, decoder)
            # The LM also holds the everyday words `command_lm` adds.
            copy_words((w for w in WORDS if self._known(w)), self._free, decoder)
            usable = {w for w, p in said.items() if p}.__contains__
            _load_lm(decoder, name, *graph_lm_file(graph, usable, self._known, self._cache_dir))
            self._graphs[name] = (name, None)
            log.debug("Built the LM of a graph of %d arcs (%s)", len(graph.arcs), name)
        return name

    def _add_lm(self, name: str, sentences: Sequence[str], decoder: Any) -> None:
        # The LM's words: the sentences' and the everyday words `command_lm` adds.
        words = [w for s in sentences for w in s.split()]
        copy_words([*words, *(w for w in WORDS if self._known(w))], self._free, decoder)
        _load_lm(decoder, name, *lm_file(sentences, self._known, self._cache_dir))

    def _known(self, word: str) -> bool:
        return bool(self._free.lookup_word(word))


def _load_lm(decoder: Any, name: str, path: Path, temporary: bool) -> None:
    """Add the ARPA file at `path` as the search `name`; a temporary file is deleted after."""
    try:
        decoder.add_lm_file(name, str(path))
    finally:
        if temporary:
            with contextlib.suppress(OSError):
                os.unlink(path)
