"""A tiny stand-in for the dialogue engine, to run exercise scripts step by step.

It does what the engine does around an exercise that matters to these tests:
sends each answer back into the generator, fills `ctx.answers` and records every
answer in the journal. Crisis, stop, repeat and silence are the engine's job and
are tested there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from voice_coach.clock import ManualClock
from voice_coach.dialogue.script import Answer, Ask, ExerciseContext, Pause, Say, Script, Step
from voice_coach.journal.port import ProgressStats, UrgeEntry
from voice_coach.settings import Settings

START = datetime(2024, 5, 6, 20, 0).astimezone()


@dataclass
class FakeJournal:
    """JournalPort in memory, with the same meaning as the SQLite journal."""

    urges: dict[int, UrgeEntry] = field(default_factory=dict)
    lapses: list[tuple[int, datetime, bool]] = field(default_factory=list)
    profile: dict[str, str] = field(default_factory=dict)
    answers: list[tuple[int, str, str, float | None]] = field(default_factory=list)
    latest: dict[str, dict[str, str]] = field(default_factory=dict)
    stats: ProgressStats = field(
        default_factory=lambda: ProgressStats(None, 0, None, None, 0, 0, 0)
    )
    sessions: int = 0
    progress_asked: list[datetime] = field(default_factory=list)

    def start_session(self, exercise: str, at: datetime) -> int:
        self.sessions += 1
        return self.sessions

    def end_session(self, session_id: int, status: str, at: datetime) -> None:
        pass

    def record_answer(
        self, session_id: int, key: str, question: str, text: str, number: float | None,
        at: datetime,
    ) -> None:
        self.answers.append((session_id, key, text, number))

    def save_urge(
        self,
        session_id: int,
        at: datetime,
        *,
        intensity_before: int | None = None,
        intensity_after: int | None = None,
        trigger: str | None = None,
        what_helped: str | None = None,
        method: str | None = None,
    ) -> None:
        entry = self.urges.get(session_id) or UrgeEntry(at, None, None, None, None, None)
        changes: dict[str, Any] = {
            "intensity_before": intensity_before,
            "intensity_after": intensity_after,
            "trigger": trigger,
            "what_helped": what_helped,
            "method": method,
        }
        self.urges[session_id] = replace(
            entry, **{k: v for k, v in changes.items() if v is not None}
        )

    def record_lapse(self, session_id: int, at: datetime, reset_count: bool) -> None:
        self.lapses.append((session_id, at, reset_count))
        if reset_count:
            self.profile["sober_since"] = at.date().isoformat()

    def latest_answers(self, exercise: str) -> dict[str, str]:
        return dict(self.latest.get(exercise, {}))

    def get_profile(self, key: str) -> str | None:
        return self.profile.get(key)

    def set_profile(self, key: str, value: str) -> None:
        self.profile[key] = value

    def progress(self, now: datetime) -> ProgressStats:
        self.progress_asked.append(now)
        return self.stats


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


def make_ctx(journal: Any = None, **settings: Any) -> ExerciseContext:
    values = {"name": "Sam", **settings}
    return ExerciseContext(
        journal=journal if journal is not None else FakeJournal(),
        settings=Settings(**values),
        clock=ManualClock(START),
        session_id=1,
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
    return Run(
        steps=steps,
        asked=[s.key for s in steps if isinstance(s, Ask)],
        prompts=[s.prompt for s in steps if isinstance(s, Ask)],
        said=[s for s in steps if isinstance(s, Say)],
    )


def test_the_driver_sends_answers_back_and_skips_unknown_questions() -> None:
    def script(ctx: ExerciseContext) -> Script:
        first = yield Ask.number("first", "One?")
        second = yield Ask.free("second", "Two?")
        yield Say(f"{first} {second}")

    ctx = make_ctx()
    run = drive(script, ctx, {"first": 3})
    assert run.asked == ["first", "second"]
    assert run.text == "3 None"
    assert ctx.answers == {"first": 3, "second": None}


def test_the_fake_journal_keeps_urge_fields_that_a_later_save_leaves_out() -> None:
    journal = FakeJournal()
    journal.save_urge(1, START, intensity_before=8)
    journal.save_urge(1, START, trigger="a text from my ex")
    assert journal.urges[1].intensity_before == 8
    assert journal.urges[1].trigger == "a text from my ex"
