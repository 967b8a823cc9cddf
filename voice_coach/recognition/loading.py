"""A recognizer that loads on first use, so the greeting need not wait for the decoders.

Loading PocketSphinx's two decoders and building the first grammar is most of
what `voice-coach run` used to do before it could say hello. The voice loop
calls `load()` in a background thread while the greeting plays; whatever
touches the recognizer first (normally that thread) waits for the load, and a
load that failed raises its error to every caller, not only the thread's.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Sequence

from voice_coach.messages import Transcript, WordGraph
from voice_coach.recognition import Mode, Recognizer


class LoadingRecognizer:
    """Behaves as the recognizer `factory` returns; `factory` runs once, on first need."""

    def __init__(self, factory: Callable[[], Recognizer]) -> None:
        self._factory = factory
        self._lock = threading.Lock()
        self._inner: Recognizer | None = None
        self._error: BaseException | None = None

    def load(self) -> Recognizer:
        """The loaded recognizer (loading it now if nobody has yet)."""
        with self._lock:
            if self._inner is None:
                if self._error is not None:
                    raise self._error
                try:
                    self._inner = self._factory()
                except BaseException as exc:
                    self._error = exc
                    raise
            return self._inner

    @property
    def loaded(self) -> bool:
        return self._inner is not None

    @property
    def name(self) -> str:
        return self.load().name

    @name.setter
    def name(self, value: str) -> None:
        self.load().name = value

    def set_mode(
        self,
        mode: Mode,
        phrases: Sequence[str] = (),
        never_reject: Collection[str] = (),
        graph: WordGraph | None = None,
    ) -> None:
        self.load().set_mode(mode, phrases, never_reject, graph)

    def accept(self, chunk: bytes) -> Transcript | None:
        return self.load().accept(chunk)

    def finish(self) -> Transcript:
        return self.load().finish()

    def reset(self) -> None:
        self.load().reset()
