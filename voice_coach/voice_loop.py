"""The hands-free loop: microphone → recognition → the coach → speech, until shut down.

It drives the same `Coach` as text mode. All it adds is listening: which
grammar to use in which state, the wake phrase or push-to-talk at the top
level, half-duplex (the coach never hears itself), timed pauses that still
listen for "stop" or a crisis. When to take turns is `dialogue.turn`'s (shared with text mode).
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from voice_coach.audio_io.duplex import Duplex
from voice_coach.audio_io.gate import HalfDuplexGate
from voice_coach.audio_io.ports import Microphone
from voice_coach.audio_io.speech_detector import create_detector
from voice_coach.dialogue.engine import Coach
from voice_coach.dialogue.turn import NOTHING_YET, VOICE, NothingYet, converse
from voice_coach.messages import (
    Event,
    Listen,
    ListenFor,
    Reply,
    Silence,
    Tick,
    Unclear,
    Utterance,
    Wait,
)
from voice_coach.recognition import Recognizer
from voice_coach.recognition.grammar import Grammars
from voice_coach.recognition.hearing import CONTROL_WORDS, Hearing
from voice_coach.settings import Settings
from voice_coach.speech.output import SpeechOutput
from voice_coach.understanding.wake import split_wake
from voice_coach.voice_display import NoDisplay, VoiceDisplay
from voice_coach.voice_listener import Listener
from voice_coach.voice_speech import VoiceSpeech

log = logging.getLogger(__name__)

IDLE_CHECK_SECONDS = 30.0
"""At the top level, how often the loop stops listening to see if an offer is due."""
WAIT_LISTEN = CONTROL_WORDS
"""During a timed pause: only control words and crisis phrases are listened for."""
BARGE_IN_POLL = 0.5
"""With barge-in, how often listening checks whether the coach has finished speaking."""


@dataclass
class VoiceLoop:
    """Listens and speaks for a `Coach` until `stop()` is called (or Ctrl-C)."""

    coach: Coach
    microphone: Microphone
    speech: SpeechOutput
    recognizer: Recognizer
    grammars: Grammars
    settings: Settings
    push_to_talk: Callable[[], bool] | None = None
    """Blocks until the person presses the key; False when input has ended."""
    on_listening: Callable[[str, str], None] | None = None
    """Told the state and what is expected ("number", "free", "pause"...) each time the loop
    starts listening (logs, tests)."""
    on_endpoint: Callable[[], None] | None = None
    """Called the moment an utterance's end is detected (latency benchmarks)."""
    gate: HalfDuplexGate = field(default_factory=HalfDuplexGate)
    display: VoiceDisplay = field(default_factory=NoDisplay)
    """What the person sees (a terminal status line, or state logs as a service)."""
    warm_up: Callable[[], None] | None = None
    """Loads what listening and rendering need (`VoiceParts.warm_up`): run while the
    greeting plays, before the first grammar is built."""
    _stopped: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.duplex = Duplex(self.gate, create_detector(self.settings.vad))
        """The microphone and speaker taking turns (audio_io)."""
        self.hearing = Hearing(self.recognizer, self.grammars)
        """The recognizer switched to each state's grammar (recognition)."""
        self.listener = Listener(self.duplex, self.hearing, self.settings, self.display)
        self.voice = VoiceSpeech(self.speech, self.duplex, self.display)

    def stop(self) -> None:
        self._stopped.set()

    def run(self) -> None:
        """Greet, then listen and answer until stopped. The journal is the coach's concern."""
        with self.duplex.open(self.microphone):
            converse(self.coach, self, VOICE)

    # ----- the Transport of the turn protocol ---------------------------------

    def say(self, reply: Reply) -> Event | None:
        """Say a reply. With barge-in, returns what the person said to interrupt it."""
        if self._stopped.is_set():
            return None
        interruption = self._speak(reply)
        if isinstance(interruption, Unclear):
            return interruption
        return self._utterance(interruption) if interruption else None

    def next_event(self, step: Listen | Wait, timeout: float) -> Event | NothingYet | None:
        if self._stopped.is_set():
            return None
        if isinstance(step, Wait):
            text = self._hear(WAIT_LISTEN, step.seconds)
            event: Event | NothingYet | None = self._checked(text, WAIT_LISTEN) if text else Tick()
        elif step.idle:
            event = self._idle(step)
        else:
            text = self._hear(step, timeout)
            if text is None:
                self.display.timed_out(timeout)
            if text is None:
                event = Silence()
            elif text:
                event = self._checked(text, step)
            else:
                # Not understood in the expected grammar: what did open dictation hear?
                event = Unclear(self.listener.dictated())
        return None if self._stopped.is_set() else event

    def handled(self, reply: Reply) -> None:
        self.listener.timings.intent = time.monotonic()
        log.info("state %s, intent %s", reply.state, reply.intent)

    def _checked(self, text: str, listen: Listen) -> Event:
        """What was understood, after a second look for a crisis or distress the grammar
        cannot hold (`Listener.crisis_in_dictation`): a crisis only dictation heard is weak
        evidence, met with "It sounded like you might not be safe. Are you okay?"; distress
        with the safety question, as typed (`SafetyState.heard_in_dictation`)."""
        dictated = self.listener.crisis_in_dictation(text, listen, self.coach.needs_safety)
        if dictated is None:
            return self._utterance(text)
        self.display.heard(text)
        log.info("crisis or distress heard only in dictation: asking about safety")
        return Unclear(dictated)

    def _utterance(self, text: str) -> Utterance:
        self.display.heard(text)
        if self.settings.log_transcripts:
            log.info("heard: %s", text)
        return Utterance(text)

    # ----- speaking -----------------------------------------------------------

    def _speak(self, reply: Reply) -> str | Unclear | None:
        if not reply.speech:
            return None
        self.listener.new_turn()
        if self.settings.barge_in:
            lines = tuple(speak.text for speak in reply.speech)
            return self.voice.say_interruptibly(reply.speech, lambda: self._interruption(lines))
        step = reply.next
        # The decoders, the voice and the first grammar load while the greeting plays.
        meanwhile = None
        if not self.hearing.ready and isinstance(step, Listen):
            meanwhile = functools.partial(self._warm_up, step)
        self.voice.say(reply.speech, meanwhile)
        return None

    def _warm_up(self, listen: Listen) -> None:
        try:
            if self.warm_up is not None:
                self.warm_up()
            self.hearing.use(listen)
        except Exception:  # the loop's own first use raises it again, in its thread
            log.debug("loading during the greeting failed", exc_info=True)

    def _interruption(self, speaking: tuple[str, ...]) -> str | Unclear | None:
        """During barge-in: "stop" or a crisis heard while the coach speaks, or distress
        only open dictation heard (`Coach.overheard`; the coach's own `speaking` lines
        are not the person), else None."""
        heard = self._hear(WAIT_LISTEN, BARGE_IN_POLL, announce=False)
        if heard and (self.coach.is_crisis(heard) or self.coach.is_stop(heard)):
            return heard
        if heard is not None:
            distress = self._overheard("", speaking)
            if isinstance(distress, Unclear):
                log.info("barge-in: distress heard in dictation: asking about safety")
                return distress
            log.info("barge-in: heard %d word(s), not stop", len(heard.split()))
        return None

    def _overheard(self, forced: str, speaking: tuple[str, ...] = ()) -> Utterance | Unclear | None:
        """`Coach.overheard` on the last utterance, decoded again in open dictation when it
        is long enough to hold a crisis or distress (`Listener.worth_rechecking`)."""
        if not self.listener.worth_rechecking() and not (forced and self.coach.is_crisis(forced)):
            return None
        event = self.coach.overheard(forced, self.listener.dictated(), speaking)
        if isinstance(event, Utterance):
            return self._utterance(event.text)
        if isinstance(event, Unclear):
            self.display.heard(forced or event.dictated)
        return event

    def _earcon(self, name: str) -> None:
        self.voice.earcon(name)

    # ----- listening ----------------------------------------------------------

    def _idle(self, listen: Listen) -> Event | NothingYet | None:
        """The top level: a request (after the wake phrase or key, if configured).

        One round of listening; `NOTHING_YET` when nothing came of it, so the turn
        protocol can make an offer that has come due. After a wake phrase or key
        press a rising tone says "your turn" and a falling one "got it"; always-on
        mode skips them to answer sooner.
        """
        mode = self.settings.listening_mode
        if mode == "push-to-talk" and self.push_to_talk is not None:
            if not self.push_to_talk():
                return None
            self._earcon("listening")
            text = self._hear(listen, self.settings.answer_timeout)
            if text:
                self._earcon("got_it")
                return self._checked(text, listen)
            return NOTHING_YET
        if mode == "wake-phrase":
            heard = self._hear(self._wake_listen(), IDLE_CHECK_SECONDS)
            woke, request = split_wake(heard or "", self.settings.wake_phrase)
            if woke and request:  # "hey coach, I'm having an urge" in one breath
                self._earcon("got_it")
                return self._checked(request, self._wake_listen())
            if woke:
                self._earcon("listening")
                text = self._hear(listen, self.settings.answer_timeout)
                if text:
                    self._earcon("got_it")
                    return self._checked(text, listen)
            elif heard is not None:
                # Without the wake phrase only strong evidence of a crisis counts: the
                # forced choice AND open dictation of the same audio both say crisis
                # ("I'm having an urge" is forced onto a crisis sentence, but dictation
                # hears it as the urge talk it is); distress in dictation gets the
                # safety question (`Coach.overheard`).
                event = self._overheard(heard)
                if event is not None:
                    return event
                if heard and self.coach.is_crisis(heard):
                    log.info("wake-phrase mode: crisis not confirmed by dictation; ignored")
            return NOTHING_YET
        text = self._hear(listen, IDLE_CHECK_SECONDS)
        return self._checked(text, listen) if text else NOTHING_YET

    def _wake_listen(self) -> Listen:
        """The wake phrase, and every request that may follow it in the same breath."""
        return Listen(
            ListenFor.CHOICE, IDLE_CHECK_SECONDS, (self.settings.wake_phrase,), requests=True
        )

    def _hear(self, listen: Listen, timeout: float, announce: bool = True) -> str | None:
        """One utterance as text; None after `timeout` seconds of silence, "" if not understood."""
        if announce:
            expecting = "pause" if listen is WAIT_LISTEN else listen.kind.value
            self.display.listening(expecting, timeout, listen.idle)
            if self.on_listening is not None:
                self.on_listening(self.coach.state, expecting)
        text = self.listener.hear(listen, timeout, self.on_endpoint)
        if self.listener.ended:
            self._stopped.set()
        return text
