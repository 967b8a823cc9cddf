"""`voice-coach voice warm` on every core it may use: worker processes render the prompts.

Rendering the ~360 fixed prompts one after the other took minutes with nothing
on screen. Each worker process loads its own copy of the voice (ONNX Runtime
runs one session's small graph on one or two threads well, not on more) and
writes finished prompts straight into the cache, whose writes are atomic, so
an interrupted warm keeps what it finished. The caller is told after every
prompt, for a progress bar with an ETA.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path

from voice_coach.speech.cache import PromptCache
from voice_coach.speech.piper_voice import PiperSynthesizer
from voice_coach.speech.warm import WarmResult

MAX_WORKERS = 2
"""Each worker holds a voice (~150-250 MB resident): two keep a 1 GB Pi 4 out of swap."""

_worker: dict[str, object] = {}


def worker_plan(cores: int | None = None) -> tuple[int, int]:
    """(worker processes, ONNX Runtime threads each): every core busy, at most MAX_WORKERS."""
    cores = cores or os.cpu_count() or 1
    workers = max(1, min(MAX_WORKERS, cores))
    return workers, max(1, min(2, cores // workers))


def pending(texts: Iterable[str], cache: PromptCache, pace: float) -> tuple[list[str], int]:
    """(texts still to render, longest first; how many are cached already), duplicates once."""
    todo: list[str] = []
    already = 0
    for text in dict.fromkeys(t for t in texts if t):
        if (text, pace) in cache:
            already += 1
        else:
            todo.append(text)
    return sorted(todo, key=len, reverse=True), already


def _start_worker(voice: str, folder: str, voice_id: str, threads: int) -> None:
    synthesizer = PiperSynthesizer.from_setting(voice)
    synthesizer.threads = threads
    synthesizer.load()
    _worker["voice"] = synthesizer
    _worker["cache"] = PromptCache(Path(folder), voice_id)


def _render(text: str, pace: float) -> bool:
    synthesizer = _worker["voice"]
    cache = _worker["cache"]
    assert isinstance(synthesizer, PiperSynthesizer) and isinstance(cache, PromptCache)
    chunks = list(synthesizer.synthesize(text, pace))
    return bool(chunks) and cache.put(text, pace, chunks) is not None


def warm_in_parallel(
    texts: list[str],
    voice: str,
    cache: PromptCache,
    pace: float,
    done: Callable[[str], None] | None = None,
    plan: tuple[int, int] | None = None,
) -> WarmResult:
    """Render every text of `texts` not yet in `cache` with the voice `voice` names.

    `texts` should come from `pending()` (longest first keeps the workers evenly
    busy at the end); `done(text)` is called in this process as each finishes.
    """
    workers, threads = plan or worker_plan()
    rendered = 0
    if not texts:
        return WarmResult(0, 0)
    # "spawn": a worker never inherits this process's threads or a half-loaded library.
    with ProcessPoolExecutor(
        max_workers=min(workers, len(texts)),
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_start_worker,
        initargs=(voice, str(cache.folder), cache.voice_id, threads),
    ) as pool:
        futures = {pool.submit(_render, text, pace): text for text in texts}
        try:
            for future in as_completed(futures):
                rendered += int(future.result())
                if done is not None:
                    done(futures[future])
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return WarmResult(rendered, 0)
