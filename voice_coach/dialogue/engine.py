"""The dialogue engine: events in, replies out, with safety checked before anything else.

One `Coach` drives text mode, audio mode and the tests alike. It owns the
conversation state (which exercise is running, which question is open) and
wraps every exercise step with what must always work: a crisis response,
stop, repeat, slower, help, pause, skip and gentle handling of silence.
"""

from __future__ import annotations

import logging
import math
import unicodedata
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from voice_coach.clock import Clock
from voice_coach.dialogue import replies
from voice_coach.dialogue.answers import (
    Parsed,
    control_intent,
    correction,
    keep_whole,
    parse_answer,
)
from voice_coach.dialogue.safety import DISCLAIMER, crisis_response
from voice_coach.exercises.script import (
    Answer,
    Ask,
    Exercise,
    ExerciseContext,
    Pause,
    Say,
    Script,
)
from voice_coach.journal.port import JournalPort, SessionStatus
from voice_coach.messages import (
    Event,
    Listen,
    ListenFor,
    Reply,
    Silence,
    Speak,
    Tick,
    Wait,
)
from voice_coach.settings import Settings
from voice_coach.understanding import Understanding

log = logging.getLogger(__name__)

IDLE_TIMEOUT = math.inf
MAX_PACE = 2.0
PROFILE_FIRST_RUN = "first_run_done"
PROFILE_NAME = "name"
PROFILE_REFLECTION_OFFERED = "reflection_offered_on"
CONFIRM_BELOW = 0.75
"""An exercise matched with less confidence than this is confirmed before it starts.

Measured on spoken phrases (Piper voice, PocketSphinx, benchmarks/phrases.yaml):
9 of the 10 wrong exercise starts, 6 of 7 from out-of-scope requests such as
"is it sunny outside", matched below 0.75, against 19 of 136 right ones. One
"yes" is a small price; being dropped into the wrong exercise is not.
"""


@dataclass
class _Run:
    """An exercise in progress."""

    exercise: Exercise
    script: Script
    ctx: ExerciseContext
    ask: Ask | None = None
    """The open question, when waiting for an answer."""
    wait_until: datetime | None = None
    """The end of the current timed pause, when pausing."""
    paused: bool = False
    """The person said "pause": nothing moves until "resume"."""
    silences: int = 0
    attempts: int = 0
    """Answers to the open question that could not be used (one retry, then move on)."""
    previous: Ask | None = None
    """The question answered last (what "change my answer" goes back to)."""
    revising: Ask | None = None
    """Set while the person re-answers `previous`; the open question comes back after."""
    last_speech: tuple[str, ...] = field(default_factory=tuple)
    """What was said last in this run (for "repeat")."""


@dataclass(frozen=True)
class _Offer:
    """A yes/no question asked at the top level ("shall we breathe together?")."""

    exercise: str
    """The exercise to start on yes ("" for none)."""
    on_no: str


