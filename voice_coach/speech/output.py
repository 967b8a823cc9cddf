"""Say things: from cache when possible, otherwise synthesise sentence by sentence while playing.

A producer thread renders sentences into a small queue; the speaker plays
from it. The first sentence is heard while the second is still being
synthesised, so a long reply starts as quickly as a short one.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass
from typing import Protocol

from voice_coach.audio_io.convert import split
from voice_coach.audio_io.ports import Speaker
from voice_coach.messages import AudioChunk, Speak
from voice_coach.speech.cache import PromptCache

log = logging.getLogger(__name__)


class Synthesizer(Protocol):
    """Text to audio. `PiperSynthesizer` is the real one."""

    def synthesize(self, text: str, pace: float = 1.0) -> Iterator[AudioChunk]: ...


@dataclass
class _Failure:
    error: BaseException


_END = object()


class SpeechOutput:
    """Turns `Speak` replies into sound on a `Speaker`."""

    def __init__(
        self,
        synthesizer: Synthesizer,
        speaker: Speaker,
        cache: PromptCache | None = None,
        queue_chunks: int = 2,
    ) -> None:
        self.synthesizer = synthesizer
        self.speaker = speaker
        self.cache = cache
        self.queue_chunks = queue_chunks
        """How many chunks may be rendered ahead of the one playing."""

    def say(self, speak: Speak, cancel: threading.Event | None = None) -> None:
        """Speak one reply; returns when it has been played (or soon after `cancel` is set)."""
        use_cache = self.cache is not None and speak.cacheable
        if use_cache and self.cache is not None:
            cached = self.cache.get(speak.text, speak.pace)
            if cached is not None:
                log.debug("cached prompt hit")
                self.speaker.play(_interruptible([cached], cancel))
                return
        rendered: list[AudioChunk] = []
        complete = threading.Event()
        stream = self._stream(speak, rendered, complete)
        try:
            self.speaker.play(_interruptible(stream, cancel))
        finally:
            stream.close()  # stops the producer if the speaker failed part-way
        if use_cache and self.cache is not None and complete.is_set() and rendered:
            try:
                self.cache.put(speak.text, speak.pace, rendered)
            except OSError as exc:
                log.warning("could not cache a rendered prompt: %s", exc)

    def render(self, speak: Speak) -> list[AudioChunk]:
        """The audio for a reply without playing it (cached when allowed), e.g. for `say --out`."""
        if self.cache is not None and speak.cacheable:
            cached = self.cache.get(speak.text, speak.pace)
            if cached is not None:
                return [cached]
        chunks = list(self.synthesizer.synthesize(speak.text, speak.pace))
        if self.cache is not None and speak.cacheable and chunks:
            self.cache.put(speak.text, speak.pace, chunks)
        return chunks

    def _stream(
        self, speak: Speak, rendered: list[AudioChunk], complete: threading.Event
    ) -> Generator[AudioChunk, None, None]:
        """Chunks from a producer thread, in order; errors in the thread re-raise here."""
        pipe: queue.Queue[object] = queue.Queue(maxsize=self.queue_chunks)
        stop = threading.Event()

        def put(item: object) -> bool:
            while not stop.is_set():
                try:
                    pipe.put(item, timeout=0.1)
                    return True
                except queue.Full:
                    continue
            return False

        def produce() -> None:
            try:
                for chunk in self.synthesizer.synthesize(speak.text, speak.pace):
                    if not put(chunk):
                        return
                put(_END)
            except BaseException as exc:  # handed to the consumer, which re-raises it
                put(_Failure(exc))

        producer = threading.Thread(target=produce, name="tts-producer", daemon=True)
        producer.start()
        try:
            while True:
                item = pipe.get()
                if item is _END:
                    complete.set()
                    return
                if isinstance(item, _Failure):
                    raise item.error
                if isinstance(item, AudioChunk):
                    rendered.append(item)
                    yield item
        finally:
            stop.set()
            producer.join(timeout=5.0)


INTERRUPT_SECONDS = 0.1
"""With barge-in, audio is handed to the speaker in pieces this long, so "stop" cuts in fast."""


def _interruptible(
    chunks: Iterable[AudioChunk], cancel: threading.Event | None
) -> Iterator[AudioChunk]:
    """The chunks as they are, or (with `cancel`) in short pieces that stop once it is set."""
    if cancel is None:
        yield from chunks
        return
    for chunk in chunks:
        for piece in split(chunk, INTERRUPT_SECONDS):
            if cancel.is_set():
                return
            yield piece
