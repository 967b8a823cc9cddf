"""Small helpers every section shares: run sizes, the audio cache, progress and statistics."""

from __future__ import annotations

import math
import os
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

LIMIT_ENV = "VOICE_COACH_BENCH_LIMIT"
"""Caps every section's item count (tests use a tiny value)."""
CACHE_ENV = "VOICE_COACH_BENCH_CACHE"
"""Where rendered and noisy speech is kept between runs (not committed)."""
ROOT = Path(__file__).resolve().parent


@dataclass(frozen=True)
class RunSize:
    """How much each section does: `--quick` and `--limit` shrink it."""

    quick: bool
    limit: int | None
    """At most this many items per section (phrases, turns, Picovoice files); None = all."""
    workers: int = 2
    """Worker processes for the recognition-heavy sections."""
    crisis: bool = False
    """`--crisis`: the domain section on every crisis phrase plus a spread of the others."""
    targets: bool = False
    """`--targets`: the domain section on issue 10's target cells only, in command mode."""
    front_end: str | None = None
    """`settings.front_end` for the recognition sections (None = the coach's default);
    "NAME:MIX" also sets `settings.raw_mix` (see `front_end_settings`)."""

    @property
    def tiny(self) -> bool:
        """A smoke run (tests): each section does the least that still fills its report."""
        return self.limit is not None and self.limit <= 3

    def cap(self, wanted: int | None) -> int | None:
        """The smaller of a section's own size and the global limit."""
        if self.limit is None:
            return wanted
        return self.limit if wanted is None else min(wanted, self.limit)


def front_end_settings(spec: str | None) -> dict[str, object]:
    """Settings keys for a benchmark's `--front-end`: "rnnoise", or "rnnoise:0.4" with a raw mix.

    The coach reads the same two keys (`front_end`, `raw_mix`) from its settings file,
    so a measured candidate is exactly what a person can choose.
    """
    if not spec:
        return {}
    name, _, mix = spec.partition(":")
    keys: dict[str, object] = {"front_end": name}
    if mix:
        try:
            keys["raw_mix"] = float(mix)
        except ValueError:
            raise ValueError(f"{spec!r}: the raw mix after ':' must be a number") from None
    return keys


def cache_root() -> Path:
    """`$VOICE_COACH_BENCH_CACHE`, else `~/.cache/voice-coach-bench`."""
    env = os.environ.get(CACHE_ENV)
    base = Path(env) if env else Path.home() / ".cache" / "voice-coach-bench"
    base.mkdir(parents=True, exist_ok=True)
    return base


class Progress:
    """A one-line progress bar on stderr, redrawn at most every 0.2 s."""

    def __init__(self, label: str, total: int, width: int = 30) -> None:
        self.label = label
        self.total = max(total, 1)
        self.width = width
        self.done = 0
        self._started = time.monotonic()
        self._drawn = 0.0

    def __call__(self, step: int = 1) -> None:
        self.done += step
        now = time.monotonic()
        if now - self._drawn >= 0.2 or self.done >= self.total:
            self._drawn = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        frac = min(self.done / self.total, 1.0)
        bar = "#" * int(frac * self.width)
        elapsed = now - self._started
        sys.stderr.write(
            f"\r{self.label:<14} [{bar:<{self.width}}] {self.done}/{self.total} {elapsed:5.0f} s"
        )
        if self.done >= self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    def close(self) -> None:
        if self.done < self.total:
            sys.stderr.write("\n")
            sys.stderr.flush()


def percentile(values: Sequence[float], q: float) -> float:
    """The q-th percentile (0-100) by linear interpolation; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    pos = (len(ordered) - 1) * q / 100
    low = math.floor(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


def summary_ms(seconds: Sequence[float]) -> dict[str, float | int]:
    """p50/p95/mean in milliseconds, rounded, plus the sample count."""
    if not seconds:
        return {"n": 0}
    ms = [s * 1000 for s in seconds]
    return {
        "n": len(ms),
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "mean_ms": round(statistics.fmean(ms), 1),
    }


def peak_rss_mb() -> float:
    """This process's peak resident memory (VmHWM) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return math.nan


def available_engines() -> tuple[list[str], dict[str, str]]:
    """Engines with an English model here, and why the others are left out."""
    from voice_coach.paths import resolve_paths
    from voice_coach.recognition.select import vosk_model_path
    from voice_coach.settings import Settings

    skipped: dict[str, str] = {}
    engines = ["pocketsphinx"]
    model = vosk_model_path(Settings(), resolve_paths())
    if model is not None and model.is_dir():
        engines.append("vosk")
    else:
        skipped["vosk"] = "no English Vosk model installed (none can be downloaded here)"
    return engines, skipped
