"""Cost-benefit analysis, hierarchy of values and "remind me why", as a person hears them."""

from __future__ import annotations

from dataclasses import replace

import pytest
from conftest import ExerciseDriver

from voice_coach.exercises.motivation import cost_benefit, motivation, values
from voice_coach.exercises.script import Answer
from voice_coach.journal.store import Journal
from voice_coach.understanding import Understanding


@pytest.fixture
def driver(journal: Journal, understanding: Understanding) -> ExerciseDriver:
    """Every question needs a scripted answer; Sam is working on drinking."""
    return ExerciseDriver(journal, understanding, strict=True, focus="alcohol")


CBA_ORDER = [
    "benefits_of_using", "benefits_of_using_long_term", "alternatives",
    "costs_of_using", "costs_of_using_long_term",
    "benefits_of_stopping", "benefits_of_stopping_long_term",
    "costs_of_stopping", "costs_of_stopping_long_term",
    "conclusion",
]

CBA_ANSWERS: dict[str, Answer] = {
    "benefits_of_using": "it helps me unwind after work",
    "benefits_of_using_long_term": "no",
    "alternatives": "a hot bath after work",
    "costs_of_using": "rows with Jo and hangovers",
    "costs_of_using_long_term": "my liver and my job",
    "benefits_of_stopping": "mornings with the kids",
    "benefits_of_stopping_long_term": "being around to see them grow up",
    "costs_of_stopping": "Friday nights feel empty",
    "costs_of_stopping_long_term": None,
    "conclusion": "change",
}


def test_cost_benefit_asks_four_quadrants_short_then_long_term(driver: ExerciseDriver) -> None:
    run = driver.drive(cost_benefit, CBA_ANSWERS, name="cost_benefit")

    assert run.asked == CBA_ORDER
    assert "drinking" in run.ask("benefits_of_using").prompt
    assert "long run" in run.ask("costs_of_using_long_term").prompt
    assert run.status == "completed"


def test_cost_benefit_reads_back_own_words_and_leaves_out_no_and_skips(
    driver: ExerciseDriver,
) -> None:
    run = driver.drive(cost_benefit, CBA_ANSWERS, name="cost_benefit")

    readback = " ".join(run.personal)
    for words in ("it helps you unwind after work", "rows with Jo and hangovers",
                  "your liver and your job", "being around to see them grow up",
                  "Friday nights feel empty"):
        assert words in readback
    assert "long run, no" not in readback
    # The read-back comes before the weighing question, which comes last.
    last_personal = max(i for i, s in enumerate(run.steps) if getattr(s, "personal", False))
    assert run.steps.index(run.ask("conclusion")) > last_personal
    assert "worth coming back to" in run.lines[-1]


def test_cost_benefit_answers_are_kept_for_later(driver: ExerciseDriver) -> None:
    driver.drive(cost_benefit, CBA_ANSWERS, name="cost_benefit")

    kept = driver.journal.latest_answers("cost_benefit")
    assert kept["costs_of_using_long_term"] == "my liver and my job"
    assert kept["conclusion"] == "change"


def test_cost_benefit_all_skipped_is_gentle(driver: ExerciseDriver) -> None:
    run = driver.drive(cost_benefit, dict.fromkeys(CBA_ORDER), name="cost_benefit")

    assert run.personal == []
    assert any("that's okay" in line.lower() for line in run.lines)
    assert "don't have to decide" in run.lines[-1]


def test_cost_benefit_choosing_to_carry_on_is_met_without_judgement(driver: ExerciseDriver) -> None:
    run = driver.drive(
        cost_benefit, {**CBA_ANSWERS, "conclusion": "no_change"}, name="cost_benefit"
    )

    assert "honest" in run.lines[-1]
    assert "should" not in run.lines[-1].lower()


def test_cost_benefit_names_the_persons_behaviour(driver: ExerciseDriver) -> None:
    driver.settings = replace(driver.settings, focus="gambling")
    run = driver.drive(cost_benefit, CBA_ANSWERS, name="cost_benefit")

    assert "gambling" in run.ask("benefits_of_using").prompt
    assert "drinking" not in run.spoken


VALUES_ANSWERS: dict[str, Answer] = {
    "value_1": "my kids", "value_2": "health", "value_3": "honesty",
    "value_4": "music", "value_5": "faith",
    "effect_1": "I miss their mornings", "effect_2": "I feel rough", "effect_3": None,
    "effect_4": "I stopped playing", "effect_5": "nothing",
    "behaviour_place": "top",
}


