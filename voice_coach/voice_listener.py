"""One turn of listening: the microphone's next utterance as text, in the state's grammar.

Between the audio plumbing (`audio_io.duplex`: endpointer, pre-roll, gate)
and the recognizer (`recognition.hearing`: grammars, second looks), this is
where a `Listen` becomes words: the state's grammar, its closing silence
(free answers pause longer), the grammar-aware early end, the one-word "stop"
in a short free answer, and the timings of the turn for the debug log.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from voice_coach.audio_io.duplex import Duplex
from voice_coach.audio_io.vad import NoSpeech, UtteranceComplete
from voice_coach.messages import Listen, ListenFor
from voice_coach.recognition.endpointing import EarlyEndpoint
from voice_coach.recognition.hearing import Hearing
from voice_coach.settings import Settings
from voice_coach.voice_display import HearingSink, VoiceDisplay

log = logging.getLogger(__name__)

SHORT_UTTERANCE = 1.6
"""Seconds (without the closing silence): a free answer this short may be a one-word command."""
CRISIS_RECHECK_SECONDS = 0.6
"""Speech at least this long (no closing silence) is also checked in dictation for a crisis;
"yes", "no" and a number are shorter, the shortest crisis phrases ("kill myself") longer."""


@dataclass
class TurnTimings:
    """When each stage of one turn finished (time.monotonic seconds), for debug logs."""

    speech_end: float = 0.0
    transcript: float = 0.0
    intent: float = 0.0
    first_audio: float = 0.0

    def log(self) -> None:
        if not self.speech_end or not self.first_audio:
            return
        log.debug(
            "turn timings: end of speech → transcript %.0f ms → intent %.0f ms → "
            "first audio %.0f ms (total %.0f ms)",
            (self.transcript - self.speech_end) * 1000,
            (self.intent - self.transcript) * 1000,
            (self.first_audio - self.intent) * 1000,
            (self.first_audio - self.speech_end) * 1000,
        )


@dataclass
class Listener:
    """Hears one utterance at a time through `duplex` with `hearing`'s recognizer."""

    duplex: Duplex
    hearing: Hearing
    settings: Settings
    display: VoiceDisplay
    timings: TurnTimings = field(default_factory=TurnTimings)
    last: UtteranceComplete | None = None
    """The last utterance heard (for a second look in dictation)."""
    ended: bool = False
    """True once the microphone has no more audio."""

    def hear(
        self, listen: Listen, timeout: float, on_endpoint: Callable[[], None] | None = None
    ) -> str | None:
        """One utterance as text; None after `timeout` seconds of silence (or at the end of
        the microphone's audio), "" if not understood. `on_endpoint` is called the moment
        the utterance's end is detected."""
        grammar = self.hearing.use(listen)
        recognizer = self.hearing.recognizer
        recognizer.reset()
        # After the wake phrase a request often follows in the same breath: never end early there.
        waking = listen.phrases == (self.settings.wake_phrase,) and listen.requests
        top_level = listen.kind is ListenFor.COMMAND
        early = None if waking else EarlyEndpoint.for_grammar(grammar, top_level=top_level)
        event = self.duplex.hear(
            HearingSink(recognizer, self.display),
            self.silence_timeout(listen),
            timeout,
            early.should_end if early is not None else None,
        )
        if event is None:
            self.ended = True
            return None
        if isinstance(event, NoSpeech):
            return None
        self.last = event
        self.timings.speech_end = time.monotonic()
        self.display.thinking()
        if on_endpoint is not None:
            on_endpoint()
        transcript = recognizer.finish()
        spoken = event.audio.seconds - self.settings.silence_timeout
        if grammar.mode == "dictation" and spoken < SHORT_UTTERANCE:
            transcript = self.hearing.short_command(event.audio) or transcript
        self.timings.transcript = time.monotonic()
        log.debug(
            "%s transcript (%s mode, confidence %.2f)",
            transcript.engine, grammar.mode, transcript.confidence,
        )
        return transcript.text.strip()

    def crisis_in_dictation(
        self, text: str, listen: Listen, needs_safety: Callable[[str], bool]
    ) -> str | None:
        """What open dictation heard in the last utterance, when only dictation hears a
        crisis or distress (`needs_safety`: what typed would get the crisis answer or the
        safety question).

        A state's grammar has only its own sentences (ratings, yes/no, requests):
        "I swallowed a strip of paracetamol" or "I feel completely hopeless" said
        during a rating comes out as the nearest of them. So speech long enough to
        hold either, heard in anything but open dictation, is decoded again in
        dictation. Costs one more decode of the utterance (see issue 8's note).
        """
        if listen.kind is ListenFor.FREE or not self.worth_rechecking() or needs_safety(text):
            return None
        dictated = self.dictated()
        return dictated if needs_safety(dictated) else None

    def worth_rechecking(self) -> bool:
        """True when the last utterance is long enough to hold a crisis or distress
        (`CRISIS_RECHECK_SECONDS` of speech, the closing silence not counted): only then
        is it worth decoding again in open dictation."""
        last = self.last
        spoken = last.audio.seconds - self.settings.silence_timeout if last else 0.0
        return spoken >= CRISIS_RECHECK_SECONDS

    def dictated(self) -> str:
        """The last utterance decoded again in open dictation ("" when there is none)."""
        return self.hearing.dictated(self.last.audio if self.last is not None else None)

    def silence_timeout(self, listen: Listen) -> float:
        """Free answers get the long pause people take mid-thought; commands end sooner."""
        if listen.kind is ListenFor.FREE:
            return self.settings.silence_timeout
        return min(self.settings.silence_timeout, self.settings.command_silence_timeout)

    def new_turn(self) -> None:
        """The coach starts speaking: log the finished turn's timings and start afresh."""
        self.timings.first_audio = time.monotonic()
        self.timings.log()
        self.timings = TurnTimings()
