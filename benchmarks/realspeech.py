"""Section 1: real human speech — the Picovoice speech-to-intent benchmark, if it is here."""

from __future__ import annotations

from typing import Any

from benchmarks.common import Progress, RunSize

QUICK_LIMIT = 10
QUICK_SNRS: tuple[float | None, ...] = (None, 12)
FULL_SNRS: tuple[float | None, ...] = (None, 24, 21, 18, 15, 12, 9, 6)


def run_realspeech(size: RunSize) -> dict[str, Any]:
    """`benchmarks.picovoice.run.run_picovoice` with a progress bar; "not available" without it."""
    try:
        from benchmarks.picovoice.run import run_picovoice
    except ImportError as exc:
        return {"not_available": f"benchmarks.picovoice cannot be imported ({exc})"}
    snrs = QUICK_SNRS if size.quick else FULL_SNRS
    limit = size.cap(QUICK_LIMIT if size.quick else None)
    bar: list[Progress] = []

    def progress(done: int, total: int) -> None:
        if not bar:
            bar.append(Progress("picovoice", total))
        bar[0](done - bar[0].done)

    result: dict[str, Any] = run_picovoice("pocketsphinx", snrs, limit, progress)
    if bar:
        bar[0].close()
    return result
