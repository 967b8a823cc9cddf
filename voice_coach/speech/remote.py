"""Speech by a Wyoming tts service (`voice = "wyoming://HOST:PORT"`), with Piper as fallback.

Wyoming's `synthesize` has no speaking rate, so a remote voice speaks at its
own pace. A sentence is fetched whole before it plays: when the service fails
half-way the embedded voice says all of it, never half twice.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator

from wyoming.audio import AudioChunk as WyomingChunk
from wyoming.audio import AudioChunkConverter, AudioStart, AudioStop
from wyoming.tts import Synthesize

from voice_coach.messages import AudioChunk, Speak
from voice_coach.remote import (
    NOTICES,
    REPLY_SECONDS,
    Connection,
    Notices,
    RemoteUnavailable,
    Switch,
)
from voice_coach.speech.output import SpeechOutput, Synthesizer
from voice_coach.speech.sentences import split_sentences

log = logging.getLogger(__name__)


class RemoteSynthesizer:
    """A Wyoming tts service as a `Synthesizer`. Raises `RemoteUnavailable` on any failure."""

    def __init__(self, host: str, port: int, reply_seconds: float = REPLY_SECONDS) -> None:
        self.host = host
        self.port = port
        self.reply_seconds = reply_seconds

    @property
    def voice_id(self) -> str:
        return f"wyoming:{self.host}:{self.port}"

    def load(self) -> float:
        return 0.0

    def render(self, text: str) -> list[AudioChunk]:
        converter = AudioChunkConverter(width=2)
        chunks: list[AudioChunk] = []
        with Connection(self.host, self.port, self.reply_seconds) as conn:
            conn.send(Synthesize(text=text).event())
            while True:
                event = conn.receive()
                if WyomingChunk.is_type(event.type):
                    piece = converter.convert(WyomingChunk.from_event(event))
                    chunks.append(AudioChunk(piece.audio, piece.rate, piece.channels))
                elif AudioStop.is_type(event.type):
                    return chunks
                elif not AudioStart.is_type(event.type) and event.type == "error":
                    raise RemoteUnavailable(f"{conn.where} refused: {event.data}")

    def synthesize(self, text: str, pace: float = 1.0) -> Iterator[AudioChunk]:
        for sentence in split_sentences(text):
            yield from self.render(sentence)


class FallbackSynthesizer:
    """The remote voice while it answers; the embedded Piper voice (loaded on demand) if not."""

    def __init__(
        self,
        remote: RemoteSynthesizer,
        make_local: Callable[[], Synthesizer],
        switch: Switch | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.remote = remote
        self._make_local = make_local
        self._local: Synthesizer | None = None
        self.switch = switch or Switch("voice", remote.host, remote.port)
        self._clock = clock
        self._lock = threading.Lock()

    @property
    def voice_id(self) -> str:
        return self.remote.voice_id

    def load(self) -> float:
        return 0.0

    def local(self) -> Synthesizer:
        if self._local is None:
            self._local = self._make_local()
        return self._local

    def synthesize(self, text: str, pace: float = 1.0) -> Iterator[AudioChunk]:
        for sentence in split_sentences(text):
            with self._lock:
                self.switch.maybe_back(self._clock())
                chunks: list[AudioChunk] | None = None
                if self.switch.remote:
                    try:
                        chunks = self.remote.render(sentence)
                    except RemoteUnavailable as problem:
                        self.switch.failed(problem, self._clock())
            if chunks is None:
                yield from self.local().synthesize(sentence, pace)
            else:
                yield from chunks


class AnnouncingSpeech(SpeechOutput):
    """Speech that first says any pending notice (a remote engine gone or back), once."""

    notices: Notices = NOTICES

    def say(self, speak: Speak, cancel: threading.Event | None = None) -> None:
        for notice in self.notices.take():
            super().say(Speak(notice, speak.pace, cacheable=False), cancel)
        super().say(speak, cancel)