class Coach:
    """The conversation. Feed it events; it answers with `Reply`s."""

    def __init__(
        self,
        understanding: Understanding,
        journal: JournalPort,
        settings: Settings,
        clock: Clock,
        exercises: dict[str, Exercise] | None = None,
    ) -> None:
        if exercises is None:
            from voice_coach.exercises import registry

            exercises = registry()
        self._u = understanding
        self._journal = journal
        self._settings = settings
        self._clock = clock
        self._exercises = exercises
        self._pace = settings.pace
        self._run: _Run | None = None
        self._offer: _Offer | None = None
        self._asking_name = False
        self._name_asked_again = False
        self._last_top: tuple[str, ...] = ()

    # ----- public API ---------------------------------------------------------

    @property
    def state(self) -> str:
        """"idle", "paused", "naming", "offer" or the running exercise's name."""
        if self._run is not None:
            return "paused" if self._run.paused else self._run.exercise.name
        if self._asking_name:
            return "naming"
        return "offer" if self._offer else "idle"

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
                return self._top(lines)
            self._asking_name = True
            lines.append(replies.ASK_NAME)
            return self._reply(lines, Listen(ListenFor.FREE, self._settings.answer_timeout))
        return self._top([replies.hello(self.name)])

    def handle(self, event: Event) -> Reply:
        """Answer one event. Never raises for anything a person could say."""
        if isinstance(event, Tick):
            return self._on_tick()
        if isinstance(event, Silence):
            return self._on_silence()
        text = _clean(event.text)
        if not text:
            return self._on_silence()
        if self._u.is_crisis(text):
            return self._crisis()
        if self._run is not None:
            return self._in_exercise(self._run, text)
        if self._asking_name:
            return self._on_name(text)
        return self._top_level(text)

    def is_crisis(self, text: str) -> bool:
        """True for crisis language (audio mode checks speech heard without the wake phrase)."""
        return self._u.is_crisis(_clean(text))

    def is_stop(self, text: str) -> bool:
        """True when `text` is clearly "stop" (or goodbye): used to interrupt speech."""
        return control_intent(self._u, _clean(text), ListenFor.YES_NO) == "stop"

    def close(self) -> None:
        """End an exercise left open (text mode reached end of input, or shutdown)."""
        run, self._run = self._run, None
        if run is not None:
            self._close(run, SessionStatus.STOPPED)

    def proactive(self) -> Reply | None:
        """An offer the coach makes unprompted (the evening reflection), when one is due."""
        if self._run is not None or self._offer is not None or self._asking_name:
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
        self._offer = _Offer("evening_reflection", replies.REFLECTION_DECLINED)
        return self._reply(
            [replies.reflection_offer(hour, minute, self.name)],
            self._offer_listen(),
            cacheable=False,
        )

    # ----- top level ----------------------------------------------------------

    def _top_level(self, text: str) -> Reply:
        offer, self._offer = self._offer, None
        if offer is not None:
            yes_no = self._u.recognize(text, allowed={"yes", "no"})
            if yes_no.intent == "yes":
                if offer.exercise:
                    return self.start_exercise(offer.exercise)
                return self._top([replies.WHAT_NEXT])
            if yes_no.intent == "no":
                return self._top([offer.on_no])
        match = self._u.recognize(text)
        intent = match.intent
        log.debug("top-level intent %s (%.2f)", intent, match.confidence)
        if intent in self._exercises:
            if match.confidence < CONFIRM_BELOW:
                self._offer = _Offer(intent, replies.MISHEARD)
                title = self._exercises[intent].title
                return self._top([replies.did_you_ask_for(title)], intent=intent)
            return self.start_exercise(intent, intent=intent)
        if intent == "greeting":
            return self._top([replies.hello(self.name)], intent=intent)
        if intent == "goodbye":
            return self._top([replies.goodbye(self.name)], intent=intent, ended=True)
        if intent == "thanks":
            return self._top([replies.YOURE_WELCOME], intent=intent)
        if intent == "help":
            return self._top(list(replies.capabilities(self._exercises)), intent=intent)
        if intent == "repeat":
            return self._top(list(self._last_top) or [replies.WHAT_NEXT], intent=intent)
        if intent == "slower":
            self._slow_down()
            return self._top([replies.SLOWER, *self._last_top], intent=intent)
        if intent in ("stop", "no", "pause"):
            return self._top([replies.OKAY_HERE], intent=intent)
        if intent in ("yes", "resume", "number", "skip", "back", "not_sure"):
            return self._top([replies.WHAT_NEXT], intent=intent)
        if intent is not None:
            return self._top([replies.WHAT_NEXT], intent=intent)
        return self._top(list(replies.out_of_scope()), intent=None)

    def _on_name(self, text: str) -> Reply:
        match = self._u.recognize(text)
        if match.intent in self._exercises and match.confidence >= 0.8:
            self._asking_name = False
            self._finish_first_run()
            return self.start_exercise(match.intent, intent=match.intent)
        if match.intent is not None and match.intent not in ("skip", "no", "stop"):
            # "hi" or "what?" is not a name: ask once more, then carry on without one.
            if not self._name_asked_again:
                self._name_asked_again = True
                return self._reply(
                    [replies.ASK_NAME_AGAIN], Listen(ListenFor.FREE, self._settings.answer_timeout)
                )
            match = replace(match, intent="skip")
        self._asking_name = False
        name = "" if match.intent in ("skip", "no", "stop") else replies.extract_name(text)
        if name:
            self._journal.set_profile(PROFILE_NAME, name)
        self._finish_first_run()
        return self._top([replies.welcome(name)], cacheable=False)

    def _finish_first_run(self) -> None:
        self._journal.set_profile(PROFILE_FIRST_RUN, self._clock.now().isoformat())

    def _crisis(self) -> Reply:
        run, self._run = self._run, None
        self._asking_name = False
        if run is not None:
            self._close(run, SessionStatus.CRISIS)
        self._offer = _Offer("breathing", replies.AFTER_CRISIS_NO)
        lines = crisis_response(self._settings.crisis_region)
        self._last_top = lines
        return self._reply(lines, self._offer_listen(), intent="crisis")

    def start_exercise(self, name: str, intent: str | None = None) -> Reply:
        """Begin an exercise by name, as if its intent had been said."""
        exercise = self._exercises[name]
        now = self._clock.now()
        session_id = self._journal.start_session(exercise.name, now)
        ctx = ExerciseContext(self._journal, self._settings, self._clock, session_id, self.name)
        run = _Run(exercise, exercise.run(ctx), ctx)
        self._run = run
        self._offer = None
        log.info("exercise %s started (session %d)", name, session_id)
        return self._advance(run, None, [], intent=intent, first=True)

    # ----- inside an exercise -------------------------------------------------

    def _in_exercise(self, run: _Run, text: str) -> Reply:
        ask = run.ask
        if ask is not None and ask.literal and not run.paused:
            return self._answer(run, ask, text)
        kind = ask.kind if ask is not None else ListenFor.COMMAND
        control = control_intent(self._u, text, kind)
        if (
            control is not None
            and ask is not None
            and ask.kind is ListenFor.CHOICE
            and len(text.split()) > 1
            and parse_answer(self._u, ask, text).ok
        ):
            control = None  # "leave the room now" names a DEADS option: the choice wins.
        if run.paused:
            if control in ("resume", "repeat") or self._u.recognize(
                text, allowed={"resume", "yes"}
            ).intent:
                run.paused = False
                return self._repeat(run, [replies.RESUMING])
            if control == "stop":
                return self._stop(run)
            return self._reply([replies.STILL_PAUSED], self._paused_listen())
        if run.ask is not None and run.previous is not None and run.revising is None:
            fixed = correction(text)
            if fixed is not None:
                parsed = parse_answer(self._u, run.previous, fixed)
                if parsed.ok and parsed.value is not None:
                    return self._revise(run, run.previous, parsed)
        if control is not None:
            return self._control(run, control)
        if run.ask is None:
            # Said something during a timed pause: stay with the exercise.
            return self._remaining_wait(run, [replies.STILL_HERE])
        asked = run.revising or run.ask
        parsed = parse_answer(self._u, asked, text, run.attempts)
        self._record_extra(run, parsed)
        if run.revising is not None:
            if not parsed.ok or parsed.value is None:
                run.revising = None
                return self._listen_again(run, [replies.REVISE_KEPT, run.ask.prompt])
            return self._revise(run, run.revising, parsed)
        if not parsed.ok:
            other = self._u.recognize(text)
            if other.intent in self._exercises and other.intent != run.exercise.name:
                lines = [replies.busy_with(run.exercise.title), run.ask.prompt]
                return self._listen_again(run, lines)
            run.attempts += 1
            return self._listen_again(run, [parsed.retry])
        return self._store_and_advance(
            run, run.ask, parsed.text, parsed.number, parsed.value, parsed.note
        )

    def _record_extra(self, run: _Run, parsed: Parsed) -> None:
        for key, question, text, number in parsed.extra:
            self._journal.revise_answer(
                run.ctx.session_id, key, question, text, number, self._clock.now()
            )

    def _revise(self, run: _Run, ask: Ask, parsed: Parsed) -> Reply:
        """Replace an earlier answer ("wait, I meant three"), then ask the open question again."""
        run.revising = None
        self._journal.revise_answer(
            run.ctx.session_id, ask.key, ask.prompt, parsed.text, parsed.number,
            self._clock.now(),
        )
        run.ctx.answers[ask.key] = parsed.value
        prompt = run.ask.prompt if run.ask is not None else ""
        return self._listen_again(run, [replies.revised(parsed.text), prompt])

    def _answer(self, run: _Run, ask: Ask, text: str) -> Reply:
        """Take any words as the answer (a literal step)."""
        kept = keep_whole(text)
        return self._store_and_advance(run, ask, kept, None, kept)

    def _store_and_advance(
        self, run: _Run, ask: Ask, text: str, number: float | None, value: Answer,
        note: str = "",
    ) -> Reply:
        """Store the answer before anything else happens, then move the script on."""
        run.ask = None
        run.silences = 0
        run.attempts = 0
        run.previous = ask
        self._journal.record_answer(
            run.ctx.session_id, ask.key, ask.prompt, text, number, self._clock.now()
        )
        run.ctx.answers[ask.key] = value
        return self._advance(run, value, [note] if note else [])

    def _control(self, run: _Run, control: str) -> Reply:
        if control == "stop":
            return self._stop(run)
        if control == "repeat":
            return self._repeat(run, [])
        if control == "slower":
            self._slow_down()
            return self._repeat(run, [replies.SLOWER])
        if control == "help":
            help_text = (run.ask.help if run.ask and run.ask.help else "") or run.exercise.help
            return self._repeat(run, [help_text, replies.CONTROLS])
        if control == "pause":
            run.paused = True
            return self._reply([replies.PAUSED], self._paused_listen())
        if control == "skip":
            if run.ask is None:
                run.wait_until = None
                return self._advance(run, None, [replies.SKIPPING])
            run.ask = None
            run.silences = 0
            run.attempts = 0
            run.revising = None
            return self._advance(run, None, [replies.SKIPPING])
        if control == "back":
            if run.ask is None or run.previous is None:
                return self._repeat(run, [replies.CANT_GO_BACK])
            run.revising = run.previous
            return self._listen_again_for(run, run.previous, [replies.GOING_BACK,
                                                              run.previous.prompt])
        # "resume" while not paused: just carry on.
        return self._repeat(run, [])

    def _stop(self, run: _Run) -> Reply:
        self._run = None
        self._close(run, SessionStatus.STOPPED)
        return self._top([replies.stopped(run.exercise.title)])

    def _repeat(self, run: _Run, before: list[str]) -> Reply:
        if run.ask is not None:
            return self._listen_again(run, [*before, *run.last_speech])
        return self._remaining_wait(run, [*before, *run.last_speech])

    def _listen_again(self, run: _Run, lines: list[str]) -> Reply:
        listen = self._listen_for(run.ask) if run.ask else self._current_listen()
        return self._reply(lines, listen, state=run.exercise.name)

    def _listen_again_for(self, run: _Run, ask: Ask, lines: list[str]) -> Reply:
        return self._reply(lines, self._listen_for(ask), state=run.exercise.name, cacheable=False)

    def _remaining_wait(self, run: _Run, lines: list[str]) -> Reply:
        remaining = 0.0
        if run.wait_until is not None:
            remaining = max(0.0, (run.wait_until - self._clock.now()).total_seconds())
        return self._reply(lines, Wait(remaining), state=run.exercise.name)

    def _advance(
        self,
        run: _Run,
        value: Answer,
        lines: list[str],
        intent: str | None = None,
        first: bool = False,
    ) -> Reply:
        """Run the script until it asks, pauses or ends; collect what it says."""
        spoken: list[str] = list(lines)
        personal = False
        run.wait_until = None
        try:
            step = next(run.script) if first else run.script.send(value)
            while True:
                if isinstance(step, Say):
                    spoken.append(step.text)
                    personal = personal or step.personal
                    step = next(run.script)
                elif isinstance(step, Pause):
                    seconds = step.seconds * self._pace
                    run.wait_until = self._clock.now() + timedelta(seconds=seconds)
                    run.last_speech = tuple(spoken[len(lines):]) or run.last_speech
                    return self._reply(
                        spoken, Wait(seconds), intent=intent, state=run.exercise.name,
                        cacheable=not personal,
                    )
                else:
                    run.ask = step
                    spoken.append(step.prompt)
                    personal = personal or step.personal
                    run.last_speech = (step.prompt,)
                    return self._reply(
                        spoken, self._listen_for(step), intent=intent,
                        state=run.exercise.name, cacheable=not personal,
                    )
        except StopIteration:
            self._run = None
            self._close(run, SessionStatus.COMPLETED)
            return self._top(spoken, intent=intent, cacheable=not personal)
        except Exception:
            log.exception("exercise %s failed", run.exercise.name)
            self._run = None
            self._close(run, SessionStatus.STOPPED)
            return self._top([*spoken, replies.EXERCISE_FAILED], intent=intent)

    def _close(self, run: _Run, status: str) -> None:
        run.script.close()
        self._journal.end_session(run.ctx.session_id, status, self._clock.now())
        log.info("exercise %s ended: %s", run.exercise.name, status)

    # ----- time and silence ---------------------------------------------------

    def _on_tick(self) -> Reply:
        run = self._run
        if run is None or run.paused or run.wait_until is None:
            return self._reply([], self._current_listen())
        if self._clock.now() < run.wait_until:
            return self._remaining_wait(run, [])
        return self._advance(run, None, [])

    def _on_silence(self) -> Reply:
        run = self._run
        if run is None:
            if self._asking_name:
                self._asking_name = False
                self._finish_first_run()
                return self._top([replies.welcome("")])
            self._offer = None
            return self._reply([], self._current_listen())
        if run.paused:
            return self._reply([], self._paused_listen())
        if run.ask is None:
            return self._on_tick()
        run.silences += 1
        if run.silences == 1:
            reprompt = run.ask.reprompt or replies.gentle(run.ask.prompt)
            return self._listen_again(run, [reprompt])
        self._run = None
        self._close(run, SessionStatus.TIMED_OUT)
        return self._top([replies.TIMED_OUT])

    # ----- helpers ------------------------------------------------------------

    def _slow_down(self) -> None:
        self._pace = min(MAX_PACE, round(self._pace * 1.25, 2))

    def _listen_for(self, ask: Ask) -> Listen:
        phrases = tuple(p for c in ask.choices for p in (c.phrases or (c.value,)))
        return Listen(ask.kind, self._settings.answer_timeout, phrases)

    def _paused_listen(self) -> Listen:
        return Listen(ListenFor.COMMAND, IDLE_TIMEOUT)

    def _current_listen(self) -> Listen:
        if self._run is not None and self._run.ask is not None:
            return self._listen_for(self._run.ask)
        if self._offer is not None:
            return self._offer_listen()
        return Listen(ListenFor.COMMAND, IDLE_TIMEOUT, idle=True)

    def _offer_listen(self) -> Listen:
        """An offer is answered yes or no, but any request (and crisis) is still heard."""
        return Listen(ListenFor.YES_NO, self._settings.answer_timeout, requests=True)

    def _top(
        self,
        lines: list[str] | tuple[str, ...],
        intent: str | None = None,
        ended: bool = False,
        cacheable: bool = True,
    ) -> Reply:
        spoken = [line for line in lines if line]
        if spoken:
            self._last_top = tuple(spoken)
        listen = (
            self._offer_listen()
            if self._offer is not None
            else Listen(ListenFor.COMMAND, IDLE_TIMEOUT, idle=True)
        )
        return self._reply(spoken, listen, intent=intent, ended=ended, cacheable=cacheable)

    def _reply(
        self,
        lines: list[str] | tuple[str, ...],
        next_step: Listen | Wait,
        intent: str | None = None,
        ended: bool = False,
        state: str | None = None,
        cacheable: bool = True,
    ) -> Reply:
        speech = tuple(Speak(line, self._pace, cacheable) for line in lines if line)
        return Reply(speech, next_step, ended, state or self.state, intent)


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
