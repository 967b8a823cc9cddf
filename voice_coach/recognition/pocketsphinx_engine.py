"""PocketSphinx adapter: the embedded default, using the model the wheel ships.

Command mode decodes with a JSGF grammar listing the state's sentences as flat
alternatives. Flat lists stay fast: 120 sentences decode at a real-time factor
of ~0.02 and compile in ~5 ms (measured in benchmarks/asr_speed.py), whereas
an n-gram LM built from the same sentences took 1.5 s to load and was less
accurate, so JSGF is used for every state. Each phrase set gets its own named
search, built once and cached, so switching state is an `activate_search`.

Sentences with a word missing from the pronunciation dictionary are dropped
(and logged): guessing pronunciations would need a grapheme-to-phoneme model
the wheel does not ship, and a wrong pronunciation is worse than none. Intent
templates should use dictionary words (CMUdict has ~134,000).

A second decoder with the wheel's open-vocabulary LM runs on the same audio:
in dictation mode it is the result; in command mode it feeds `rejection.judge`.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from voice_coach.dialogue.events import Transcript
from voice_coach.errors import ModelError
from voice_coach.recognition import Mode
from voice_coach.recognition.rejection import judge
from voice_coach.recognition.wavfile import RATE

log = logging.getLogger(__name__)

NAME = "pocketsphinx"
_TOKEN = re.compile(r"^[a-z][a-z']*$")


def _decoder(model_dir: Path | None) -> Any:
    from pocketsphinx import Decoder, get_model_path

    base = Path(model_dir) if model_dir else Path(get_model_path("en-us"))
    try:
        return Decoder(
            samprate=RATE,
            loglevel="FATAL",
            hmm=str(base / "en-us"),
            dict=str(base / "cmudict-en-us.dict"),
            lm=str(base / "en-us.lm.bin"),
        )
    except (RuntimeError, ValueError) as exc:
        raise ModelError(
            f"The PocketSphinx model in {base} cannot be loaded ({exc}); "
            "reinstall it with `pip install --force-reinstall pocketsphinx`."
        ) from None


class PocketSphinxRecognizer:
    """PocketSphinx behind the `Recognizer` interface."""

    name = NAME

    def __init__(self, model_dir: Path | None = None, verify: bool = True) -> None:
        """Load the decoders (~0.3 s each); `verify` runs the open-vocabulary check."""
        self._free = _decoder(model_dir)
        self._grammar = _decoder(model_dir)
        self._verify = verify
        self._searches: dict[tuple[str, ...], str] = {}
        self._mode: Mode = "dictation"
        self._sentences: frozenset[str] = frozenset()
        self._never_reject: frozenset[str] = frozenset()
        self._in_utt = False
        self._rest = b""
        self._partial = ""

    def usable(self, phrases: Sequence[str]) -> list[str]:
        """The phrases whose every word has a pronunciation (others are dropped)."""
        keep: list[str] = []
        for phrase in dict.fromkeys(" ".join(p.lower().split()) for p in phrases):
            words = phrase.split()
            if words and all(_TOKEN.match(w) and self._grammar.lookup_word(w) for w in words):
                keep.append(phrase)
        if len(keep) < len(phrases):
            dropped = sorted(set(phrases) - set(keep))
            log.info("PocketSphinx: %d sentence(s) have words not in the dictionary", len(dropped))
            log.debug("Dropped from the grammar: %s", dropped)
        return keep

    def set_mode(
        self, mode: Mode, phrases: Sequence[str] = (), never_reject: Collection[str] = ()
    ) -> None:
        self.reset()
        if mode == "command":
            sentences = self.usable(phrases)
            if not sentences:
                log.warning("No usable command sentences; listening in dictation mode")
                mode = "dictation"
            else:
                self._grammar.activate_search(self._search_for(tuple(sorted(sentences))))
                self._sentences = frozenset(sentences)
                self._never_reject = frozenset(" ".join(p.lower().split()) for p in never_reject)
        self._mode = mode

    def _search_for(self, sentences: tuple[str, ...]) -> str:
        name = self._searches.get(sentences)
        if name is None:
            digest = hashlib.sha1("\n".join(sentences).encode()).hexdigest()[:12]
            name = f"g{digest}"
            body = " | ".join(sentences)
            self._grammar.add_jsgf_string(name, f"#JSGF V1.0;\ngrammar vc;\npublic <s> = {body};\n")
            self._searches[sentences] = name
            log.debug("Built a grammar of %d sentences", len(sentences))
        return name

    def _active(self) -> list[Any]:
        if self._mode == "dictation":
            return [self._free]
        return [self._grammar, self._free] if self._verify else [self._grammar]

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
        for d in decoders:
            d.process_raw(data[:usable])
        hyp = decoders[0].hyp()
        text = hyp.hypstr if hyp else ""
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
            return Transcript(texts[0], True, 1.0 if texts[0] else 0.0, NAME)
        if not self._verify:
            ok = texts[0] in self._sentences
            return Transcript(texts[0] if ok else "", True, 0.8 if ok else 0.0, NAME)
        verdict = judge(texts[0], texts[1], self._sentences, 1.0, self._never_reject)
        return Transcript(
            verdict.text, True, verdict.confidence, NAME, alternatives=(verdict.alternative,)
        )

    def reset(self) -> None:
        if self._in_utt:
            for d in (self._grammar, self._free):
                with contextlib.suppress(RuntimeError):
                    d.end_utt()
        self._in_utt = False
        self._rest = b""
        self._partial = ""
