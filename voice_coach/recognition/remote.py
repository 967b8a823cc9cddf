"""Recognition by a Wyoming asr service (Whisper, Speech-to-Phrase, another Voice Coach).

`RemoteRecognizer` streams each utterance as `transcribe` + `audio-start`/
`audio-chunk`/`audio-stop` and reads the `transcript`. Its transcribe context
carries the state's grammar ({"voice_coach": {"mode", "phrases", ...}}): another
Voice Coach's `serve` decodes with it, other services ignore it.

`FallbackRecognizer` keeps the coach hearing when that service is gone: the
utterance's audio is kept, so one the server dropped half-way is decoded again
by the embedded engine, not lost.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Sequence
from typing import Any

from wyoming.asr import Transcribe
from wyoming.asr import Transcript as WyomingTranscript
from wyoming.audio import AudioChunk, AudioStart, AudioStop

from voice_coach.messages import Transcript, WordGraph
from voice_coach.recognition import Mode, Recognizer
from voice_coach.remote import REPLY_SECONDS, Connection, RemoteUnavailable, Switch

RATE = 16000


class RemoteRecognizer:
    """A Wyoming asr service as a `Recognizer`. Raises `RemoteUnavailable` on any failure."""

    name = "wyoming"

    def __init__(self, host: str, port: int, reply_seconds: float = REPLY_SECONDS) -> None:
        self.host = host
        self.port = port
        self.reply_seconds = reply_seconds
        self._context: dict[str, Any] = {}
        self._conn: Connection | None = None

    def set_mode(
        self,
        mode: Mode,
        phrases: Sequence[str] = (),
        never_reject: Collection[str] = (),
        graph: WordGraph | None = None,
    ) -> None:
        self._context = {"voice_coach": {
            "mode": mode, "phrases": list(phrases), "never_reject": list(never_reject),
        }}

    def accept(self, chunk: bytes) -> Transcript | None:
        if self._conn is None:
            self._conn = Connection(self.host, self.port, self.reply_seconds)
            self._conn.send(
                Transcribe(language="en", context=self._context).event(),
                AudioStart(rate=RATE, width=2, channels=1).event(),
            )
        self._conn.send(AudioChunk(rate=RATE, width=2, channels=1, audio=chunk).event())
        return None

    def finish(self) -> Transcript:
        conn, self._conn = self._conn, None
        if conn is None:
            return Transcript("", engine=self.name)
        with conn:
            conn.send(AudioStop().event())
            while True:
                event = conn.receive()
                if WyomingTranscript.is_type(event.type):
                    text = WyomingTranscript.from_event(event).text or ""
                    return Transcript(" ".join(text.lower().split()), engine=self.name)

    def reset(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()


class FallbackRecognizer:
    """The remote recognizer while it answers, the embedded one (made on demand) when not."""

    def __init__(
        self,
        remote: RemoteRecognizer,
        make_local: Callable[[], Recognizer],
        switch: Switch | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.remote = remote
        self._make_local = make_local
        self._local: Recognizer | None = None
        self.switch = switch or Switch("speech recognizer", remote.host, remote.port)
        self._clock = clock
        self._mode: tuple[Mode, Sequence[str], Collection[str], WordGraph | None] = (
            "dictation", (), (), None
        )
        self._audio = bytearray()
        self.name = remote.name
        """Which engine heard the last utterance ("wyoming" or the embedded one's name)."""

    def local(self) -> Recognizer:
        if self._local is None:
            self._local = self._make_local()
            self._local.set_mode(*self._mode)
        return self._local

    def set_mode(
        self,
        mode: Mode,
        phrases: Sequence[str] = (),
        never_reject: Collection[str] = (),
        graph: WordGraph | None = None,
    ) -> None:
        self._mode = (mode, phrases, never_reject, graph)
        self.remote.set_mode(mode, phrases, never_reject)
        if self._local is not None:
            self._local.set_mode(mode, phrases, never_reject, graph)

    def accept(self, chunk: bytes) -> Transcript | None:
        self._audio.extend(chunk)
        if self.switch.remote:
            try:
                return self.remote.accept(chunk)
            except RemoteUnavailable as problem:
                self._fall_back(problem)
                return None
        return self.local().accept(chunk)

    def finish(self) -> Transcript:
        try:
            if self.switch.remote:
                try:
                    return self.remote.finish()
                except RemoteUnavailable as problem:
                    self._fall_back(problem)
            return self.local().finish()
        finally:
            self._audio.clear()

    def reset(self) -> None:
        self._audio.clear()
        self.remote.reset()
        if self._local is not None:
            self._local.reset()
        self.switch.maybe_back(self._clock())
        if self.switch.remote:
            self.name = self.remote.name

    def _fall_back(self, problem: RemoteUnavailable) -> None:
        """Hand the utterance so far to the embedded engine."""
        self.remote.reset()
        self.switch.failed(problem, self._clock())
        local = self.local()
        self.name = local.name
        local.reset()
        audio = bytes(self._audio)
        step = 3200
        for start in range(0, len(audio), step):
            local.accept(audio[start : start + step])
