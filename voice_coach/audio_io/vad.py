"""Voice activity detection and endpointing: when did the person start and stop talking?

Each 30 ms frame is classified by a `SpeechDetector` (audio_io/speech_detector.py:
energy with an adaptive noise floor, or a learned detector, `settings.vad`).
Pure logic over 16 kHz mono chunks, so time here is audio time (samples
counted), never the wall clock.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from voice_coach.audio_io.convert import AudioConverter, to_float, to_mono
from voice_coach.audio_io.ports import RECOGNIZER_RATE
from voice_coach.audio_io.speech_detector import EnergyDetector, SpeechDetector
from voice_coach.messages import AudioChunk
from voice_coach.settings import Settings


@dataclass(frozen=True)
class EndpointerConfig:
    """How eagerly speech is detected and how long a pause ends it."""

    silence_timeout: float = 0.8
    """Seconds of non-speech that end an utterance (`settings.silence_timeout`)."""
    no_speech_timeout: float = 20.0
    """Seconds without any speech before giving up (`settings.answer_timeout`)."""
    max_utterance: float = 30.0
    """An utterance is cut here even if the person keeps talking (or the TV does)."""
    preroll: float = 0.3
    """Seconds kept from before speech was detected, so first syllables survive."""
    min_speech: float = 0.09
    """Speech must last this long to count: clicks and bumps do not start an utterance."""
    frame_seconds: float = 0.03
    threshold_db: float = 10.0
    """How far above the noise floor a frame must be to count as speech."""
    min_speech_dbfs: float = -50.0
    """Nothing quieter than this is speech, however quiet the room."""
    floor_rise_db_per_second: float = 1.0
    """How fast the noise floor follows a room that gets louder (it falls at once)."""


def config_from(settings: Settings, no_speech_timeout: float | None = None) -> EndpointerConfig:
    """The endpointer settings a person chose (`silence_timeout`, `answer_timeout`)."""
    return EndpointerConfig(
        silence_timeout=settings.silence_timeout,
        no_speech_timeout=(
            settings.answer_timeout if no_speech_timeout is None else no_speech_timeout
        ),
    )


class VadState(StrEnum):
    WAITING = "waiting"
    """Listening for speech to begin."""
    SPEAKING = "speaking"
    """Collecting an utterance."""
    DONE = "done"
    """An utterance or a timeout was reported; call `reset()` to listen again."""


@dataclass(frozen=True)
class SpeechStarted:
    """The person began to speak."""

    at: float
    """Seconds of audio since listening began."""


@dataclass(frozen=True)
class UtteranceComplete:
    """The person stopped (or hit the maximum length); here is what they said."""

    audio: AudioChunk
    """16 kHz mono, from the pre-roll to the end of the trailing silence."""
    started_at: float
    """Seconds of audio since listening began when speech started."""
    truncated: bool = False
    """True when `max_utterance` cut the person off."""


@dataclass(frozen=True)
class NoSpeech:
    """Nothing was said before `no_speech_timeout`."""

    waited: float
    """Seconds of audio listened to."""


VadEvent = SpeechStarted | UtteranceComplete | NoSpeech


class Endpointer:
    """Feed 16 kHz chunks in with `process()`; get SpeechStarted / UtteranceComplete / NoSpeech out.

    `detector` decides frame by frame (default: the energy detector built from
    `config`); the same detector can serve turn after turn: `reset()` resets it.
    The energy detector's noise floor survives `reset()`, so later turns start
    already adapted to the room.
    """

    def __init__(
        self, config: EndpointerConfig | None = None, detector: SpeechDetector | None = None
    ) -> None:
        self.config = config or EndpointerConfig()
        self.rate = RECOGNIZER_RATE
        self._frame_len = round(self.config.frame_seconds * self.rate)
        self._converter = AudioConverter(self.rate, 1)
        self.detector: SpeechDetector = detector or EnergyDetector(
            self.config.threshold_db,
            self.config.min_speech_dbfs,
            self.config.floor_rise_db_per_second * self.config.frame_seconds,
        )
        self.reset()

    @property
    def noise_floor(self) -> float | None:
        """dBFS of the background (the energy detector only), once a frame was heard."""
        return getattr(self.detector, "noise_floor", None)

    def reset(self, config: EndpointerConfig | None = None) -> None:
        """Listen for a new utterance (optionally with new timeouts)."""
        if config is not None:
            self.config = config
        self.state = VadState.WAITING
        self._remainder = np.zeros(0, dtype=np.float32)
        self._frames_seen = 0
        preroll_frames = max(1, round(self.config.preroll / self.config.frame_seconds))
        self._preroll: deque[np.ndarray] = deque(maxlen=preroll_frames)
        self._run: list[np.ndarray] = []
        self._utterance: list[np.ndarray] = []
        self._started_frame = 0
        self._silent_frames = 0
        self.detector.reset()

    def is_speech(self, frame: np.ndarray) -> bool:
        """Classify one frame (and let the detector learn from it)."""
        return self.detector.is_speech(frame)

    def process(self, chunk: AudioChunk) -> list[VadEvent]:
        """Consume a chunk (any format; converted to 16 kHz mono) and report what happened."""
        if self.state is VadState.DONE:
            return []
        samples = to_mono(to_float(self._converter.convert(chunk)))
        data = np.concatenate((self._remainder, samples))
        events: list[VadEvent] = []
        count = len(data) // self._frame_len
        for i in range(count):
            frame = data[i * self._frame_len : (i + 1) * self._frame_len]
            events.extend(self._frame(frame))
            if self.done:
                break
        self._remainder = data[count * self._frame_len :]
        return events

    @property
    def trailing_silence(self) -> float:
        """Seconds of non-speech since the person last spoke (0.0 unless speaking)."""
        if self.state is not VadState.SPEAKING:
            return 0.0
        return self._seconds(self._silent_frames)

    @property
    def speech_seconds(self) -> float:
        """Seconds from the start of speech to its last voiced frame (0.0 unless speaking)."""
        if self.state is not VadState.SPEAKING:
            return 0.0
        return self._seconds(self._frames_seen - self._started_frame + 1 - self._silent_frames)

    def end_now(self) -> UtteranceComplete:
        """End the utterance here (a complete answer need not wait for the full timeout)."""
        if self.state is not VadState.SPEAKING:
            raise RuntimeError("no utterance in progress")
        return self._complete(truncated=False)

    @property
    def done(self) -> bool:
        """An utterance or a timeout was reported: `reset()` before listening again."""
        return self.state is VadState.DONE

    def _seconds(self, frames: int) -> float:
        return frames * self._frame_len / self.rate

    def _frame(self, frame: np.ndarray) -> list[VadEvent]:
        self._frames_seen += 1
        speech = self.is_speech(frame)
        config = self.config
        if self.state is VadState.WAITING:
            return self._waiting(frame, speech)
        self._utterance.append(frame)
        self._silent_frames = 0 if speech else self._silent_frames + 1
        length = self._seconds(self._frames_seen - self._started_frame)
        if self._seconds(self._silent_frames) >= config.silence_timeout:
            return [self._complete(truncated=False)]
        if length >= config.max_utterance:
            return [self._complete(truncated=True)]
        return []

    def _waiting(self, frame: np.ndarray, speech: bool) -> list[VadEvent]:
        config = self.config
        if speech:
            self._run.append(frame)
            if self._seconds(len(self._run)) >= config.min_speech:
                self._started_frame = self._frames_seen - len(self._run) + 1
                self._utterance = [*self._preroll, *self._run]
                self._run = []
                self.state = VadState.SPEAKING
                return [SpeechStarted(self._seconds(self._started_frame - 1))]
            return []
        for earlier in self._run:
            self._preroll.append(earlier)
        self._run = []
        self._preroll.append(frame)
        if self._seconds(self._frames_seen) >= config.no_speech_timeout:
            self.state = VadState.DONE
            return [NoSpeech(self._seconds(self._frames_seen))]
        return []

    def _complete(self, truncated: bool) -> UtteranceComplete:
        self.state = VadState.DONE
        audio = np.concatenate(self._utterance)
        self._utterance = []
        scaled = np.clip(np.round(audio * 32768.0), -32768, 32767).astype("<i2")
        return UtteranceComplete(
            AudioChunk(scaled.tobytes(), self.rate),
            started_at=self._seconds(self._started_frame - 1),
            truncated=truncated,
        )


def next_utterance(
    chunks: Iterable[AudioChunk],
    endpointer: Endpointer,
    on_speech_started: Callable[[SpeechStarted], None] | None = None,
) -> UtteranceComplete | NoSpeech | None:
    """Read chunks until the endpointer decides; None if the chunks ran out first.

    The listening loop's inner step: `next_utterance(gate.filter(mic.chunks()), endpointer)`.
    Call `endpointer.reset()` before listening for the next answer.
    """
    for chunk in chunks:
        for event in endpointer.process(chunk):
            if isinstance(event, SpeechStarted):
                if on_speech_started is not None:
                    on_speech_started(event)
            else:
                return event
    return None
