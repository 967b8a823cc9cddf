"""Decode many utterances in parallel so that a run gives the same figures every time.

Recognizers carry state from one utterance to the next: PocketSphinx's running
cepstral mean adapts to whatever it heard last. With `Pool.imap_unordered`,
which utterances a worker decodes before a given one depends on scheduling, and
a repeated run of the domain section moved by 1-4 points. Here each worker takes
one fixed, contiguous share of the tasks, in order, in a fresh process, so the
history behind every utterance is the same from run to run.

The Picovoice section's score depends so much on what a worker heard before
(the first 40 recordings at 6 dB: 4 right when clean and noisy versions
alternate in one process, 13 as the 2026-11-26 full run decoded them) that it
uses `run_pieces` with one piece per condition: each noise level is decoded
by its own fresh process, recordings in name order, so every utterance
follows the same utterances at the same level, whatever the scheduling.
"""

from __future__ import annotations

import functools
import multiprocessing
import queue
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_progress: Any = None


def _start(
    progress: Any, initializer: Callable[..., None] | None, initargs: tuple[Any, ...]
) -> None:
    global _progress
    _progress = progress
    if initializer is not None:
        initializer(*initargs)


def _run_share(run_one: Callable[[T], R], share: Sequence[T]) -> list[R]:
    results = []
    for task in share:
        results.append(run_one(task))
        if _progress is not None:
            _progress.put(1)
    return results


def shares(tasks: Sequence[T], workers: int) -> list[Sequence[T]]:
    """`tasks` cut into at most `workers` contiguous pieces of near-equal size."""
    count = max(1, min(workers, len(tasks)))
    size, extra = divmod(len(tasks), count)
    pieces, start = [], 0
    for index in range(count):
        end = start + size + (index < extra)
        pieces.append(tasks[start:end])
        start = end
    return [p for p in pieces if p]


def run_in_shares(
    tasks: Sequence[T],
    run_one: Callable[[T], R],
    workers: int,
    *,
    method: str = "spawn",
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
    progress: Callable[[int], None] | None = None,
) -> list[R]:
    """`[run_one(t) for t in tasks]`, computed by `workers` processes; `progress(done)` as it goes.

    `run_one` and `initializer` must be module-level functions (they are sent to
    the workers by name). An exception in a worker is raised here.
    """
    return run_pieces(
        shares(tasks, workers),
        run_one,
        workers,
        method=method,
        initializer=initializer,
        initargs=initargs,
        progress=progress,
    )


def run_pieces(
    pieces: Sequence[Sequence[T]],
    run_one: Callable[[T], R],
    workers: int,
    *,
    method: str = "spawn",
    initializer: Callable[..., None] | None = None,
    initargs: tuple[Any, ...] = (),
    progress: Callable[[int], None] | None = None,
) -> list[R]:
    """Each piece decoded in order by its own fresh process, `workers` processes at a time.

    Results come back piece after piece, in order; `progress(done)` counts tasks.
    """
    pieces = [p for p in pieces if p]
    if not pieces:
        return []
    tasks = [t for piece in pieces for t in piece]
    context = multiprocessing.get_context(method)
    done_queue = context.Queue()
    with context.Pool(
        max(1, min(workers, len(pieces))),
        _start,
        (done_queue, initializer, initargs),
        maxtasksperchild=1,
    ) as pool:
        pending = pool.map_async(functools.partial(_run_share, run_one), pieces, chunksize=1)
        done = 0
        while done < len(tasks) and not pending.ready():
            try:
                done_queue.get(timeout=0.5)
            except queue.Empty:
                continue
            done += 1
            if progress is not None:
                progress(done)
        results = pending.get()
    if progress is not None:
        progress(len(tasks))
    return [result for piece in results for result in piece]
