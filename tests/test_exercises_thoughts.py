"""The A B C tool, as a person hears it."""

from __future__ import annotations

import pytest
from conftest import ExerciseDriver

from voice_coach.exercises.script import Answer
from voice_coach.exercises.thoughts import abc
from voice_coach.journal.store import Journal
from voice_coach.understanding import Understanding


@pytest.fixture
def driver(journal: Journal, understanding: Understanding) -> ExerciseDriver:
    """Every question needs a scripted answer; Sam is working on drinking."""
    return ExerciseDriver(journal, understanding, strict=True, focus="alcohol")


ANSWERS: dict[str, Answer] = {
    "activating_event": "my boss walked past without saying hello",
    "beliefs": "he hates me and I'll be fired",
    "consequences": "anxious, and I wanted a drink",
    "dispute_true": "probably not",
    "dispute_evidence": "he was on the phone",
    "more_disputing": False,
    "effective_belief": "he was busy, it's not about me",
}


def test_abc_goes_a_b_c_then_two_disputes_then_new_belief(driver: ExerciseDriver) -> None:
    run = driver.drive(abc, ANSWERS, name="abc")

    assert run.asked == ["activating_event", "beliefs", "consequences", "dispute_true",
                        "dispute_evidence", "more_disputing", "effective_belief"]
    assert "camera" in run.ask("activating_event").prompt
    assert "tell yourself" in run.ask("beliefs").prompt
    assert "feel" in run.ask("consequences").prompt
    assert "true" in run.ask("dispute_true").prompt
    assert "evidence" in run.ask("dispute_evidence").prompt


def test_abc_offers_the_worst_case_and_friend_questions_on_yes(driver: ExerciseDriver) -> None:
    run = driver.drive(abc, {**ANSWERS, "more_disputing": True,
                                    "dispute_worst": "I'd find another job",
                                    "dispute_friend": "don't jump to conclusions"}, name="abc")

    assert run.asked[5:] == ["more_disputing", "dispute_worst", "dispute_friend",
                            "effective_belief"]
    assert "worst" in run.ask("dispute_worst").prompt
    assert "friend" in run.ask("dispute_friend").prompt
    kept = driver.journal.latest_answers("abc")
    assert kept["dispute_friend"] == "don't jump to conclusions"


def test_abc_reads_back_a_b_c_and_the_new_belief_in_own_words(driver: ExerciseDriver) -> None:
    run = driver.drive(abc, ANSWERS, name="abc")

    readback = run.personal[-4:]
    assert readback == [
        "What happened: your boss walked past without saying hello.",
        "What you told yourself: he hates you and you'll be fired.",
        "What followed: anxious, and you wanted a drink.",
        "And your new, more helpful belief: he was busy, it's not about you.",
    ]
    # The belief is echoed before the disputing questions, so they have something to question.
    echo = run.personal[0]
    assert "he hates you" in echo
    assert run.steps.index(run.ask("dispute_true")) > next(
        i for i, s in enumerate(run.steps) if getattr(s, "text", "") == echo
    )
    assert "new belief" in run.lines[-1]


def test_abc_with_everything_skipped_still_finishes_kindly(driver: ExerciseDriver) -> None:
    run = driver.drive(abc, {key: None for key in ANSWERS}, name="abc")

    assert run.status == "completed"
    assert run.personal == []
    assert "Here is your A B C." not in run.lines
    assert "that's okay" in run.lines[-1]
    assert driver.journal.latest_answers("abc") == {}


def test_abc_without_a_new_belief_reads_back_what_was_said(driver: ExerciseDriver) -> None:
    run = driver.drive(abc, {**ANSWERS, "beliefs": None, "effective_belief": None}, name="abc")

    assert [line.split(":")[0] for line in run.personal] == ["What happened", "What followed"]
    assert "new belief can take time" in run.lines[-1]
