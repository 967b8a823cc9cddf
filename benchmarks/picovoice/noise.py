"""Mix the benchmark's kitchen noise into speech exactly as the benchmark does.

For each utterance: a random noise segment of the same length; the SNR is
defined on the loudest 2048-sample frame of each, so the noise scale is
sqrt(maxFrameEnergy(speech) / (maxFrameEnergy(noise) · 10^(snr/10))); the
mix is then normalised to a peak of 0.5.
"""

from __future__ import annotations

import math

import numpy as np

FRAME = 2048
"""Samples per frame for the loudest-frame energy."""
PEAK = 0.5
"""Peak amplitude of every mix."""


def max_frame_energy(samples: np.ndarray, frame: int = FRAME) -> float:
    """Energy (sum of squares) of the loudest whole frame; the whole signal if shorter."""
    count = len(samples) // frame
    if count == 0:
        return float(np.sum(np.square(samples)))
    frames = samples[: count * frame].reshape(count, frame)
    return float(np.max(np.sum(np.square(frames), axis=1)))


def noise_segment(noise: np.ndarray, length: int, rng: np.random.Generator) -> np.ndarray:
    """A random stretch of `noise` as long as the speech (the noise is 123 s, orders < 15 s)."""
    if length > len(noise):
        noise = np.tile(noise, length // len(noise) + 1)
    start = int(rng.integers(0, len(noise) - length + 1))
    return noise[start : start + length]


def mix(speech: np.ndarray, noise: np.ndarray, snr_db: float) -> np.ndarray:
    """`speech` plus `noise` (same length) at `snr_db` on the loudest frames, 0.5 peak."""
    scale = math.sqrt(max_frame_energy(speech) / (max_frame_energy(noise) * 10 ** (snr_db / 10)))
    mixed = speech + scale * noise
    peak = float(np.max(np.abs(mixed)))
    return mixed * (PEAK / peak) if peak > 0 else mixed
