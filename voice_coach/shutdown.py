"""Ctrl-C and SIGTERM at any moment end the coach cleanly: exercise closed, journal intact.

Both signals raise `KeyboardInterrupt` in the main thread, so every `finally`
runs (the open exercise is closed as stopped, the journal is closed). Two
things make "any moment" true:

- A signal that arrives inside `deferred()` (a journal statement holding its
  lock) waits until the block ends, so it never leaves the lock taken (the
  hang seen when Ctrl-C landed between acquiring the lock and its `try`).
- After the first signal, cleanup is not interrupted again by the same
  kind of signal repeated; a signal of the other kind, or a third one, exits
  at once (`os._exit`), for a person who really wants out. Every answer
  was committed when it was acknowledged, so nothing is lost either way.

`install()` is called first thing by the command line (never on import,
so tests and library users keep their own handlers).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from types import FrameType

EXIT_CODES = {signal.SIGINT: 130, signal.SIGTERM: 0}
"""Ctrl-C exits 130 like any shell command; SIGTERM (systemd stop, shutdown) is a normal end."""

_state = {"depth": 0, "pending": 0, "received": 0, "count": 0}


def _handler(signum: int, frame: FrameType | None) -> None:
    _state["count"] += 1
    if _state["received"]:
        if signum != _state["received"] or _state["count"] >= 3:
            os._exit(EXIT_CODES.get(signal.Signals(signum), 1))
        return  # the same signal again while cleaning up: let the cleanup finish
    if threading.current_thread() is threading.main_thread() and _state["depth"]:
        _state["pending"] = signum
        return
    _state["received"] = signum
    raise KeyboardInterrupt


def install() -> None:
    """Route SIGINT and SIGTERM through `_handler` (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        return
    for signum in EXIT_CODES:
        signal.signal(signum, _handler)


def finished(code: int) -> int:
    """The command is over with `code`: later signals are ignored (no late traceback).

    After a stop signal the process leaves through `os._exit` once output is
    flushed: the cleanup has run, and CPython would otherwise turn the
    KeyboardInterrupt it saw into a death by SIGINT (exit status -2 even for
    SIGTERM, seen about once in 20 stops under load).
    """
    if threading.current_thread() is threading.main_thread():
        for signum in EXIT_CODES:
            signal.signal(signum, signal.SIG_IGN)
    if stopping():
        import logging  # here, not at the top: this module loads before anything else

        logging.shutdown()
        for stream in (sys.stdout, sys.stderr):
            with suppress(OSError, ValueError):
                stream.flush()
        os._exit(code)
    return code


def exit_code() -> int:
    """What the process should exit with after a `KeyboardInterrupt`."""
    received = _state["received"] or signal.SIGINT
    return EXIT_CODES.get(signal.Signals(received), 130)


def stopping() -> bool:
    """True once a stop signal has been received."""
    return bool(_state["received"])


@contextmanager
def deferred() -> Iterator[None]:
    """Hold a stop signal until the block ends (used around journal statements)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _state["depth"] += 1
    try:
        yield
    finally:
        _state["depth"] -= 1
        pending = _state["pending"]
        if pending and not _state["depth"] and not _state["received"]:
            _state["pending"] = 0
            _state["received"] = pending
            raise KeyboardInterrupt


def say_stopped() -> None:
    """The one line a person sees after stopping the coach."""
    with suppress(OSError, ValueError):
        print("\nVoice Coach stopped. Everything you said is saved.", file=sys.stderr, flush=True)
