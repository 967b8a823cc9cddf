"""Endpointing in noise: which speech detector ends a turn when the person stops?

Each phrase of `phrases.yaml` (Piper and one espeak-ng voice) is laid into a
stream with the noise running throughout, as a room with a fan or a
television sounds: 1.5 s of noise, the phrase with noise, 4 s of noise. The
stream goes through the coach's own `Endpointer` (30 ms chunks, the
`silence_timeout` of a free answer, 0.8 s) with each detector of
`audio_io/speech_detector.py`. Per stream, the first utterance is:

* right: ended after the last voiced sample, within 1.5 s of it;
* cut: ended before the person finished (more than 50 ms before the end);
* late: ended more than 1.5 s after; no end: still open when the stream ran out.

Noise-only streams (10 s, same noise, no phrase) count false starts. Also
the detector's CPU real-time factor. Run: `python -m benchmarks.vad [--limit N]`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import cache_root
from benchmarks.corpus import Renderer, babble_noise, load_phrases, pink_noise, read16, spread

RATE = 16000
LEAD = 1.5
TAIL = 4.0
LATE = 1.5
CONDITIONS = ("quiet", "pink10", "pink5", "babble10", "babble20")
VOICES = ("piper@1.0", "espeak:en-us")


def voiced_span(speech: np.ndarray) -> tuple[float, float]:
    """First and last 10 ms with RMS above 0.01 (seconds)."""
    frame = RATE // 100
    n = len(speech) // frame
    rms = np.sqrt(np.mean(speech[: n * frame].reshape(n, frame) ** 2, axis=1))
    loud = np.nonzero(rms > 0.01)[0]
    if not len(loud):
        return 0.0, len(speech) / RATE
    return loud[0] * frame / RATE, (loud[-1] + 1) * frame / RATE


def noise_bed(
    condition: str, n: int, others: Sequence[np.ndarray], rng: np.random.Generator
) -> tuple[np.ndarray, float]:
    """Unit-RMS noise for `condition` and its SNR in dB."""
    if condition == "quiet":
        return rng.standard_normal(n).astype(np.float32), 40.0
    if condition.startswith("babble"):
        return babble_noise(n, others, rng), float(condition[6:])
    return pink_noise(n, rng), float(condition[4:])


def stream_for(
    speech: np.ndarray | None, level: float, condition: str, others: Sequence[np.ndarray], seed: int
) -> np.ndarray:
    """Noise throughout, the phrase (if any) after `LEAD` seconds."""
    length = int((LEAD + TAIL) * RATE) + (len(speech) if speech is not None else int(4.5 * RATE))
    rng = np.random.default_rng(seed)
    noise, snr = noise_bed(condition, length, others, rng)
    out = noise * level / 10 ** (snr / 20)
    if speech is not None:
        start = int(LEAD * RATE)
        out[start : start + len(speech)] += speech
    return np.clip(out, -1, 1).astype(np.float32)


def endpoint(stream: np.ndarray, detector_name: str) -> tuple[float | None, bool, float]:
    """(when the first utterance ended, or None; whether speech started; CPU seconds)."""
    from voice_coach.audio_io.speech_detector import create_detector
    from voice_coach.audio_io.vad import (
        Endpointer,
        EndpointerConfig,
        SpeechStarted,
        UtteranceComplete,
    )
    from voice_coach.messages import AudioChunk

    detector = create_detector(detector_name)
    endpointer = Endpointer(
        EndpointerConfig(silence_timeout=0.8, no_speech_timeout=60.0), detector
    )
    pcm = np.clip(np.round(stream * 32767), -32768, 32767).astype("<i2").tobytes()
    step = 960
    started = False
    cpu = time.process_time()
    for i in range(0, len(pcm) - step + 1, step):
        for event in endpointer.process(AudioChunk(pcm[i : i + step], RATE)):
            started = started or isinstance(event, SpeechStarted)
            if isinstance(event, UtteranceComplete):
                return (i + step) / 2 / RATE, True, time.process_time() - cpu
    return None, started, time.process_time() - cpu


def run_vad(
    limit: int | None = None, detectors: Sequence[str] = ("energy", "silero", "micro")
) -> dict[str, Any]:
    phrases = spread(load_phrases(), limit or 60)
    renderer = Renderer(cache_root())
    rows: list[dict[str, Any]] = []
    for voice in VOICES:
        clips = [read16(renderer.render(p, voice)) for p in phrases]
        for condition in CONDITIONS:
            for name in detectors:
                counts = {"right": 0, "cut": 0, "late": 0, "no_end": 0, "false_start": 0}
                after: list[float] = []
                cpu = 0.0
                audio = 0.0
                for index, speech in enumerate(clips):
                    others = [clips[(index + k) % len(clips)] for k in (3, 7, 11, 17)]
                    active = speech[np.abs(speech) > 0.003]
                    level = float(np.sqrt(np.mean(active**2))) if len(active) else 0.1
                    seed = index * 100 + CONDITIONS.index(condition)
                    stream = stream_for(speech, level, condition, others, seed)
                    _, offset = voiced_span(speech)
                    ended, _, used = endpoint(stream, name)
                    cpu += used
                    audio += len(stream) / RATE
                    end = LEAD + offset
                    if ended is None:
                        counts["no_end"] += 1
                    elif ended - 0.8 < end - 0.05:
                        counts["cut"] += 1
                    elif ended > end + LATE:
                        counts["late"] += 1
                    else:
                        counts["right"] += 1
                        after.append(ended - end)
                    if index % 3 == 0:  # noise alone, a third as many streams
                        quiet = stream_for(None, level, condition, others, seed + 1)
                        _, fired, used = endpoint(quiet, name)
                        cpu += used
                        audio += len(quiet) / RATE
                        counts["false_start"] += fired
                row = {
                    "voice": voice,
                    "condition": condition,
                    "detector": name,
                    "streams": len(clips),
                    "noise_only_streams": len(range(0, len(clips), 3)),
                    **counts,
                    "end_after_speech_median_s": round(statistics.median(after), 2)
                    if after
                    else None,
                    "cpu_rtf": round(cpu / audio, 4) if audio else None,
                }
                rows.append(row)
                print(json.dumps(row), file=sys.stderr, flush=True)
    return {
        "rows": rows,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
    }


def markdown(result: dict[str, Any]) -> str:
    lines = [
        "| voice | condition | detector | right | cut | late | no end | false starts "
        "(noise only) | end after speech (median) | CPU RTF |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in result["rows"]:
        after = r["end_after_speech_median_s"]
        lines.append(
            f"| {r['voice']} | {r['condition']} | {r['detector']} | {r['right']}/{r['streams']} "
            f"| {r['cut']} | {r['late']} | {r['no_end']} "
            f"| {r['false_start']}/{r['noise_only_streams']} "
            f"| {'' if after is None else f'{after:.2f} s'} | {r['cpu_rtf']} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--limit", type=int, default=None, help="phrases per voice (default 60)")
    parser.add_argument("--detectors", default="energy,silero,micro", help="comma list")
    parser.add_argument("--out", type=Path, default=None, help="write the JSON result here")
    args = parser.parse_args(argv)
    result = run_vad(args.limit, [d.strip() for d in args.detectors.split(",") if d.strip()])
    if args.out:
        args.out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(markdown(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
