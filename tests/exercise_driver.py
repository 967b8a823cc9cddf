"""Stand-ins for the dialogue engine, to run exercise scripts step by step.

`drive` (with `make_ctx`) does what the engine does around an exercise that matters to these tests:
opens a session in a real journal, sends each answer back into the generator,
fills `ctx.answers`, records every answer and closes the session. Crisis, stop,
repeat and silence are the engine's job and are tested there.

`Driver` (with `open_driver`): the same, and it checks every question has a scripted
answer, records answers as the engine formats them and can stop at a question.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from voice_coach.clock import ManualClock
from voice_coach.exercises.script import Answer, Ask, ExerciseContext, Pause, Say, Script, Step
from voice_coach.journal.port import SessionStatus
from voice_coach.journal.store import Journal
from voice_coach.settings import Settings

START = datetime(2024, 5, 6, 20, 0).astimezone()


@dataclass
class Run:
    """What the person heard and was asked, in order."""

    steps: list[Step]
    asked: list[str]
    """The keys of the questions asked."""
    prompts: list[str]
    said: list[Say]

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.said)

    @property
    def pause_seconds(self) -> float:
        return sum(s.seconds for s in self.steps if isinstance(s, Pause))

    def said_after(self, key: str) -> str:
        """Everything said after the question `key` was answered."""
        index = next(i for i, s in enumerate(self.steps) if isinstance(s, Ask) and s.key == key)
        return " ".join(s.text for s in self.steps[index + 1 :] if isinstance(s, Say))


def make_ctx(
    journal: Journal, exercise: str = "test", at: datetime = START, **settings: Any
) -> ExerciseContext:
    """A context with a fresh session, as the engine makes when an exercise starts."""
    values = {"name": "Sam", **settings}
    return ExerciseContext(
        journal=journal,
        settings=Settings(**values),
        clock=ManualClock(at),
        session_id=journal.start_session(exercise, at),
        name=str(values["name"]),
    )


def drive(
    run: Callable[[ExerciseContext], Script],
    ctx: ExerciseContext,
    answers: Mapping[str, Answer],
) -> Run:
    """Run an exercise to its end; questions not in `answers` get None, like "skip"."""
    script = run(ctx)
    steps: list[Step] = []
    reply: Answer = None
    started = False
    clock = ctx.clock
    while True:
        try:
            step = script.send(reply) if started else next(script)
        except StopIteration:
            break
        started = True
        steps.append(step)
        reply = None
        if isinstance(step, Pause) and isinstance(clock, ManualClock):
            clock.advance(step.seconds)
        if isinstance(step, Ask):
            keys = [s.key for s in steps if isinstance(s, Ask)]
            if keys.count(step.key) > 1:
                raise AssertionError(f"question key {step.key!r} asked twice")
            reply = answers.get(step.key)
            ctx.answers[step.key] = reply
            number = float(reply) if isinstance(reply, int) else None
            ctx.journal.record_answer(
                ctx.session_id, step.key, step.prompt, "" if reply is None else str(reply),
                number, ctx.now(),
            )
    ctx.journal.end_session(ctx.session_id, SessionStatus.COMPLETED, ctx.now())
    return Run(
        steps=steps,
        asked=[s.key for s in steps if isinstance(s, Ask)],
        prompts=[s.prompt for s in steps if isinstance(s, Ask)],
        said=[s for s in steps if isinstance(s, Say)],
    )


@dataclass
class Transcript:
    """What one run of an exercise said and asked."""

    steps: list[Step] = field(default_factory=list)
    status: str = SessionStatus.ACTIVE

    @property
    def keys(self) -> list[str]:
        """The questions asked, by key, in order."""
        return [s.key for s in self.steps if isinstance(s, Ask)]

    @property
    def said(self) -> list[str]:
        return [s.text for s in self.steps if isinstance(s, Say)]

    @property
    def personal(self) -> list[str]:
        """Lines that read the person's own words back."""
        return [s.text for s in self.steps if isinstance(s, Say) and s.personal]

    @property
    def text(self) -> str:
        """Everything spoken, prompts included, as one string."""
        return " ".join(s.text if isinstance(s, Say) else s.prompt
                        for s in self.steps if isinstance(s, Say | Ask))

    def ask(self, key: str) -> Ask:
        return next(s for s in self.steps if isinstance(s, Ask) and s.key == key)


def engine_text(answer: Answer) -> tuple[str, float | None]:
    """The text and number the engine stores for an answer."""
    if isinstance(answer, bool):
        return ("yes", 1.0) if answer else ("no", 0.0)
    if isinstance(answer, int):
        return str(answer), float(answer)
    return str(answer), None


@dataclass
class Driver:
    journal: Journal
    clock: ManualClock
    settings: Settings

    def drive(
        self,
        name: str,
        run: Callable[[ExerciseContext], Script],
        answers: Mapping[str, Answer],
        stop_at: str | None = None,
    ) -> Transcript:
        """Run one exercise; every question must have a scripted answer (None = "skip")."""
        session = self.journal.start_session(name, self.clock.now())
        ctx = ExerciseContext(self.journal, self.settings, self.clock, session,
                              self.settings.name)
        script = run(ctx)
        out = Transcript()
        value: Answer = None
        try:
            step = next(script)
            while True:
                out.steps.append(step)
                value = None
                if isinstance(step, Ask):
                    if step.key == stop_at:
                        script.close()
                        out.status = SessionStatus.STOPPED
                        break
                    if step.key not in answers:
                        raise AssertionError(f"unexpected question {step.key!r}: {step.prompt}")
                    value = answers[step.key]
                    if value is not None:
                        text, number = engine_text(value)
                        self.journal.record_answer(session, step.key, step.prompt, text,
                                                   number, self.clock.now())
                    ctx.answers[step.key] = value
                self.clock.advance(5)
                step = script.send(value)
        except StopIteration:
            out.status = SessionStatus.COMPLETED
        self.journal.end_session(session, out.status, self.clock.now())
        self.clock.advance(60)
        return out


def open_driver(tmp_path: Path) -> Iterator[Driver]:
    """A driver on a fresh journal file, for Sam, who is working on drinking.

    Test modules wrap it in their own `driver` fixture: `yield from open_driver(tmp_path)`.
    """
    journal = Journal.open(tmp_path / "journal.sqlite3")
    yield Driver(journal, ManualClock(START), Settings(name="Sam", focus="alcohol"))
    journal.close()
