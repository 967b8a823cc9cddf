"""Run helper-2 exercise scripts step by step against a real SQLite journal.

`drive` does what the engine does around an exercise: opens a session, sends
each scripted answer back into the generator, records every answer the moment
it is given (as the engine formats it), and closes the session as completed,
or as stopped when told to stop at a question. Crisis, repeat and silence are
the engine's job and are tested there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from voice_coach.clock import ManualClock
from voice_coach.exercises.script import Answer, Ask, ExerciseContext, Say, Script, Step
from voice_coach.journal.port import SessionStatus
from voice_coach.journal.store import Journal
from voice_coach.settings import Settings

START = datetime(2024, 5, 6, 20, 0).astimezone()


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