def test_values_asks_five_then_effects_and_reads_the_list_in_order(driver: ExerciseDriver) -> None:
    run = driver.drive(values, VALUES_ANSWERS, name="values")

    assert run.asked == [
        *[f"value_{n}" for n in range(1, 6)], *[f"effect_{n}" for n in range(1, 6)],
        "behaviour_place",
    ]
    assert run.ask("effect_1").prompt == "Your kids. How does drinking affect that?"
    assert run.personal == [
        "Here are your values, in order. One, your kids. Two, health. Three, honesty. "
        "Four, music. Five, faith.",
        "Thank you for being that honest. Many people find it has been number one, ahead of "
        "everything they listed. Every time, it was chosen over your kids. That's what change "
        "can shift.",
    ]


def test_values_offers_examples_when_stuck_and_asks_effects_only_for_named(
    driver: ExerciseDriver,
) -> None:
    run = driver.drive(values, {
        "value_1": None, "value_2": "family", "value_3": "work", "value_4": None,
        "value_5": "freedom", "effect_2": "x", "effect_3": "y", "effect_5": "z",
        "behaviour_place": "in the middle",
    }, name="values")

    assert "honesty" in run.lines[1] and "creativity" in run.lines[1]  # examples, once
    assert run.asked[5:] == ["effect_2", "effect_3", "effect_5", "behaviour_place"]
    assert "One, family. Two, work. Three, freedom." in run.personal[0]


def test_values_two_skips_in_a_row_end_the_list(driver: ExerciseDriver) -> None:
    run = driver.drive(values, {
        "value_1": "health", "value_2": None, "value_3": None, "effect_1": "badly",
        "behaviour_place": None,
    }, name="values")

    assert run.asked == ["value_1", "value_2", "value_3", "effect_1", "behaviour_place"]
    assert "One, health." in run.personal[0]


def test_values_none_named_ends_kindly_without_effect_questions(driver: ExerciseDriver) -> None:
    run = driver.drive(values, {"value_1": None, "value_2": "I don't know"}, name="values")

    assert run.asked == ["value_1", "value_2"]
    assert run.personal == []
    assert "come back to this" in run.lines[-1]


def test_remind_me_why_reads_back_own_costs_gains_and_top_values(driver: ExerciseDriver) -> None:
    driver.drive(cost_benefit, CBA_ANSWERS, name="cost_benefit")
    driver.drive(values, VALUES_ANSWERS, name="values")

    run = driver.drive(motivation, {"reason_today": "Lily's school play"}, name="motivation")

    readback = " ".join(run.personal)
    assert "rows with Jo and hangovers" in readback
    assert "your liver and your job" in readback
    assert "mornings with the kids" in readback
    assert "your kids, health and honesty" in readback
    assert "music" not in readback  # only the top three values
    assert "unwind" not in readback  # the benefits of using are not "reasons why"
    assert run.asked == ["reason_today"]
    assert "Lily's school play" in run.personal[-1]


def test_remind_me_why_with_nothing_saved_builds_a_cba_now(driver: ExerciseDriver) -> None:
    run = driver.drive(motivation,
                       {"build_now": True, **CBA_ANSWERS, "reason_today": None}, name="motivation")

    assert run.asked == ["build_now", *CBA_ORDER, "reason_today"]
    assert "Your reasons are here" in run.lines[-1]
    # The analysis made inside "remind me why" counts as the person's cost-benefit analysis:
    assert driver.journal.latest_answers("cost_benefit")["costs_of_using"] == (
        "rows with Jo and hangovers"
    )
    again = driver.drive(motivation, {"reason_today": "my health"}, name="motivation")
    assert again.asked == ["reason_today"]
    assert "rows with Jo and hangovers" in " ".join(again.personal)


def test_remind_me_why_declined_still_asks_for_todays_reason(driver: ExerciseDriver) -> None:
    run = driver.drive(motivation,
                       {"build_now": False, "reason_today": "my kids"}, name="motivation")

    assert run.asked == ["build_now", "reason_today"]
    assert driver.journal.latest_answers("cost_benefit") == {}
    assert run.personal == ["Your kids. Hold on to that today."]


def test_remind_me_why_skipped_offer_is_taken_as_no(driver: ExerciseDriver) -> None:
    run = driver.drive(motivation, {"build_now": None, "reason_today": None}, name="motivation")

    assert run.asked == ["build_now", "reason_today"]


def test_stopping_inside_a_nested_cba_keeps_what_was_said(driver: ExerciseDriver) -> None:
    run = driver.drive(motivation,
        {"build_now": True, "benefits_of_using": "it relaxes me",
         "benefits_of_using_long_term": None, "alternatives": None, "costs_of_using": "money"},
        stop_at="costs_of_using_long_term", name="motivation",
    )

    assert run.status == "stopped"
    assert driver.journal.latest_answers("cost_benefit")["costs_of_using"] == "money"
    again = driver.drive(motivation, {"reason_today": None}, name="motivation")
    assert "money" in " ".join(again.personal)
