"""The hands-free loop: microphone → recognition → the coach → speech, until shut down.

It drives the same `Coach` as text mode. All it adds is listening: which
grammar to use in which state, the wake phrase or push-to-talk at the top
level, half-duplex (the coach never hears itself), timed pauses that still
listen for "stop" or a crisis. When to take turns is `dialogue.turn`'s (shared with text mode).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from voice_coach import names
from voice_coach.audio_io.earcons import earcon
from voice_coach.audio_io.gate import HalfDuplexGate
from voice_coach.audio_io.listening import feed, stream_utterance
from voice_coach.audio_io.ports import Microphone
from voice_coach.audio_io.vad import Endpointer, EndpointerConfig, NoSpeech, UtteranceComplete
from voice_coach.dialogue.engine import Coach
from voice_coach.dialogue.turn import NOTHING_YET, VOICE, NothingYet, converse
from voice_coach.messages import (
    AudioChunk,
    Event,
    Listen,
    ListenFor,
    Reply,
    Silence,
    Speak,
    Tick,
    Transcript,
    Unclear,
    Utterance,
    Wait,
)
from voice_coach.recognition import Recognizer
from voice_coach.recognition.endpointing import EarlyEndpoint
from voice_coach.recognition.grammar import Grammar, Grammars, listen_with
from voice_coach.settings import Settings
from voice_coach.speech.output import SpeechOutput
from voice_coach.understanding.wake import split_wake
from voice_coach.voice_display import HearingSink, NoDisplay, VoiceDisplay

log = logging.getLogger(__name__)

IDLE_CHECK_SECONDS = 30.0
"""At the top level, how often the loop stops listening to see if an offer is due."""
WAIT_LISTEN = Listen(ListenFor.CHOICE, 0.0)
"""During a timed pause: only control words and crisis phrases are listened for."""
SHORT_UTTERANCE = 1.6
"""Seconds (without the closing silence): a free answer this short may be a one-word command."""
ONE_WORD_COMMANDS = frozenset(names.CONTROLS)
BARGE_IN_POLL = 0.5
"""With barge-in, how often listening checks whether the coach has finished speaking."""


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
    _stopped: threading.Event = field(default_factory=threading.Event)
    _chunks: Iterator[AudioChunk] | None = None
    _timings: TurnTimings = field(default_factory=TurnTimings)
    _grammar: Grammar | None = None
    _grammar_key: tuple[ListenFor, tuple[str, ...], bool] | None = None
    _last_utterance: UtteranceComplete | None = None

    def stop(self) -> None:
        self._stopped.set()

    def run(self) -> None:
        """Greet, then listen and answer until stopped. The journal is the coach's concern."""
        with self.microphone as mic:
            self._chunks = self.gate.filter(mic.chunks())
            converse(self.coach, self, VOICE)

    # ----- the Transport of the turn protocol ---------------------------------

    def say(self, reply: Reply) -> Event | None:
        """Say a reply. With barge-in, returns what the person said to interrupt it."""
        if self._stopped.is_set():
            return None
        interruption = self._speak(reply)
        return self._utterance(interruption) if interruption else None

    def next_event(self, step: Listen | Wait, timeout: float) -> Event | NothingYet | None:
        if self._stopped.is_set():
            return None
        if isinstance(step, Wait):
            text = self._hear(WAIT_LISTEN, step.seconds)
            event: Event | NothingYet | None = self._utterance(text) if text else Tick()
        elif step.idle:
            event = self._idle(step)
        else:
            text = self._hear(step, timeout)
            if text is None:
                self.display.timed_out(timeout)
            if text is None:
                event = Silence()
            elif text:
                event = self._utterance(text)
            else:
                # Not understood in the expected grammar: what did open dictation hear?
                event = Unclear(self._dictated())
        return None if self._stopped.is_set() else event

    def handled(self, reply: Reply) -> None:
        self._timings.intent = time.monotonic()
        log.info("state %s, intent %s", reply.state, reply.intent)

    def _utterance(self, text: str) -> Utterance:
        self.display.heard(text)
        if self.settings.log_transcripts:
            log.info("heard: %s", text)
        return Utterance(text)

    # ----- speaking -----------------------------------------------------------

    def _speak(self, reply: Reply) -> str | None:
        if not reply.speech:
            return None
        self._timings.first_audio = time.monotonic()
        self._timings.log()
        self._timings = TurnTimings()
        if self.settings.barge_in:
            return self._speak_interruptibly(reply.speech)
        warming = None
        if self._grammar is None and isinstance(reply.next, Listen):
            # The first grammar (the largest) is built while the greeting plays.
            warming = threading.Thread(target=self._switch_grammar, args=(reply.next,))
            warming.start()
        with self.gate.speaking():
            for speak in reply.speech:
                self.display.speaking(speak.text)
                self.speech.say(speak)
        if warming is not None:
            warming.join()
        return None

    def _speak_interruptibly(self, speech: tuple[Speak, ...]) -> str | None:
        """Play in the background while listening for "stop" or a crisis (echo-cancelled mic).

        Anything else heard meanwhile is ignored: without the gate the microphone
        also picks up what echo cancellation leaves of the coach's own voice.
        """
        cancel = threading.Event()
        failure: list[BaseException] = []

        def play() -> None:
            try:
                for speak in speech:
                    if cancel.is_set():
                        return
                    self.display.speaking(speak.text)
                    self.speech.say(speak, cancel)
            except BaseException as exc:  # re-raised in the loop's thread
                failure.append(exc)

        player = threading.Thread(target=play, name="speech", daemon=True)
        player.start()
        interruption: str | None = None
        while player.is_alive() and interruption is None:
            heard = self._hear(WAIT_LISTEN, BARGE_IN_POLL, announce=False)
            if heard and (self.coach.is_crisis(heard) or self.coach.is_stop(heard)):
                interruption = heard
                cancel.set()
            elif heard is not None:
                log.info("barge-in: heard %d word(s), not stop", len(heard.split()))
        player.join()
        if failure:
            raise failure[0]
        if interruption is not None:
            log.info("speech interrupted")
        return interruption

    def _earcon(self, name: str) -> None:
        with self.gate.speaking():
            self.speech.speaker.play([earcon(name)])

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
                return self._utterance(text)
            return NOTHING_YET
        if mode == "wake-phrase":
            heard = self._hear(self._wake_listen(), IDLE_CHECK_SECONDS)
            woke, request = split_wake(heard or "", self.settings.wake_phrase)
            if woke and request:  # "hey coach, I'm having an urge" in one breath
                self._earcon("got_it")
                return self._utterance(request)
            if woke:
                self._earcon("listening")
                text = self._hear(listen, self.settings.answer_timeout)
                if text:
                    self._earcon("got_it")
                    return self._utterance(text)
            elif heard and self.coach.is_crisis(heard):
                # Without the wake phrase only strong evidence counts: the forced
                # choice AND open dictation of the same audio both say crisis
                # ("I'm having an urge" is forced onto a crisis sentence, but
                # dictation hears it as the urge talk it is).
                if self.coach.is_crisis(self._dictated()):
                    return self._utterance(heard)
                log.info("wake-phrase mode: crisis not confirmed by dictation; ignored")
            return NOTHING_YET
        text = self._hear(listen, IDLE_CHECK_SECONDS)
        return self._utterance(text) if text else NOTHING_YET

    def _wake_listen(self) -> Listen:
        """The wake phrase, and every request that may follow it in the same breath."""
        return Listen(
            ListenFor.CHOICE, IDLE_CHECK_SECONDS, (self.settings.wake_phrase,), requests=True
        )

    def _hear(self, listen: Listen, timeout: float, announce: bool = True) -> str | None:
        """One utterance as text; None after `timeout` seconds of silence, "" if not understood."""
        if self._chunks is None:
            raise RuntimeError("the loop is not running")
        grammar = self._switch_grammar(listen)
        if announce:
            expecting = "pause" if listen is WAIT_LISTEN else listen.kind.value
            self.display.listening(expecting, timeout, listen.idle)
            if self.on_listening is not None:
                self.on_listening(self.coach.state, expecting)
        endpointer = Endpointer(
            EndpointerConfig(
                silence_timeout=self._silence_timeout(listen),
                no_speech_timeout=timeout if math.isfinite(timeout) else IDLE_CHECK_SECONDS,
            )
        )
        self.recognizer.reset()
        # After the wake phrase a request often follows in the same breath: never end early there.
        waking = listen.phrases == (self.settings.wake_phrase,) and listen.requests
        early = None if waking else EarlyEndpoint.for_grammar(grammar)
        event = stream_utterance(
            self._chunks,
            endpointer,
            HearingSink(self.recognizer, self.display),
            early.should_end if early is not None else None,
        )
        if event is None:
            self._stopped.set()
            return None
        if isinstance(event, NoSpeech):
            return None
        self._last_utterance = event
        return self._transcribe(event, grammar.mode)

    def _dictated(self) -> str:
        """The last utterance decoded again in open dictation ("" when there is none)."""
        utterance = self._last_utterance
        if utterance is None:
            return ""
        listen = self._grammar_key
        self._switch_grammar(Listen(ListenFor.FREE, 0.0))
        try:
            return self._decode(utterance).text.strip()
        finally:
            if listen is not None:
                self._switch_grammar(Listen(listen[0], 0.0, listen[1], requests=listen[2]))

    def _silence_timeout(self, listen: Listen) -> float:
        """Free answers get the long pause people take mid-thought; commands end sooner."""
        if listen.kind is ListenFor.FREE:
            return self.settings.silence_timeout
        return min(self.settings.silence_timeout, self.settings.command_silence_timeout)

    def _switch_grammar(self, listen: Listen) -> Grammar:
        """Switch the recognizer only when the state's grammar changes (barge-in polls often)."""
        key = (listen.kind, listen.phrases, listen.requests)
        if self._grammar is None or self._grammar_key != key:
            self._grammar = listen_with(self.recognizer, self.grammars, listen)
            self._grammar_key = key
        return self._grammar

    def _transcribe(self, utterance: UtteranceComplete, mode: str) -> str:
        self._timings.speech_end = time.monotonic()
        self.display.thinking()
        if self.on_endpoint is not None:
            self.on_endpoint()
        transcript = self.recognizer.finish()
        spoken = utterance.audio.seconds - self.settings.silence_timeout
        if mode == "dictation" and spoken < SHORT_UTTERANCE:
            command = self._short_command(utterance)
            if command:
                transcript = command
        self._timings.transcript = time.monotonic()
        log.debug("%s transcript (%s mode, confidence %.2f)", transcript.engine, mode,
                  transcript.confidence)
        return transcript.text.strip()

    def _decode(self, utterance: UtteranceComplete) -> Transcript:
        self.recognizer.reset()
        feed(utterance.audio, self.recognizer)
        return self.recognizer.finish()

    def _short_command(self, utterance: UtteranceComplete) -> Transcript | None:
        """A one-word "stop" or "skip" during a free answer.

        Open dictation hears single words badly ("stop" came back as "about
        that"), so a short utterance is also decoded against the control words;
        only a confident single control word wins over the dictated text.
        """
        listen = self._grammar_key
        self._switch_grammar(WAIT_LISTEN)
        try:
            check = self._decode(utterance)
        finally:
            if listen is not None:
                self._switch_grammar(Listen(listen[0], 0.0, listen[1], requests=listen[2]))
        words = check.text.split()
        if words and words[0] in ONE_WORD_COMMANDS and len(words) <= 2 and check.confidence >= 0.8:
            return check
        return None
