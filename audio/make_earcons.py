"""Generate the earcons in `audio/earcons/`: short, soft tones instead of words.

    python audio/make_earcons.py [OUT_DIR]     (default: audio/earcons beside this script)

"listening" rises (a question: your turn), "got_it" falls (an answer: heard you).
Soft means: sine tones with a little second harmonic, smooth fade in and out,
peaks well below full scale, and under a quarter of a second. The output is
deterministic, so re-running it changes no committed file.
"""

from __future__ import annotations

import sys
import wave
from pathlib import Path

import numpy as np

RATE = 22050
"""The voice's own rate: the speaker plays earcons and speech without switching."""
PEAK = 0.25
"""About -12 dBFS: audible but gentle next to speech normalised to full scale."""


def tone(freq: float, seconds: float) -> np.ndarray:
    t = np.arange(round(seconds * RATE)) / RATE
    wave_ = np.sin(2 * np.pi * freq * t) + 0.15 * np.sin(4 * np.pi * freq * t)
    # Raised-cosine fade over the whole note: no click at either end.
    envelope = np.sin(np.pi * t / seconds) ** 2
    shaped: np.ndarray = wave_ * envelope
    return shaped


def sequence(notes: list[tuple[float, float]], gap: float = 0.02) -> np.ndarray:
    parts = []
    for freq, seconds in notes:
        parts.append(tone(freq, seconds))
        parts.append(np.zeros(round(gap * RATE)))
    audio = np.concatenate(parts)
    scaled: np.ndarray = audio / np.max(np.abs(audio)) * PEAK
    return scaled


EARCONS = {
    "listening": sequence([(587.33, 0.09), (880.0, 0.12)]),  # D5 -> A5, rising
    "got_it": sequence([(783.99, 0.08), (523.25, 0.11)]),  # G5 -> C5, falling
}


def write(path: Path, audio: np.ndarray) -> None:
    samples = np.round(audio * 32767).astype("<i2")
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(samples.tobytes())


def main(argv: list[str]) -> None:
    out = Path(argv[0]) if argv else Path(__file__).resolve().parent / "earcons"
    out.mkdir(parents=True, exist_ok=True)
    for name, audio in EARCONS.items():
        write(out / f"{name}.wav", audio)
        print(f"{out / name}.wav: {len(audio) / RATE:.2f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
