"""PocketSphinx adapter: the embedded default, using the model the wheel ships.

Command mode with `settings.command_grammar = "compiled"`: the
state's grammar compiled from the templates (`Grammar.graph`, never a list of
sentences) becomes one finite-state grammar, with a garbage loop of phones
beside it (`compiled_fsg.py`). The result is always a whole template sentence
or marked as garbage; only a garbage result is decoded a second time, by the
open-vocabulary model, so its words reach the crisis patterns and the fuzzy
matcher. One decode for every utterance the grammar accepts.

The top level (a graph marked not `exact`), in either mode: a trigram LM
counted off the compiled graph, no sentence listed (`graph_lm.py`), plus a
weak unigram of everyday words (`command_lm.py`), cached on disk, whose
results need not be whole sentences.

With `command_grammar = "expanded"` (the default, as before): phrase sets up to JSGF_LIMIT
sentences get a minimal word graph of the listed sentences (`word_graph.py`).
A larger set that comes with its exact compiled graph (a combinatorial
grammar whose listed sentences are only a `sample:`, such as the Picovoice
coffee orders) is decoded with that graph as the grammar, without the
garbage loop: only sentences the templates allow come out, where an LM of
the sampled sentences let "whole amount" through for "whole milk". A larger
listed set without a graph gets a trigram LM built from the sentences. A
second, small decoder (the check) then runs on the same audio with an LM of
the state's sentences plus everyday words (counted off the graph when there
is one, `graph_lm.py`, so never from a sample) and feeds `rejection.judge`.
Each phrase set or graph gets its own named search, built once and cached,
so switching state is an `activate_search`.

Three decoders: the open one (CMUdict and the 130,000-word LM: dictation, and
the open decode of a rejected compiled-mode utterance), the grammar decoder
and the check decoder. The last two start from a one-word dictionary and get
only the words their grammars use, copied with all their CMUdict
pronunciations (`pocketsphinx_model.copy_words`): a decoder with the whole
dictionary costs ~21 MB more, and every n-gram search on it allocates per
dictionary word. The check decoder is loaded on first need (compiled mode
rarely needs it). The Python API cannot share one acoustic model between
decoders (`Decoder` takes only a config), so each loads its own (~6 MB).

Words missing from the pronunciation dictionary get one from simple rules
where possible (`pocketsphinx_model.pronounce`); sentences (or arcs) with other
unknown words are dropped and counted in the log.

The running cepstral mean (the voice's average spectrum) is restored at start
from `voice_state.py` and saved after each accepted utterance, so a session
begins tuned to its person's voice and microphone instead of the model's
generic one.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from collections.abc import Collection, Container, Sequence
from pathlib import Path
from typing import Any

from voice_coach.messages import Transcript, WordGraph
from voice_coach.recognition import Mode
from voice_coach.recognition.command_lm import lm_file
from voice_coach.recognition.common_words import WORDS
from voice_coach.recognition.compiled_fsg import (
    GraphSentences,
    garbage_words,
    transitions,
    unmark,
)
from voice_coach.recognition.graph_lm import graph_key, graph_lm_file
from voice_coach.recognition.pocketsphinx_model import (
    copy_words,
    load_decoder,
    pronounce,
    word_confidence,
)
from voice_coach.recognition.rejection import MIN_WORDS, judge
from voice_coach.recognition.voice_state import VoiceState
from voice_coach.recognition.word_graph import word_graph

log = logging.getLogger(__name__)

NAME = "pocketsphinx"
JSGF_LIMIT = 2000
"""Phrase sets larger than this are decoded with an n-gram LM instead of a grammar."""
GRAMMAR_OPTIONS: dict[str, Any] = {}
"""Decoder options of the grammar decoder (beams)."""
class PocketSphinxRecognizer:
    """PocketSphinx behind the `Recognizer` interface."""

    name = NAME

    def __init__(
        self,
        model_dir: Path | None = None,
        verify: bool = True,
        cache_dir: Path | None = None,
        voice_state: VoiceState | None = None,
        compiled: bool = False,
    ) -> None:
        """Load the decoders (their time is in the footprint section's start-up phases);
        `verify` rejects out-of-scope speech.

        `cache_dir` (normally `Paths.cache_dir`) keeps built command LMs on disk;
        `voice_state` restores and keeps the person's cepstral mean. With
        `compiled`, a state whose grammar comes with its compiled template graph
        is decoded with that graph and a garbage loop (`compiled_fsg.py`): one
        decode, exact sentences; else with the expanded sentences as before.
        """
        self._free = load_decoder(model_dir)
        self._open_search: str = self._free.current_search()
        # The grammar decoder only ever runs the state's grammars and command LMs:
        # without the open LM and CMUdict it is a fraction of the size (--pi memory).
        self._grammar = load_decoder(model_dir, open_lm=False, small=True, **GRAMMAR_OPTIONS)
        self._model_dir = model_dir
        self._checker: Any = None
        """The check decoder (`_check_decoder`), loaded when a closed grammar first needs it."""
        self._verify = verify
        self._cache_dir = cache_dir
        self._searches: dict[tuple[str, ...], tuple[str, bool]] = {}
        self._usable: dict[tuple[str, ...], frozenset[str]] = {}
        self._closed = True
        self._mode: Mode = "dictation"
        self._sentences: Container[str] = frozenset()
        """The active closed grammar's whole sentences (a listed set, or its graph's `accept`)."""
        self._never_reject: frozenset[str] = frozenset()
        self._in_utt = False
        self._rest = b""
        self._partial = ""
        self._compiled = compiled
        self._graphs: dict[str, tuple[str, Any]] = {}
        self._check: Any = None
        self._heard = bytearray()
        """The utterance's audio in compiled mode, for the open decode of a rejected one."""
        if compiled and verify:
            phones = garbage_words()
            for index, (word, phone) in enumerate(phones.items()):
                self._grammar.add_word(word, phone, index == len(phones) - 1)
        self._voice_state = voice_state
        self._state_key = f"{NAME}:{Path(model_dir).name if model_dir else 'en-us'}"
        if voice_state is not None:
            size = len(str(self._grammar.get_cmn(False)).split(","))
            saved = voice_state.load(self._state_key, size)
            if saved is not None:
                self.set_cmn(saved)

    def get_cmn(self) -> str:
        """The current cepstral mean (comma-separated numbers)."""
        return str(self._grammar.get_cmn(False))

    def set_cmn(self, cmn: str) -> None:
        """Start every decoder from this cepstral mean (a saved speaker's)."""
        for decoder in self._decoders():
            decoder.set_cmn(cmn)

    def _decoders(self) -> list[Any]:
        return [d for d in (self._grammar, self._free, self._checker) if d is not None]

    def _check_decoder(self) -> Any:
        """The small decoder of the rejection check's LMs, loaded on first use."""
        if self._checker is None:
            self._checker = load_decoder(self._model_dir, open_lm=False, small=True)
            self._checker.set_cmn(str(self._grammar.get_cmn(False)))
        return self._checker

    def _remember(self, decoder: Any) -> None:
        """An accepted utterance: keep its cepstral mean for the next session."""
        if self._voice_state is None:
            return
        cmn = str(decoder.get_cmn(False))
        for other in self._decoders():
            if other is not decoder:
                other.set_cmn(cmn)
        self._voice_state.save(self._state_key, cmn)

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

    def set_mode(
        self,
        mode: Mode,
        phrases: Sequence[str] = (),
        never_reject: Collection[str] = (),
        graph: WordGraph | None = None,
    ) -> None:
        self.reset()
        self._check = None
        if mode == "command" and graph is not None and not graph.exact and graph.arcs:
            # The top level: an n-gram LM counted off the graph, never a list of sentences.
            self._grammar.activate_search(self._graph_lm_search(graph, self._grammar, "n"))
            self._closed = False
            self._never_reject = frozenset(" ".join(p.lower().split()) for p in never_reject)
            self._mode = mode
            return
        if mode == "command" and graph is not None and self._compiled and graph.arcs:
            name, self._check = self._graph_search(graph)
            self._grammar.activate_search(name)
            self._closed = True
            self._never_reject = frozenset(" ".join(p.lower().split()) for p in never_reject)
            self._mode = mode
            return
        if mode == "command":
            key = tuple(phrases)
            sentences = self._usable.get(key)
            if sentences is None:
                # Checking every sentence's words (the top level's): once per set.
                sentences = self._usable[key] = frozenset(self.usable(phrases))
            if not sentences:
                log.warning("No usable command sentences; listening in dictation mode")
                mode = "dictation"
            elif len(sentences) > JSGF_LIMIT and graph is not None and graph.exact and graph.arcs:
                # Too many to list exactly, but the graph has them all: decode with it.
                name, fsg = self._graph_search(graph, loop=False)
                self._grammar.activate_search(name)
                if self._verify:
                    self._check_decoder().activate_search(
                        self._graph_lm_search(graph, self._check_decoder(), "c")
                    )
                self._closed = True
                self._sentences = GraphSentences(fsg)
                self._never_reject = frozenset(" ".join(p.lower().split()) for p in never_reject)
            else:
                name, self._closed = self._search_for(tuple(sorted(sentences)))
                self._grammar.activate_search(name)
                if self._closed and self._verify:
                    self._check_decoder().activate_search(f"c{name[1:]}")
                self._sentences = sentences
                self._never_reject = frozenset(" ".join(p.lower().split()) for p in never_reject)
        if mode == "dictation":
            self._free.activate_search(self._open_search)
        self._mode = mode

    def _search_for(self, sentences: tuple[str, ...]) -> tuple[str, bool]:
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

    def _graph_search(self, graph: WordGraph, loop: bool = True) -> tuple[str, Any]:
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

    def _graph_lm_search(self, graph: WordGraph, decoder: Any, prefix: str) -> str:
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
            path, temporary = graph_lm_file(graph, usable, self._known, self._cache_dir)
            try:
                decoder.add_lm_file(name, str(path))
            finally:
                if temporary:
                    with contextlib.suppress(OSError):
                        os.unlink(path)
            self._graphs[name] = (name, None)
            log.debug("Built the LM of a graph of %d arcs (%s)", len(graph.arcs), name)
        return name

    def _add_lm(self, name: str, sentences: Sequence[str], decoder: Any) -> None:
        # The LM's words: the sentences' and the everyday words `command_lm` adds.
        words = [w for s in sentences for w in s.split()]
        copy_words([*words, *(w for w in WORDS if self._known(w))], self._free, decoder)
        path, temporary = lm_file(sentences, self._known, self._cache_dir)
        try:
            decoder.add_lm_file(name, str(path))
        finally:
            if temporary:
                with contextlib.suppress(OSError):
                    os.unlink(path)

    def _known(self, word: str) -> bool:
        return bool(self._free.lookup_word(word))

    def _active(self) -> list[Any]:
        if self._mode == "dictation":
            return [self._free]
        if self._check is not None:
            return [self._grammar]  # the garbage loop is in the grammar: one decode
        # The command LM has its own everyday words to fall back on (command_lm.py),
        # so it needs no second, open-vocabulary decode: that halves the work.
        if self._verify and self._closed:
            return [self._grammar, self._check_decoder()]
        return [self._grammar]

    def accept(self, chunk: bytes) -> Transcript | None:
        data = self._rest + chunk
        usable = len(data) - len(data) % 2
        self._rest = data[usable:]
        if not usable:
            return None
        decoders = self._active()
        if not self._in_utt:
            for d in decoders:
                d.start_utt()
            self._in_utt = True
            self._heard = bytearray()
        for d in decoders:
            d.process_raw(data[:usable])
        if self._check is not None and self._verify:
            self._heard += data[:usable]
        hyp = decoders[0].hyp()
        text = unmark(hyp.hypstr)[0] if hyp else ""
        if text and text != self._partial:
            self._partial = text
            return Transcript(text, final=False, confidence=0.0, engine=NAME)
        return None

    def finish(self) -> Transcript:
        if not self._in_utt:
            return Transcript("", final=True, confidence=0.0, engine=NAME)
        decoders = self._active()
        texts: list[str] = []
        for d in decoders:
            d.end_utt()
            hyp = d.hyp()
            texts.append(hyp.hypstr if hyp else "")
        self._in_utt = False
        self._rest = b""
        self._partial = ""
        if self._mode == "dictation":
            if texts[0]:
                self._remember(decoders[0])
            return Transcript(texts[0], True, word_confidence(decoders[0], texts[0]), NAME)
        if self._check is not None:
            return self._judge_compiled(texts[0], decoders[0])
        if not self._closed:
            if texts[0]:
                self._remember(decoders[0])
            return Transcript(texts[0], True, word_confidence(decoders[0], texts[0]), NAME)
        if not self._verify:
            if texts[0] in self._sentences:
                self._remember(decoders[0])
                return Transcript(texts[0], True, 0.8, NAME)
            # Cut short of a whole sentence (the utterance ended mid-way through the grammar,
            # in noise often on a dangling "with"): with no check to stand in, the words so
            # far go on at a low confidence, as in compiled mode (`_judge_compiled`).
            return Transcript(texts[0], True, 0.4 if texts[0] else 0.0, NAME)
        verdict = judge(texts[0], texts[1], self._sentences, 1.0, self._never_reject)
        if verdict.accepted:
            self._remember(decoders[0])
        return Transcript(
            verdict.text, True, verdict.confidence, NAME, alternatives=(verdict.alternative,)
        )

    def _judge_compiled(self, raw: str, decoder: Any) -> Transcript:
        """Through the grammar: a sentence of it; through the garbage loop: what was said."""
        text, garbage = unmark(raw)
        if not text:
            return Transcript("", True, 0.0, NAME)
        if garbage:
            # Out of scope (or too unclear for the grammar). Only now, and only for this
            # utterance, the open model says what it was: its words go on to the crisis
            # patterns and the fuzzy matcher, which leaves off-topic speech alone.
            heard = self._open_decode()
            if len(heard.split()) < MIN_WORDS and not self._check.accept(heard):
                # As `rejection.judge`: the open model is too weak on one or two words to
                # stand in for the grammar ("seven" heard during a yes/no question).
                return Transcript("", True, 0.0, NAME, alternatives=(raw, heard))
            return Transcript(heard, True, 0.3, NAME, alternatives=(raw,))
        if self._check.accept(text):
            self._remember(decoder)
            return Transcript(text, True, 0.85, NAME)
        # Cut short of a whole sentence (the utterance ended mid-way through the grammar).
        return Transcript(text, True, 0.4, NAME, alternatives=(raw,))

    def _open_decode(self) -> str:
        """The open-vocabulary transcript of the utterance just heard (kept audio)."""
        audio, self._heard = bytes(self._heard), bytearray()
        if not audio:
            return ""
        self._free.activate_search(self._open_search)
        self._free.start_utt()
        self._free.process_raw(audio, False, True)
        self._free.end_utt()
        hyp = self._free.hyp()
        return " ".join(hyp.hypstr.split()) if hyp else ""

    def reset(self) -> None:
        if self._in_utt:
            for d in self._decoders():
                with contextlib.suppress(RuntimeError):
                    d.end_utt()
        self._in_utt = False
        self._rest = b""
        self._partial = ""
        self._heard = bytearray()
