"""The microphone and the speaker of one conversation, taking turns.

Half-duplex by default: while the coach speaks the gate keeps the microphone
shut, so the coach never hears itself. With barge-in (an echo-cancelled
microphone) speech plays in a background thread while the microphone is
polled for an interruption. Listening turns the chunk stream into one
utterance fed to a decoder as it arrives (`listening.stream_utterance`).
"""

from __future__ import annotations

import itertools
import math
import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TypeVar

from voice_coach.audio_io.earcons import earcon
from voice_coach.audio_io.gate import HalfDuplexGate
from voice_coach.audio_io.listening import AudioSink, EndEarly, stream_utterance
from voice_coach.audio_io.ports import Microphone, Speaker
from voice_coach.audio_io.speech_detector import SpeechDetector
from voice_coach.audio_io.vad import Endpointer, EndpointerConfig, NoSpeech, UtteranceComplete
from voice_coach.messages import AudioChunk

T = TypeVar("T")
"""What `play_interruptibly`'s listener returns (None: nothing interrupted)."""

NO_SPEECH_CAP = 30.0
"""Seconds: an endless wait (`math.inf`) still returns this often, so the caller can look up."""


class Duplex:
    """Open with `with duplex.open(microphone):`, then `hear()` and `speaking()`."""

    def __init__(
        self, gate: HalfDuplexGate | None = None, detector: SpeechDetector | None = None
    ) -> None:
        self.gate = gate or HalfDuplexGate()
        self.detector = detector
        """One detector for every turn, reset at each (a learned one forgets its state; the
        energy one keeps its noise floor, so later turns start adapted to the room). None:
        each turn's endpointer makes a fresh energy detector."""
        self.chunks: Iterator[AudioChunk] | None = None
        """The microphone's chunks, captured while the gate was open (set by `open`)."""
        self._tail: deque[AudioChunk] = deque()
        """The end of a wait that heard nothing: the next wait starts with it, so a word
        begun right at a timeout keeps its first sound ("stop" was heard as "up please"
        when barge-in's short waits cut it)."""

    @contextmanager
    def open(self, microphone: Microphone) -> Iterator[None]:
        with microphone as mic:
            self.chunks = self.gate.filter(mic.chunks())
            yield

    def speaking(self) -> AbstractContextManager[None]:
        """`with duplex.speaking():` around playback: the microphone is shut meanwhile."""
        self._tail.clear()  # what came before the coach spoke belongs to no later turn
        return self.gate.speaking()

    def earcon(self, speaker: Speaker, name: str) -> None:
        """Play a short tone ("listening", "got_it") without hearing it."""
        with self.speaking():
            speaker.play([earcon(name)])

    def hear(
        self,
        sink: AudioSink,
        silence_timeout: float,
        no_speech_timeout: float,
        end_early: EndEarly | None = None,
    ) -> UtteranceComplete | NoSpeech | None:
        """One utterance fed to `sink`; `NoSpeech` after the timeout; None when the mic ends."""
        if self.chunks is None:
            raise RuntimeError("the microphone is not open")
        endpointer = Endpointer(
            EndpointerConfig(
                silence_timeout=silence_timeout,
                no_speech_timeout=(
                    no_speech_timeout if math.isfinite(no_speech_timeout) else NO_SPEECH_CAP
                ),
            ),
            self.detector,
        )
        carried, self._tail = list(self._tail), deque()
        keep = endpointer.config.preroll
        result = stream_utterance(
            itertools.chain(carried, self._recording(self.chunks, keep)), endpointer, sink,
            end_early,
        )
        if not isinstance(result, NoSpeech):
            self._tail.clear()
        return result

    def _recording(self, chunks: Iterator[AudioChunk], seconds: float) -> Iterator[AudioChunk]:
        """`chunks`, keeping the last `seconds` of them in `_tail`."""
        held = 0.0
        for chunk in chunks:
            self._tail.append(chunk)
            held += chunk.seconds
            while len(self._tail) > 1 and held - self._tail[0].seconds >= seconds:
                held -= self._tail.popleft().seconds
            yield chunk


def play_interruptibly(
    play: Callable[[threading.Event], None], listen: Callable[[], T]
) -> T | None:
    """Run `play(cancel)` in a background thread while `listen()` is called over and over.

    The first thing `listen()` returns (not None) sets `cancel` (playback
    stops at its next chunk) and is returned; None when playback ended
    uninterrupted. An error in playback is raised here, in the caller's thread.
    """
    cancel = threading.Event()
    failure: list[BaseException] = []

    def player() -> None:
        try:
            play(cancel)
        except BaseException as exc:  # re-raised in the caller's thread
            failure.append(exc)

    thread = threading.Thread(target=player, name="speech", daemon=True)
    thread.start()
    interruption: T | None = None
    while thread.is_alive() and interruption is None:
        interruption = listen()
        if interruption is not None:
            cancel.set()
    thread.join()
    if failure:
        raise failure[0]
    return interruption
