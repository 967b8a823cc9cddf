"""The benchmark's data: which files exist, what each one should mean, and their audio."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import soundfile as sf

from voice_coach.errors import VoiceCoachError

log = logging.getLogger(__name__)

DATA_DIR = Path("/work/shared/benchmarks/picovoice-s2i")
"""Where the data was unpacked on the project machines (override with `data_dir=`)."""
RATE = 16000


@dataclass(frozen=True)
class Utterance:
    """One spoken order and its label."""

    name: str
    """File stem (the label key without `.wav`)."""
    path: Path
    """The FLAC file."""
    intent: str
    """Labelled intent ("orderDrink")."""
    slots: dict[str, str] = field(default_factory=dict)
    """Labelled slots, values stripped of the stray spaces some labels carry."""


def load_utterances(data_dir: Path = DATA_DIR, limit: int | None = None) -> list[Utterance]:
    """Labelled utterances that have audio, sorted by name (the first `limit` of them)."""
    labels_file = Path(data_dir) / "labels.json"
    try:
        labels = json.loads(labels_file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise VoiceCoachError(
            f"Cannot read the benchmark labels {labels_file} ({exc}); "
            "point data_dir at the unpacked picovoice-s2i folder."
        ) from None
    result: list[Utterance] = []
    missing = 0
    for key in sorted(labels):
        stem = key.removesuffix(".wav")
        path = Path(data_dir) / "speech" / f"{stem}.flac"
        if not path.is_file():
            missing += 1
            continue
        label = labels[key]
        slots = {str(k): str(v).strip() for k, v in (label.get("slots") or {}).items()}
        result.append(Utterance(stem, path, str(label.get("intent", "")), slots))
    if missing:
        log.info("Skipped %d labelled utterance(s) without audio", missing)
    return result[:limit] if limit is not None else result


def read_audio(path: Path) -> np.ndarray:
    """Mono float64 samples in [-1, 1] at 16 kHz."""
    try:
        samples, rate = sf.read(str(path), dtype="float64", always_2d=True)
    except (OSError, RuntimeError) as exc:
        raise VoiceCoachError(f"Cannot read the audio file {path} ({exc}).") from None
    if rate != RATE:
        raise VoiceCoachError(f"{path} is {rate} Hz; the benchmark audio must be {RATE} Hz.")
    mono: np.ndarray = samples.mean(axis=1)
    return mono


def to_pcm16(samples: np.ndarray) -> bytes:
    """Float samples in [-1, 1] → 16-bit little-endian PCM, as a microphone gives."""
    clipped = np.clip(np.round(samples * 32767.0), -32768, 32767)
    return clipped.astype("<i2").tobytes()
