"""A tiny stand-in for the dialogue engine, to run exercise scripts step by step.

It does what the engine does around an exercise that matters to these tests:
opens a session in a real journal, sends each answer back into the generator,
fills `ctx.answers`, records every answer and closes the session. Crisis, stop,
repeat and silence are the engine's job and are tested there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

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


@pytest.fixture(name="journal")
def journal_fixture(tmp_path: Path) -> Any:
    """A real SQLite journal in the test's own folder."""
    with Journal.open(tmp_path / "journal.sqlite3") as opened:
        yield opened


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


def test_the_driver_sends_answers_back_and_skips_unknown_questions(journal: Journal) -> None:
    def script(ctx: ExerciseContext) -> Script:
        first = yield Ask.number("first", "One?")
        second = yield Ask.free("second", "Two?")
        yield Say(f"{first} {second}")

    ctx = make_ctx(journal)
    run = drive(script, ctx, {"first": 3})
    assert run.asked == ["first", "second"]
    assert run.text == "3 None"
    assert ctx.answers == {"first": 3, "second": None}
    assert journal.latest_answers("test") == {"first": "3", "second": ""}
