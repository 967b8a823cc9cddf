"""The exercise driver the exercise tests use does what the engine does around a script."""

from __future__ import annotations

from exercise_driver import drive, make_ctx

from voice_coach.exercises.script import Ask, ExerciseContext, Say, Script
from voice_coach.journal.store import Journal


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
