"""Section 1: real human speech — the Picovoice speech-to-intent benchmark, if it is here."""

from __future__ import annotations

from typing import Any

from benchmarks.common import Progress, RunSize, available_engines

QUICK_LIMIT = 10
QUICK_SNRS: tuple[float | None, ...] = (None, 12)
FULL_SNRS: tuple[float | None, ...] = (None, 24, 21, 18, 15, 12, 9, 6)


def run_realspeech(size: RunSize) -> dict[str, Any]:
    """`run_picovoice` for every engine with an English model; "not available" without the data.

    The section keeps PocketSphinx's result at the top (the embedded default) and
    adds each further engine's result under `others`, so a machine with a Vosk
    English model installed reports both side by side. The rejection check is
    on, as the coach runs it: an order it rejects counts as missed.
    """
    try:
        from benchmarks.picovoice.data import DATA_DIR
        from benchmarks.picovoice.run import run_picovoice
    except ImportError as exc:
        return {"not_available": f"benchmarks.picovoice cannot be imported ({exc})"}
    if not (DATA_DIR / "labels.json").is_file():
        return {"not_available": f"the Picovoice recordings are not in {DATA_DIR}"}
    snrs = QUICK_SNRS if size.quick else FULL_SNRS
    limit = size.cap(QUICK_LIMIT if size.quick else None)
    engines, skipped = available_engines()
    results = []
    for engine in engines:
        bar: list[Progress] = []

        def progress(
            done: int, total: int, bar: list[Progress] = bar, label: str = f"picovoice/{engine}"
        ) -> None:
            if not bar:
                bar.append(Progress(label, total))
            bar[0](done - bar[0].done)

        results.append(
            run_picovoice(
                engine,
                snrs,
                limit,
                progress,
                workers=size.workers,
                front_end=size.front_end,
                verify=True,
            )
        )
        if bar:
            bar[0].close()
    section: dict[str, Any] = results[0]
    section["others"] = results[1:]
    section["engines_skipped"] = skipped
    return section
