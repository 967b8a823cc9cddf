"""One line on stderr when a cache is built for the first time: a slow first start is not silent.

The caches under `Paths.cache_dir` (the matcher's index, the crisis second
opinion, the recognizers' sentence lists, command LMs and compiled grammars)
are built on first use after installing, or after the templates change; that
costs seconds here and several times more on a Raspberry Pi. Each kind is
announced once per process, with the time it takes on this project's 2-core
machine (`python -m benchmarks --only startup`, "cold").
"""

from __future__ import annotations

import sys
import threading

UNDERSTANDING = ("the understanding index", 1.0)
"""The matcher's index: `Understanding.load()` with the cache emptied, 1.0-1.3 s."""
SAFETY = ("the safety check", 2.0)
"""Training the crisis second opinion: about 2 s (`crisis/learned.py`)."""
SPEECH = ("the speech grammar", 2.0)
"""Sentence list, command LM and grammars of the first listen: 1.8 s (`benchmarks.memory`)."""

_said: set[str] = set()
_lock = threading.Lock()


def preparing(what: tuple[str, float]) -> None:
    """Say once per process that `what` (name, seconds here) is being built for first use."""
    name, seconds = what
    with _lock:
        if name in _said:
            return
        _said.add(name)
    print(
        f"Preparing {name} for first use (about {max(1, round(seconds))} s)…",
        file=sys.stderr,
        flush=True,
    )
