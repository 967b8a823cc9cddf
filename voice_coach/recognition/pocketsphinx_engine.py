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
Each phrase set or graph gets its own named search, built once and cached
(`pocketsphinx_searches.py`), so switching state is an `activate_search`.

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
import logging
from collections.abc import Collection, Container, Sequence
from pathlib import Path
from typing import Any

from voice_coach.messages import Transcript, WordGraph
from voice_coach.recognition import Mode
from voice_coach.recognition.compiled_fsg import (
    GraphSentences,
    garbage_words,
    unmark,
)
from voice_coach.recognition.pocketsphinx_model import (
    load_decoder,
    word_confidence,
)
from voice_coach.recognition.pocketsphinx_searches import JSGF_LIMIT, SearchBuilder
from voice_coach.recognition.rejection import MIN_WORDS, judge
from voice_coach.recognition.voice_state import VoiceState

log = logging.getLogger(__name__)

NAME = "pocketsphinx"
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
        self._check: Any = None
        self._heard = bytearray()
        """The utterance's audio in compiled mode, for the open decode of a rejected one."""
        self._build = SearchBuilder(
            self._free, self._grammar, self._check_decoder, verify, cache_dir
        )
        """Builds (once) and names the searches `set_mode` activates."""
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
        return self._build.pronounce(word)

    def usable(self, phrases: Sequence[str]) -> list[str]:
        """The phrases whose every word can be pronounced (others are dropped)."""
        return self._build.usable(phrases)

    def set_mode(
        self,
        mode: Mode,
        phrases: Sequence[str] = (),
        never_reject: Collection[str] = (),
        graph: WordGraph | None = None,
    ) -> None:
        self.reset()
        self._check = None
        self._never_reject = frozenset(" ".join(p.lower().split()) for p in never_reject)
        if mode == "command" and graph is not None and not graph.exact and graph.arcs:
            # The top level: an n-gram LM counted off the graph, never a list of sentences.
            self._grammar.activate_search(self._build.graph_lm_search(graph, self._grammar, "n"))
            self._closed = False
            self._mode = mode
            return
        if mode == "command" and graph is not None and self._compiled and graph.arcs:
            name, self._check = self._build.graph_search(graph)
            self._grammar.activate_search(name)
            self._closed = True
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
                name, fsg = self._build.graph_search(graph, loop=False)
                self._grammar.activate_search(name)
                if self._verify:
                    self._check_decoder().activate_search(
                        self._build.graph_lm_search(graph, self._check_decoder(), "c")
                    )
                self._closed = True
                self._sentences = GraphSentences(fsg)
            else:
                name, self._closed = self._build.sentence_search(tuple(sorted(sentences)))
                self._grammar.activate_search(name)
                if self._closed and self._verify:
                    self._check_decoder().activate_search(f"c{name[1:]}")
                self._sentences = sentences
        if mode == "dictation":
            self._free.activate_search(self._open_search)
        self._mode = mode

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
