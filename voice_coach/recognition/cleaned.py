"""A recognizer behind the audio front end: every chunk is cleaned before it is decoded.

`create_recognizer` wraps the engine in this whenever `settings.front_end`
is not "none", so the voice loop, `voice-coach recognize`, the Wyoming
server and the benchmarks all hear through the same front end.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from voice_coach.audio_io.front_end import FrontEnd
from voice_coach.messages import Transcript, WordGraph
from voice_coach.recognition import Mode, Recognizer


class CleanedRecognizer:
    """`Recognizer` that passes audio through a `FrontEnd` first."""

    def __init__(self, inner: Recognizer, front_end: FrontEnd) -> None:
        self.inner = inner
        self.front_end = front_end
        self.name = inner.name

    def set_mode(
        self,
        mode: Mode,
        phrases: Sequence[str] = (),
        never_reject: Collection[str] = (),
        graph: WordGraph | None = None,
    ) -> None:
        self.inner.set_mode(mode, phrases, never_reject, graph)

    def accept(self, chunk: bytes) -> Transcript | None:
        cleaned = self.front_end.process(chunk)
        return self.inner.accept(cleaned) if cleaned else None

    def finish(self) -> Transcript:
        tail = self.front_end.flush()
        if tail:
            self.inner.accept(tail)
        return self.inner.finish()

    def reset(self) -> None:
        self.front_end.flush()
        self.inner.reset()
