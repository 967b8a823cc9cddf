"""The dialogue engine: events in, replies out, with safety checked before anything else.

One `Coach` drives text mode, audio mode and the tests alike. It owns the
conversation state and routes each event: a crisis first, in every state; then
the running exercise (`dialogue.runner`, with `dialogue.controls`), the name
question of the first run, or the top level (`dialogue.top_level`). Replies are
built by `dialogue.turns`.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import replace

from voice_coach import names
from voice_coach.clock import Clock
from voice_coach.dialogue import replies
from voice_coach.dialogue.answers import control_intent
from voice_coach.dialogue.moments import MomentReply, Moments, behaviour_word, milestone_line
from voice_coach.dialogue.runner import ExerciseRunner
from voice_coach.dialogue.safety import DISCLAIMER
from voice_coach.dialogue.safety_state import SafetyState
from voice_coach.dialogue.top_level import CONFIRM_BELOW, Offer, answer_offer, request
from voice_coach.dialogue.turns import IDLE_TIMEOUT, MAX_PACE, Turns
from voice_coach.exercises.script import Exercise
from voice_coach.journal.port import JournalPort, SessionStatus
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
from voice_coach.settings import Settings
from voice_coach.understanding import Understanding
from voice_coach.understanding.crisis import CrisisKind
from voice_coach.understanding.normalize import normalize

log = logging.getLogger(__name__)

_NOT_A_NAME = (names.SKIP, names.NO, names.STOP)
"""Said when asked for a name: the person would rather not give one."""

__all__ = ["CONFIRM_BELOW", "IDLE_TIMEOUT", "MAX_PACE", "Coach"]

PROFILE_FIRST_RUN = "first_run_done"
PROFILE_NAME = "name"
PROFILE_REFLECTION_OFFERED = "reflection_offered_on"


class Coach:
    """The conversation. Feed it events; it answers with `Reply`s."""

    def __init__(
        self,
        understanding: Understanding,
        journal: JournalPort,
        settings: Settings,
        clock: Clock,
        exercises: Mapping[str, Exercise],
    ) -> None:
        self.understanding = understanding
        self.exercises = exercises
        """The exercise registry, by the intent that starts each one."""
        self._journal = journal
        self._settings = settings
        self._clock = clock
        self.turns = Turns(settings)
        self.runner = ExerciseRunner(
            understanding, journal, settings, clock, self.turns, exercises, self._exercise_ended
        )
        self.safety = SafetyState(self)
        """Crisis answers and the conversation after them (`dialogue.safety_state`)."""
        self._offer: Offer | None = None
        self._asking_name = False
        self._name_asked_again = False
        self.last_top: tuple[str, ...] = ()
        """What was said last at the top level (for "repeat")."""
        self.moments = Moments(journal)
        """Replies that fit the moment outside the exercises (`dialogue.moments`)."""

    # ----- public API ---------------------------------------------------------

    @property
    def state(self) -> str:
        """"idle", "paused", "naming", "offer", "safety" or the running exercise's name."""
        if self.runner.current is not None:
            return self.runner.current.state
        if self._asking_name:
            return "naming"
        if self.safety.active:
            return "safety"
        return "offer" if self._offer else "idle"

    @property
    def settings(self) -> Settings:
        return self._settings

    @property
    def journal(self) -> JournalPort:
        return self._journal

    @property
    def clock(self) -> Clock:
        return self._clock

    @property
    def name(self) -> str:
        return self._settings.name or self._journal.get_profile(PROFILE_NAME) or ""

    def start(self) -> Reply:
        """The first words: the disclaimer and a name question on first run, else a hello."""
        if self._journal.get_profile(PROFILE_FIRST_RUN) is None:
            lines = [DISCLAIMER]
            if self.name:
                self._finish_first_run()
                lines.append(replies.welcome(self.name))
                return self.top(lines)
            self._asking_name = True
            lines.append(replies.ASK_NAME)
            return self._reply(lines, self.turns.free_listen())
        lines = list(replies.greeting(self.name))
        celebration = milestone_line(self._journal, self._clock.now())
        if celebration:
            lines.insert(0, celebration)
        return self.top(lines, cacheable=celebration is None)

    def handle(self, event: Event) -> Reply:
        """Answer one event. Never raises for anything a person could say."""
        run = self.runner.current
        if isinstance(event, Tick):
            if run is None:
                return self._reply([], self._current_listen())
            return self.runner.on_tick(run)
        if isinstance(event, Silence):
            return self._on_silence()
        if isinstance(event, Unclear):
            asked = self.safety.heard_in_dictation(_clean(event.dictated))
            if asked is not None:
                return asked
            paused = run is not None and run.paused
            listen = self.turns.paused_listen() if paused else self._current_listen()
            return self._reply([replies.DIDNT_CATCH], listen)
        text = _clean(event.text)
        if not text:
            return self._on_silence()
        # Safety first, in every state (and before any other helper's replies).
        answered = self.safety.check(text)
        if answered is not None:
            return answered
        if run is not None:
            return self.runner.handle_text(run, text)
        if self._asking_name:
            return self._on_name(text)
        return self._top_level(text)

    def is_crisis(self, text: str) -> bool:
        """True for crisis language (audio mode checks speech heard without the wake phrase)."""
        return self.understanding.is_crisis(_clean(text))

    def needs_safety(self, text: str) -> bool:
        """True for crisis language or distress (the safety question), judged as typed text
        would be in the current state: the voice loop's second look in open dictation."""
        return self.safety.concern(_clean(text)) is not CrisisKind.NONE

    def overheard(
        self, forced: str, dictated: str, speaking: Sequence[str] = ()
    ) -> Utterance | Unclear | None:
        """Speech not addressed to the coach (no wake phrase) or said while it speaks
        (barge-in): the event to answer, or None to let it pass.

        `forced` is what the listening grammar made of it, `dictated` what open dictation
        heard. The crisis answer needs both (the grammar forces "I'm having an urge" onto a
        crisis sentence; dictation hears the urge talk it is). What only dictation heard is
        weak evidence, met as in any state (`Unclear` → `SafetyState.heard_in_dictation`):
        distress, which no grammar holds, gets the safety question; a crisis "It sounded
        like you might not be safe. Are you okay?"; never the crisis lines. `speaking`: the
        coach's own lines being said, so the echo of its own words is not the person's.
        """
        if not dictated or _echoes(dictated, speaking):
            return None
        if forced and self.is_crisis(forced):
            # Forced onto a crisis sentence: answered only when dictation agrees.
            return Utterance(forced) if self.is_crisis(dictated) else None
        if self.needs_safety(dictated):
            return Unclear(dictated)
        return None

    def possible_crisis(self, text: str) -> Reply:
        """Weak evidence of a crisis (only open dictation heard one): ask before answering."""
        return self.safety.ask_if_okay(_clean(text))

    def is_stop(self, text: str) -> bool:
        """True when `text` is clearly "stop" (or goodbye): used to interrupt speech."""
        return control_intent(self.understanding, _clean(text), ListenFor.YES_NO) == names.STOP

    def close(self) -> None:
        """End an exercise left open (text mode reached end of input, or shutdown)."""
        self.runner.end(SessionStatus.STOPPED)

    def proactive(self) -> Reply | None:
        """An offer the coach makes unprompted (the evening reflection), when one is due."""
        if self.runner.current is not None or self._offer is not None or self._asking_name:
            return None
        at = self._settings.evening_reflection_time
        if at == "off":
            return None
        now = self._clock.now()
        hour, minute = (int(part) for part in at.split(":"))
        if (now.hour, now.minute) < (hour, minute):
            return None
        today = now.date().isoformat()
        if self._journal.get_profile(PROFILE_REFLECTION_OFFERED) == today:
            return None
        self._journal.set_profile(PROFILE_REFLECTION_OFFERED, today)
        self._offer = Offer(names.EVENING_REFLECTION, replies.REFLECTION_DECLINED)
        return self._reply(
            [replies.reflection_offer(hour, minute, self.name)],
            self.turns.offer_listen(),
            cacheable=False,
        )

    def start_exercise(self, name: str, intent: str | None = None) -> Reply:
        """Begin an exercise by name, as if its intent had been said."""
        self._offer = None
        return self.runner.start(name, self.name, intent)

    def offer(self, offer: Offer) -> None:
        """Make `offer` the open yes/no question at the top level."""
        self._offer = offer

    def top(
        self,
        lines: list[str] | tuple[str, ...],
        intent: str | None = None,
        ended: bool = False,
        cacheable: bool = True,
    ) -> Reply:
        """A reply at the top level (remembered for "repeat"); an open offer is listened for."""
        spoken = [line for line in lines if line]
        if spoken:
            self.last_top = tuple(spoken)
        listen = self.turns.offer_listen() if self._offer is not None else self.turns.idle_listen()
        return self._reply(spoken, listen, intent=intent, ended=ended, cacheable=cacheable)

    # ----- top level ----------------------------------------------------------

    def _top_level(self, text: str) -> Reply:
        if self.moments.pending is not None:
            followed = self._moment_follow_up(text)
            if followed is not None:
                return followed
        offer, self._offer = self._offer, None
        if offer is not None:
            answered = answer_offer(self, offer, text)
            if answered is not None:
                return answered
        match = self.understanding.recognize(text)
        log.debug("top-level intent %s (%.2f)", match.intent, match.confidence)
        moment = self.moments.respond(
            match.intent, text, self._clock.now(), behaviour_word(self._settings.focus),
            match.confidence,
        )
        if moment is not None:
            return self._moment(moment, match.intent)
        return request(self, match)

    def _moment_follow_up(self, text: str) -> Reply | None:
        """The answer to a listening turn or a date to confirm (a clear request wins)."""
        asked_for = self.understanding.recognize(text)
        if asked_for.intent in self.exercises and asked_for.confidence >= CONFIRM_BELOW:
            self.moments.pending = None  # "I'm having an urge" instead of an answer
            return None
        answer = self.understanding.recognize(text, allowed={names.YES, names.NO}).intent
        follow = self.moments.follow_up(text, answer)
        return None if follow is None else self._moment(follow)

    def _moment(self, moment: MomentReply, intent: str | None = None) -> Reply:
        """Say a reply that fits the moment; an offer or an open turn waits for the answer."""
        if moment.offer and moment.offer in self.exercises:
            self._offer = Offer(moment.offer, moment.on_no)
        if moment.listen_free:
            self.last_top = moment.lines
            return self._reply(moment.lines, self.turns.free_listen(), intent=intent,
                               cacheable=False)
        return self.top(moment.lines, intent=intent, cacheable=False)

    def _on_name(self, text: str) -> Reply:
        match = self.understanding.recognize(text)
        if match.intent is not None and match.intent in self.exercises and match.confidence >= 0.8:
            self._asking_name = False
            self._finish_first_run()
            return self.start_exercise(match.intent, intent=match.intent)
        if match.intent is not None and match.intent not in _NOT_A_NAME:
            # "hi" or "what?" is not a name: ask once more, then carry on without one.
            if not self._name_asked_again:
                self._name_asked_again = True
                return self._reply([replies.ASK_NAME_AGAIN], self.turns.free_listen())
            match = replace(match, intent=names.SKIP)
        self._asking_name = False
        name = "" if match.intent in _NOT_A_NAME else replies.extract_name(text)
        if name:
            self._journal.set_profile(PROFILE_NAME, name)
        self._finish_first_run()
        return self.top([replies.welcome(name)], cacheable=False)

    def _finish_first_run(self) -> None:
        self._journal.set_profile(PROFILE_FIRST_RUN, self._clock.now().isoformat())

    def interrupt_for_safety(self) -> None:
        """A crisis answer is due: end the exercise (answers kept) and any open question."""
        self.runner.end(SessionStatus.CRISIS)
        self._asking_name = False
        self._offer = None

    def _exercise_ended(self, lines: list[str], **kwargs: object) -> Reply:
        """An exercise ended: back to the safety state if it was breathing during a crisis."""
        if self.safety.active:
            return self.safety.after_exercise(lines)
        return self.top(lines, **kwargs)  # type: ignore[arg-type]

    # ----- silence ------------------------------------------------------------

    def _on_silence(self) -> Reply:
        run = self.runner.current
        if run is not None:
            return self.runner.on_silence(run)
        if self.safety.active:
            return self.safety.silence()
        if self._asking_name:
            self._asking_name = False
            self._finish_first_run()
            return self.top([replies.welcome("")])
        self._offer = None
        return self._reply([], self._current_listen())

    # ----- helpers ------------------------------------------------------------

    def _current_listen(self) -> Listen:
        run = self.runner.current
        if run is not None:
            return self.runner.current_listen(run)
        if self._offer is not None:
            return self.turns.offer_listen()
        return self.turns.idle_listen()

    def _reply(
        self,
        lines: list[str] | tuple[str, ...],
        next_step: Listen | Wait,
        intent: str | None = None,
        ended: bool = False,
        cacheable: bool = True,
    ) -> Reply:
        return self.turns.reply(lines, next_step, self.state, intent, ended, cacheable)


def _clean(text: str) -> str:
    """Make any input safe to match: printable characters only, spaces folded.

    Invisible format characters that are part of what was written stay (the
    zero-width joiner inside a family emoji); bidirectional overrides go.
    """
    printable = "".join(ch if ch.isprintable() or _kept_format(ch) else " " for ch in text)
    return " ".join(printable.split())


_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")


def _kept_format(ch: str) -> bool:
    return unicodedata.category(ch) == "Cf" and ch not in _BIDI


ECHO_SHARE = 0.6
"""Dictation whose words are at least this share of the coach's own words being said is
taken for the echo of its voice (what echo cancellation leaves), not the person."""


def _echoes(dictated: str, speaking: Sequence[str]) -> bool:
    said = set(normalize(" ".join(speaking)).split())
    heard = normalize(dictated).split()
    if not said or not heard:
        return False
    return sum(word in said for word in heard) >= ECHO_SHARE * len(heard)
