"""The exercise driver the exercise tests use runs a script through the real engine."""

from __future__ import annotations

import pytest
from conftest import ExerciseDriver

from voice_coach.exercises.script import Ask, ExerciseContext, Say, Script
from voice_coach.journal.store import Journal


def test_the_driver_sends_answers_back_and_skips_unknown_questions(
    driver: ExerciseDriver, journal: Journal,
) -> None:
    def script(ctx: ExerciseContext) -> Script:
        first = yield Ask.number("first", "One?")
        second = yield Ask.free("second", "Two?")
        yield Say(f"{first} {second}")

    run = driver.drive(script, {"first": 3}, name="test")
    assert run.asked == ["first", "second"]
    assert run.text == "3 None"
    assert run.ctx.answers == {"first": 3}
    assert journal.latest_answers("test") == {"first": "3"}
    assert run.status == "completed"


def test_the_driver_fails_when_the_coach_does_not_take_an_answer(
    driver: ExerciseDriver,
) -> None:
    def script(ctx: ExerciseContext) -> Script:
        yield Ask.number("rating", "How strong, zero to ten?")

    with pytest.raises(AssertionError, match="did not take the answer to 'rating'"):
        driver.drive(script, {"rating": "purple"}, name="test")


def test_a_script_that_raises_fails_the_test_instead_of_being_caught(
    driver: ExerciseDriver,
) -> None:
    def script(ctx: ExerciseContext) -> Script:
        yield Say("Here we go.")
        raise ValueError("broken script")

    with pytest.raises(ValueError, match="broken script"):
        driver.drive(script, {}, name="test")


def test_stop_at_a_question_says_stop_and_the_session_is_stopped(
    driver: ExerciseDriver, journal: Journal,
) -> None:
    def script(ctx: ExerciseContext) -> Script:
        yield Ask.number("first", "One?")
        yield Ask.free("second", "Two?")

    run = driver.drive(script, {"first": 4}, name="test", stop_at="second")
    assert run.status == "stopped"
    assert journal.latest_answers("test") == {"first": "4"}
