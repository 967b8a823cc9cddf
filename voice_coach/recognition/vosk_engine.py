"""Vosk adapter: used when a Vosk model is installed (more accurate than PocketSphinx).

Command mode gives Kaldi a runtime grammar (a JSON list of sentences plus
"[unk]", so out-of-grammar speech can come out as [unk] instead of being
forced). Words the model does not know are dropped from the grammar first
(Vosk would log a warning per word and ignore them): a sentence with an
unknown word is dropped whole. A second recognizer without a grammar runs on
the same audio for the open-vocabulary check in `rejection.py`; both share
the loaded model, so the second one costs CPU but little memory.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Collection, Sequence
from pathlib import Path
from typing import Any

from voice_coach.errors import ModelError
from voice_coach.messages import Transcript, WordGraph
from voice_coach.recognition import Mode
from voice_coach.recognition.rejection import judge
from voice_coach.recognition.vosk_vocab import vocabulary
from voice_coach.recognition.wavfile import RATE

log = logging.getLogger(__name__)

NAME = "vosk"
UNK = "[unk]"
_REQUIRED = ("am/final.mdl", "conf/model.conf")


def check_model_dir(path: Path) -> None:
    """Raise ModelError unless `path` looks like a Vosk model folder."""
    if not path.is_dir():
        raise ModelError(
            f"No Vosk model at {path}. Install one with "
            "`voice-coach models download vosk-model-small-en-us-0.15`."
        )
    missing = [p for p in _REQUIRED if not (path / p).is_file()]
    if missing:
        raise ModelError(
            f"{path} is not a complete Vosk model (missing {', '.join(missing)}). Remove it with "
            "`voice-coach models remove NAME` and download it again."
        )


def load_model(path: Path) -> Any:
    """Load a Vosk model folder (seconds); a damaged model raises ModelError."""
    check_model_dir(path)
    import vosk

    vosk.SetLogLevel(-2)
    try:
        return vosk.Model(str(path))
    except Exception as exc:  # vosk raises a bare Exception on any load failure
        raise ModelError(
            f"The Vosk model in {path} is damaged and cannot be loaded ({exc}). Remove it with "
            "`voice-coach models remove NAME` and download it again."
        ) from None


class VoskRecognizer:
    """Vosk behind the `Recognizer` interface."""

    name = NAME

    def __init__(self, model_dir: Path, model: Any = None, verify: bool = True) -> None:
        """`model` may be an already loaded `vosk.Model` (tests share one per session)."""
        self.model_dir = Path(model_dir)
        self._model = model if model is not None else load_model(self.model_dir)
        self._vocabulary = vocabulary(self.model_dir)
        self._verify = verify
        self._mode: Mode = "dictation"
        self._grammar_json: str | None = None
        self._never_reject: frozenset[str] = frozenset()
        self._recognizers: list[Any] = []
        self._segments: list[list[str]] = [[], []]
        self._confs: list[float] = []
        self._partial = ""
        self._grammars: dict[tuple[str, ...], str] = {}
        self._cache: dict[str | None, Any] = {}
        self._in_utt = False

    def usable(self, phrases: Sequence[str]) -> list[str]:
        """The phrases whose every word the model knows (all of them if its list is unknown)."""
        keep = [p for p in dict.fromkeys(" ".join(x.lower().split()) for x in phrases) if p]
        if self._vocabulary is not None:
            vocab = self._vocabulary
            keep = [p for p in keep if all(w in vocab for w in p.split())]
        if len(keep) < len(phrases):
            log.info("Vosk: %d sentence(s) use words the model lacks", len(phrases) - len(keep))
        return keep

    def set_mode(
        self,
        mode: Mode,
        phrases: Sequence[str] = (),
        never_reject: Collection[str] = (),
        graph: WordGraph | None = None,
    ) -> None:
        self.reset()
        self._grammar_json = None
        if mode == "command":
            sentences = self.usable(phrases)
            if not sentences:
                log.warning("No usable command sentences; listening in dictation mode")
                mode = "dictation"
            else:
                key = tuple(sorted(sentences))
                if key not in self._grammars:
                    has_unk = self._vocabulary is None or UNK in self._vocabulary
                    self._grammars[key] = json.dumps(
                        [*key, UNK] if has_unk else list(key), ensure_ascii=False
                    )
                self._grammar_json = self._grammars[key]
                self._never_reject = frozenset(" ".join(p.lower().split()) for p in never_reject)
        self._mode = mode

    def _start(self) -> None:
        """Pick (or build once) the recognizers for the current grammar."""
        wanted = [self._grammar_json]
        if self._grammar_json is not None and self._verify:
            wanted.append(None)
        self._recognizers = [self._recognizer(g) for g in wanted]
        self._in_utt = True

    def _recognizer(self, grammar: str | None) -> Any:
        """Recognizers are reused: a big grammar (the top level's ~32,000 sentences) is slow
        to compile."""
        rec = self._cache.get(grammar)
        if rec is None:
            import vosk

            if grammar is None:
                rec = vosk.KaldiRecognizer(self._model, RATE)
            else:
                rec = vosk.KaldiRecognizer(self._model, RATE, grammar)
            rec.SetWords(True)
            self._cache[grammar] = rec
        return rec

    def accept(self, chunk: bytes) -> Transcript | None:
        if not chunk:
            return None
        if not self._in_utt:
            self._start()
        for index, rec in enumerate(self._recognizers):
            if rec.AcceptWaveform(chunk):
                self._collect(index, rec.Result())
        partial = json.loads(self._recognizers[0].PartialResult()).get("partial", "")
        text = " ".join(w for w in [*self._segments[0], *partial.split()] if w != UNK)
        if text and text != self._partial:
            self._partial = text
            return Transcript(text, final=False, confidence=0.0, engine=NAME)
        return None

    def _collect(self, index: int, result_json: str) -> None:
        """Keep the words of one endpointed segment (Vosk ends segments at pauses)."""
        result = json.loads(result_json)
        words = result.get("result", [])
        self._segments[index].extend(str(w.get("word", "")) for w in words)
        if index == 0:
            self._confs.extend(float(w.get("conf", 1.0)) for w in words)

    def finish(self) -> Transcript:
        if not self._in_utt:
            return Transcript("", final=True, confidence=0.0, engine=NAME)
        for index, rec in enumerate(self._recognizers):
            self._collect(index, rec.FinalResult())  # also readies it for the next utterance
        words, free_words, confs = self._segments[0], self._segments[1], self._confs
        self._in_utt = False
        self.reset()
        known = [w for w in words if w != UNK]
        conf = sum(confs) / len(confs) if confs else 0.0
        if self._mode == "dictation":
            return Transcript(" ".join(known), True, round(conf, 3) if known else 0.0, NAME)
        grammar_text = " ".join(known)
        free_text = " ".join(free_words)
        if len(known) < len(words) and grammar_text not in self._never_reject:
            # [unk]: Vosk itself heard speech outside the grammar; pass on the open transcript.
            return Transcript(free_text, True, 0.0, NAME, alternatives=(" ".join(words),))
        if not self._verify:
            ok = bool(grammar_text)
            return Transcript(grammar_text if ok else "", True, round(conf, 3) if ok else 0.0, NAME)
        # Vosk's grammar is a word network, not a sentence list: results need not be whole
        # sentences, so only the open-vocabulary check decides (sentences=None).
        verdict = judge(grammar_text, free_text, None, conf, self._never_reject)
        return Transcript(
            verdict.text, True, verdict.confidence, NAME, alternatives=(verdict.alternative,)
        )

    def reset(self) -> None:
        if self._in_utt:
            for rec in self._recognizers:
                rec.Reset()
        self._in_utt = False
        self._recognizers = []
        self._segments = [[], []]
        self._confs = []
        self._partial = ""
