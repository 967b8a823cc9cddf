"""The exercise runner: steps a script, stores each answer first, and keeps its place.

An exercise is a generator of `Say`, `Pause` and `Ask` steps. The runner says
the steps until the script asks or pauses, reads each answer with
`dialogue.answers`, writes it to the journal before anything else happens,
and hands control words to `dialogue.controls`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from voice_coach import names
from voice_coach.clock import Clock
from voice_coach.dialogue import replies
from voice_coach.dialogue.answers import (
    Parsed,
    control_intent,
    correction,
    keep_whole,
    parse_answer,
)
from voice_coach.dialogue.controls import CONTROLS
from voice_coach.dialogue.turns import Turns
from voice_coach.exercises.script import Answer, Ask, Exercise, ExerciseContext, Pause, Say, Script
from voice_coach.journal.port import JournalPort, SessionStatus
from voice_coach.messages import Listen, ListenFor, Reply, Wait
from voice_coach.settings import Settings
from voice_coach.understanding import Understanding

log = logging.getLogger(__name__)

@dataclass
class Run:
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

    @property
    def state(self) -> str:
        return "paused" if self.paused else self.exercise.name


class ExerciseRunner:
    """Runs one exercise at a time for the `Coach`."""

    def __init__(
        self,
        understanding: Understanding,
        journal: JournalPort,
        settings: Settings,
        clock: Clock,
        turns: Turns,
        exercises: Mapping[str, Exercise],
        to_top: Callable[..., Reply],
    ) -> None:
        self._u = understanding
        self._journal = journal
        self._settings = settings
        self._clock = clock
        self.turns = turns
        self._exercises = exercises
        self._to_top = to_top
        """`Coach.top(lines, intent=..., cacheable=...)`: where an ended exercise returns."""
        self.current: Run | None = None

    # ----- starting and ending ------------------------------------------------

    def start(self, name: str, person: str, intent: str | None = None) -> Reply:
        exercise = self._exercises[name]
        now = self._clock.now()
        session_id = self._journal.start_session(exercise.name, now)
        ctx = ExerciseContext(self._journal, self._settings, self._clock, session_id, person)
        run = Run(exercise, exercise.run(ctx), ctx)
        self.current = run
        log.info("exercise %s started (session %d)", name, session_id)
        return self.advance(run, None, [], intent=intent, first=True)

    def end(self, status: str) -> None:
        """End the exercise in progress, if any, with `status` (stopped, crisis...)."""
        run, self.current = self.current, None
        if run is not None:
            self._close(run, status)

    def stop(self, run: Run) -> Reply:
        self.current = None
        self._close(run, SessionStatus.STOPPED)
        return self._to_top([replies.stopped(run.exercise.title)])

    def _close(self, run: Run, status: str) -> None:
        run.script.close()
        self._journal.end_session(run.ctx.session_id, status, self._clock.now())
        log.info("exercise %s ended: %s", run.exercise.name, status)

    # ----- what the person said -----------------------------------------------

    def handle_text(self, run: Run, text: str) -> Reply:
        """Something said inside an exercise: a control, a correction or the answer."""
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
            if control in (names.RESUME, names.REPEAT) or self._u.recognize(
                text, allowed={names.RESUME, names.YES}
            ).intent:
                run.paused = False
                return self.repeat(run, [replies.RESUMING])
            if control == names.STOP:
                return self.stop(run)
            return self.reply(run, [replies.STILL_PAUSED], self.turns.paused_listen())
        if run.ask is not None and run.previous is not None and run.revising is None:
            fixed = correction(text)
            if fixed is not None:
                parsed = parse_answer(self._u, run.previous, fixed)
                if parsed.ok and parsed.value is not None:
                    return self._revise(run, run.previous, parsed)
        if control is not None:
            return CONTROLS.get(control, CONTROLS[names.RESUME])(self, run)
        if run.ask is None:
            # Said something during a timed pause: stay with the exercise.
            return self.remaining_wait(run, [replies.STILL_HERE])
        asked = run.revising or run.ask
        parsed = parse_answer(self._u, asked, text, run.attempts)
        self._record_extra(run, parsed)
        if run.revising is not None:
            if not parsed.ok or parsed.value is None:
                run.revising = None
                return self.listen_again(run, [replies.REVISE_KEPT, run.ask.prompt])
            return self._revise(run, run.revising, parsed)
        if not parsed.ok:
            other = self._u.recognize(text)
            if other.intent in self._exercises and other.intent != run.exercise.name:
                lines = [replies.busy_with(run.exercise.title), run.ask.prompt]
                return self.listen_again(run, lines)
            run.attempts += 1
            return self.listen_again(run, [parsed.retry])
        return self._store_and_advance(
            run, run.ask, parsed.text, parsed.number, parsed.value, parsed.note
        )

    def _record_extra(self, run: Run, parsed: Parsed) -> None:
        for key, question, text, number in parsed.extra:
            self._journal.revise_answer(
                run.ctx.session_id, key, question, text, number, self._clock.now()
            )

    def _revise(self, run: Run, ask: Ask, parsed: Parsed) -> Reply:
        """Replace an earlier answer ("wait, I meant three"), then ask the open question again."""
        run.revising = None
        self._journal.revise_answer(
            run.ctx.session_id, ask.key, ask.prompt, parsed.text, parsed.number,
            self._clock.now(),
        )
        run.ctx.answers[ask.key] = parsed.value
        prompt = run.ask.prompt if run.ask is not None else ""
        return self.listen_again(run, [replies.revised(parsed.text), prompt])

    def _answer(self, run: Run, ask: Ask, text: str) -> Reply:
        """Take any words as the answer (a literal step)."""
        kept = keep_whole(text)
        return self._store_and_advance(run, ask, kept, None, kept)

    def _store_and_advance(
        self, run: Run, ask: Ask, text: str, number: float | None, value: Answer,
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
        return self.advance(run, value, [note] if note else [])

    # ----- time and silence ---------------------------------------------------

    def on_tick(self, run: Run) -> Reply:
        if run.paused or run.wait_until is None:
            return self.reply(run, [], self.current_listen(run))
        if self._clock.now() < run.wait_until:
            return self.remaining_wait(run, [])
        return self.advance(run, None, [])

    def on_silence(self, run: Run) -> Reply:
        """No answer: one gentle re-prompt, then the exercise ends (answers kept)."""
        if run.paused:
            return self.reply(run, [], self.turns.paused_listen())
        if run.ask is None:
            return self.on_tick(run)
        run.silences += 1
        if run.silences == 1:
            reprompt = run.ask.reprompt or replies.gentle(run.ask.prompt)
            return self.listen_again(run, [reprompt])
        if high_urge(run.ctx.answers) and run.silences <= HIGH_URGE_SILENCES:
            # In a strong urge the coach stays: silence is not "now isn't a good time".
            line = replies.STAYING[(run.silences - 2) % len(replies.STAYING)]
            return self.listen_again(run, [line])
        self.current = None
        self._close(run, SessionStatus.TIMED_OUT)
        return self._to_top([replies.TIMED_OUT])

    # ----- the script ---------------------------------------------------------

    def advance(
        self,
        run: Run,
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
                    seconds = step.seconds * self.turns.pace
                    run.wait_until = self._clock.now() + timedelta(seconds=seconds)
                    run.last_speech = tuple(spoken[len(lines):]) or run.last_speech
                    return self.turns.reply(
                        spoken, Wait(seconds), run.exercise.name, intent,
                        cacheable=not personal,
                    )
                else:
                    run.ask = step
                    spoken.append(step.prompt)
                    personal = personal or step.personal
                    run.last_speech = (step.prompt,)
                    return self.turns.reply(
                        spoken, self.turns.listen_for(step), run.exercise.name, intent,
                        cacheable=not personal,
                    )
        except StopIteration:
            self.current = None
            self._close(run, SessionStatus.COMPLETED)
            return self._to_top(spoken, intent=intent, cacheable=not personal)
        except Exception:
            log.exception("exercise %s failed", run.exercise.name)
            self.current = None
            self._close(run, SessionStatus.STOPPED)
            return self._to_top([*spoken, replies.EXERCISE_FAILED], intent=intent)

    # ----- replies ------------------------------------------------------------

    def repeat(self, run: Run, before: list[str]) -> Reply:
        if run.ask is not None:
            return self.listen_again(run, [*before, *run.last_speech])
        return self.remaining_wait(run, [*before, *run.last_speech])

    def listen_again(self, run: Run, lines: list[str]) -> Reply:
        return self.turns.reply(lines, self.current_listen(run), run.exercise.name)

    def listen_again_for(self, run: Run, ask: Ask, lines: list[str]) -> Reply:
        return self.turns.reply(
            lines, self.turns.listen_for(ask), run.exercise.name, cacheable=False
        )

    def remaining_wait(self, run: Run, lines: list[str]) -> Reply:
        remaining = 0.0
        if run.wait_until is not None:
            remaining = max(0.0, (run.wait_until - self._clock.now()).total_seconds())
        return self.turns.reply(lines, Wait(remaining), run.exercise.name)

    def current_listen(self, run: Run) -> Listen:
        if run.ask is not None:
            return self.turns.listen_for(run.ask)
        return self.turns.idle_listen()

    def reply(self, run: Run, lines: list[str], next_step: Listen | Wait) -> Reply:
        return self.turns.reply(lines, next_step, run.state)


HIGH_URGE = 7
HIGH_URGE_SILENCES = 5
"""In a strong urge the coach stays through this many silences before it lets the run rest."""


def high_urge(answers: Mapping[str, Answer]) -> bool:
    """True when the latest urge rating given in this run is 7 or more."""
    ratings = [
        value for key, value in answers.items()
        if (key.startswith("intensity") or key.startswith("rating_"))
        and isinstance(value, int) and not isinstance(value, bool)
    ]
    return bool(ratings) and ratings[-1] >= HIGH_URGE
