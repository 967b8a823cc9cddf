"""The lifestyle balance pie and the change plan, as a person hears them."""

from __future__ import annotations

import pytest
from conftest import ExerciseDriver

from voice_coach.exercises.balance import balance, pie_areas, plan, slug
from voice_coach.exercises.motivation import values
from voice_coach.exercises.script import Answer
from voice_coach.journal.store import Journal
from voice_coach.understanding import Understanding

AREA_KEYS = ["area_family", "area_friends", "area_work", "area_health", "area_fun",
             "area_money", "area_growth", "area_meaning"]
RATINGS: dict[str, Answer] = {
    "area_family": 7, "area_friends": 3, "area_work": 6, "area_health": 3,
    "area_fun": 2, "area_money": 8, "area_growth": None, "area_meaning": 5,
}
PLAN: dict[str, Answer] = {
    "goal": "play football on Sundays",
    "importance": 8,
    "confidence": 6,
    "why": "I used to love it",
    "first_steps": "call Dan tonight",
    "helpers": "Dan, he runs the team",
    "signs_of_progress": "three Sundays in a row",
    "obstacles": "Saturday nights out",
    "obstacles_plan": "I'll go home by ten on Saturdays",
}


@pytest.fixture
def driver(journal: Journal, understanding: Understanding) -> ExerciseDriver:
    """Every question needs a scripted answer; Sam is working on drinking."""
    return ExerciseDriver(journal, understanding, strict=True, focus="alcohol")


def test_pie_rates_eight_areas_then_names_the_lowest_two(driver: ExerciseDriver) -> None:
    run = driver.drive(balance,
                       {**RATINGS, "focus_area": None}, name="balance")

    assert run.asked == [*AREA_KEYS, "focus_area"]
    assert run.ask("area_family").prompt == "Family. How satisfied are you, from zero to ten?"
    # Ties keep the order asked: friends (3) before health (3).
    assert "Your lowest two are fun and recreation, at two, and friends and social life, "\
        "at three." in run.lines
    assert "And your highest is money, at eight. That's worth noticing too." in run.lines
    kept = driver.journal.latest_answers("balance")
    assert kept["area_fun"] == "2"
    assert "area_growth" not in kept  # skipped, nothing stored


def test_pie_offers_the_lowest_two_first_when_choosing_a_focus(driver: ExerciseDriver) -> None:
    run = driver.drive(balance, {**RATINGS, "focus_area": None}, name="balance")

    choices = [c.value for c in run.ask("focus_area").choices]
    assert choices[:2] == ["fun and recreation", "friends and social life"]
    assert sorted(choices) == sorted(a.name for a in pie_areas([])[0])
    assert "Just noticing" in run.lines[-1]


def test_pie_focus_then_plan_files_a_plan_the_evening_reflection_can_read(
    driver: ExerciseDriver,
) -> None:
    run = driver.drive(balance, {**RATINGS, "focus_area": "fun and recreation",
                                            "make_plan": True, **PLAN}, name="balance")

    assert run.asked[len(AREA_KEYS):] == ["focus_area", "make_plan", "goal", "importance",
                                         "confidence", "why", "first_steps", "helpers",
                                         "signs_of_progress", "obstacles", "obstacles_plan"]
    assert "fun and recreation" in run.ask("make_plan").prompt
    assert run.ask("goal").prompt == "What is one change you'd like to make for fun and recreation?"
    saved = driver.journal.latest_answers("plan")
    assert saved["goal"] == "play football on Sundays"
    assert saved["area"] == "fun and recreation"
    assert saved["obstacles"] == "Saturday nights out"


def test_pie_plan_declined_ends_with_how_to_come_back(driver: ExerciseDriver) -> None:
    run = driver.drive(balance,
                       {**RATINGS, "focus_area": "money", "make_plan": False}, name="balance")

    assert run.asked[-2:] == ["focus_area", "make_plan"]
    assert "I want to set a goal" in run.lines[-1]
    assert driver.journal.latest_answers("plan") == {}


def test_pie_all_skipped_asks_nothing_more(driver: ExerciseDriver) -> None:
    run = driver.drive(balance, dict.fromkeys(AREA_KEYS), name="balance")

    assert run.asked == AREA_KEYS
    assert "another time" in run.lines[-1]


def test_pie_one_rating_names_just_that_one(driver: ExerciseDriver) -> None:
    answers: dict[str, Answer] = {**dict.fromkeys(AREA_KEYS), "area_work": 4,
                                  "focus_area": None}
    run = driver.drive(balance, answers, name="balance")

    assert "Your lowest is work or study, at four." in run.lines


def test_pie_adds_own_values_that_no_area_covers(driver: ExerciseDriver) -> None:
    driver.drive(values, {
        "value_1": "my kids", "value_2": "honesty", "value_3": "playing guitar",
        "value_4": "my health", "value_5": None,
        **dict.fromkeys(["effect_1", "effect_2", "effect_3", "effect_4", "behaviour_place"]),
    }, name="values")

    run = driver.drive(balance, {**dict.fromkeys(AREA_KEYS), "area_honesty": 9,
                                 "area_playing_guitar": 1, "focus_area": None}, name="balance")

    assert run.asked == [*AREA_KEYS, "area_honesty", "area_playing_guitar", "focus_area"]
    assert run.personal == ["I've added some of your own values as areas too: "
                            "honesty and playing guitar."]
    assert run.ask("area_playing_guitar").prompt.startswith("Playing guitar.")
    assert "Your lowest two are playing guitar, at one, and honesty, at nine." in run.lines


def test_pie_areas_from_values_skip_covered_and_cap_at_two() -> None:
    _, added = pie_areas(["my family", "faith", "honesty", "freedom", "adventure"])

    assert [a.name for a in added] == ["honesty", "freedom"]
    assert slug("Being a good DAD!") == "being_a_good_dad"
    assert len(slug("x" * 80)) == 30


def test_plan_asks_the_worksheet_in_order_and_reads_it_back(driver: ExerciseDriver) -> None:
    run = driver.drive(plan, PLAN, name="plan")

    assert run.asked == ["goal", "importance", "confidence", "why", "first_steps", "helpers",
                        "signs_of_progress", "obstacles", "obstacles_plan"]
    assert run.personal == [
        "Your goal: play football on Sundays.",
        "How important it is: eight, and your confidence: six.",
        "Why it matters: you used to love it.",
        "Your first steps: call Dan tonight.",
        "Who can help: Dan, he runs the team.",
        "How you'll know it's working: three Sundays in a row.",
        "What could get in the way: Saturday nights out.",
        "If that happens, you'll go home by ten on Saturdays.",
    ]
    assert driver.journal.latest_answers("plan")["goal"] == "play football on Sundays"


def test_plan_without_a_goal_stops_gently(driver: ExerciseDriver) -> None:
    run = driver.drive(plan, {"goal": None}, name="plan")

    assert run.asked == ["goal"]
    assert "Whenever you're ready" in run.lines[-1]


def test_plan_reads_back_only_what_was_answered(driver: ExerciseDriver) -> None:
    run = driver.drive(plan, {"goal": "sleep by eleven", "why": None,
                                      "importance": None, "confidence": None,
                                      "first_steps": "phone out of the bedroom",
                                      "helpers": "nobody", "signs_of_progress": None,
                                      "obstacles": "no"}, name="plan")

    assert run.personal == ["Your goal: sleep by eleven.",
                            "Your first steps: phone out of the bedroom.",
                            ]  # "nobody" is not read back as if it were a helper
