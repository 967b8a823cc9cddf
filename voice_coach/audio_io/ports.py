"""The narrow interfaces the app sees: a microphone yields chunks, a speaker plays them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Protocol

from voice_coach.messages import AudioChunk

RECOGNIZER_RATE = 16000
"""Microphones deliver 16 kHz mono: what every speech recognizer here expects."""


class Microphone(Protocol):
    """A source of 16 kHz mono chunks; open it with `with`, then iterate `chunks()`."""

    def __enter__(self) -> Microphone: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def chunks(self) -> Iterator[AudioChunk]:
        """Captured audio in order, as it arrives; ends when the source ends or is closed."""
        ...


class Speaker(Protocol):
    """Somewhere to play audio: a sound card, a recording (tests), a file."""

    def play(self, chunks: Iterable[AudioChunk]) -> None:
        """Play the chunks in order (any rate); return once they have been heard.

        Chunks may be produced lazily while earlier ones play: that is how speech
        streams sentence by sentence.
        """
        ...
