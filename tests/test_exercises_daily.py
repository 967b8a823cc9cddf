"""Breathing, check-in, evening reflection, progress and lapse support, as a person hears them."""

from __future__ import annotations

from datetime import timedelta

from conftest import START, ExerciseDriver

from voice_coach.exercises import breathing, check_in, progress, reflection, relapse
from voice_coach.exercises.script import Answer, Pause, Say
from voice_coach.journal.port import SOBER_SINCE, SessionStatus
from voice_coach.journal.store import Journal

# --- Breathing ------------------------------------------------------------------------


def test_box_breathing_counts_four_rounds_aloud_with_a_second_between_counts(
    driver: ExerciseDriver, journal: Journal,
) -> None:
    run = driver.drive(breathing.breathing, {"pattern": "box", "rounds": 4})
    assert run.asked == ["pattern", "rounds", "calm_after"]
    texts = [s.text for s in run.said]
    assert texts.count("Breathe in.") == 4
    assert texts.count("Hold.") == 8
    assert texts.count("Breathe out.") == 4
    assert "Round four." in texts and "Round five." not in texts
    start = texts.index("Breathe in.")
    assert texts[start:start + 5] == ["Breathe in.", "Two.", "Three.", "Four.", "Hold."]
    first = run.steps.index(next(s for s in run.said if s.text == "Breathe in."))
    assert run.steps[first + 1] == Pause(1.0)
    assert run.steps[first + 2] == Say("Two.")
    assert all(len(s.text) < 120 for s in run.said)


def test_four_seven_eight_holds_for_seven_and_breathes_out_for_eight(
    driver: ExerciseDriver,
) -> None:
    run = driver.drive(breathing.breathing, {"pattern": "4-7-8", "rounds": 2})
    texts = [s.text for s in run.said]
    hold = texts.index("Hold.")
    assert texts[hold:hold + 8] == [
        "Hold.", "Two.", "Three.", "Four.", "Five.", "Six.", "Seven.", "Breathe out.",
    ]
    out = texts.index("Breathe out.")
    assert texts[out + 7] == "Eight."
    assert texts.count("Breathe in.") == 2
    assert "Two rounds. Let's begin." in texts


def test_breathing_with_everything_skipped_does_four_rounds_of_box(driver: ExerciseDriver) -> None:
    run = driver.drive(breathing.breathing, {})
    texts = [s.text for s in run.said]
    assert "Let's do box breathing, then." in texts
    assert texts.count("Breathe in.") == 4
    assert breathing.ENDING in texts


def test_zero_rounds_still_tries_one_breath(driver: ExerciseDriver) -> None:
    run = driver.drive(breathing.breathing, {"pattern": "box", "rounds": 0})
    texts = [s.text for s in run.said]
    assert texts.count("Breathe in.") == 1
    assert "One round. Let's begin." in texts


def test_breathing_reacts_to_how_calm_the_person_feels(driver: ExerciseDriver) -> None:
    calm = driver.drive(breathing.breathing, {"rounds": 1, "calm_after": 8})
    tense = driver.drive(breathing.breathing, {"rounds": 1, "calm_after": 2})
    assert breathing.CALM in calm.text and breathing.NOT_YET_CALM not in calm.text
    assert breathing.NOT_YET_CALM in tense.text


# --- Check-in -------------------------------------------------------------------------


def test_check_in_asks_mood_urge_and_sleep_on_a_zero_to_ten_scale(
    driver: ExerciseDriver, journal: Journal,
) -> None:
    run = driver.drive(check_in.check_in, {"mood": 8, "urge_level": 1, "sleep": 7})
    assert run.asked == ["mood", "urge_level", "sleep"]
    assert "zero to ten" in run.said[0].text
    assert run.said[-1].text == check_in.GOOD_NUMBERS
    assert journal.latest_answers("check_in") == {"mood": "8", "urge_level": "1", "sleep": "7"}


def test_a_strong_urge_at_check_in_offers_the_urge_exercise(driver: ExerciseDriver) -> None:
    run = driver.drive(check_in.check_in, {"mood": 2, "urge_level": 8, "sleep": 2})
    assert "say 'I'm having an urge' and we'll work through it" in run.said[-1].text
    assert len(run.said) == 2


def test_check_in_reacts_to_low_mood_then_poor_sleep(driver: ExerciseDriver) -> None:
    low = driver.drive(check_in.check_in, {"mood": 2, "urge_level": 0, "sleep": 8})
    tired = driver.drive(check_in.check_in, {"mood": 6, "urge_level": 0, "sleep": 1})
    assert low.said[-1].text == check_in.LOW_MOOD
    assert tired.said[-1].text == check_in.POOR_SLEEP


def test_check_in_with_every_number_skipped_is_still_kind(driver: ExerciseDriver) -> None:
    run = driver.drive(check_in.check_in, {})
    assert run.said[-1].text == check_in.NOTHING_GIVEN


# --- Evening reflection ---------------------------------------------------------------

REFLECTION: dict[str, Answer] = {
    "mood": 6,
    "urges_today": True,
    "urge_peak": 7,
    "urge_helped": "going for a run",
    "went_well": "I finished the report at work",
    "grateful": "I'm grateful for my sister",
    "intention": "call my sponsor",
}


def test_reflection_asks_about_the_day_in_order_and_sums_it_up_in_one_sentence(
    driver: ExerciseDriver, journal: Journal,
) -> None:
    run = driver.drive(reflection.evening_reflection, REFLECTION)
    assert run.asked == [
        "mood", "urges_today", "urge_peak", "urge_helped", "went_well", "grateful", "intention",
    ]
    assert "Worth remembering: going for a run." in run.text
    closing = run.said[-2]
    assert closing.personal
    assert closing.text == (
        "Your day in one sentence: a mood of six, an urge as strong as seven, something good: "
        "you finished the report at work, gratitude for your sister, and for tomorrow, call "
        "your sponsor."
    )
    assert closing.text.count(".") == 1


def test_reflection_asks_about_the_change_plan_goal_when_there_is_one(
    driver: ExerciseDriver, journal: Journal,
) -> None:
    plan = journal.start_session("plan", START - timedelta(days=2))
    journal.record_answer(plan, "goal", "What is your goal?", "I want to stop drinking on "
                          "weekdays.", None, START - timedelta(days=2))
    journal.end_session(plan, SessionStatus.COMPLETED, START - timedelta(days=2))
    answers = {**REFLECTION, "goal_progress": "two dry days so far"}
    run = driver.drive(reflection.evening_reflection, answers)
    assert run.asked[-2:] == ["goal_progress", "intention"]
    assert "How did it go with your goal to stop drinking on weekdays?" in run.prompts


def test_reflection_without_urges_skips_the_urge_questions(driver: ExerciseDriver) -> None:
    run = driver.drive(
        reflection.evening_reflection,
        {"mood": 2, "urges_today": False, "went_well": None, "intention": "rest"},
    )
    assert run.asked == ["mood", "urges_today", "went_well", "grateful", "intention"]
    assert reflection.LOW_MOOD in run.text
    assert "Your day in one sentence: a mood of two, no urges, and for tomorrow, rest." in run.text


def test_reflection_with_everything_skipped_still_closes_warmly(driver: ExerciseDriver) -> None:
    run = driver.drive(reflection.evening_reflection, {})
    assert run.asked == ["mood", "urges_today", "went_well", "grateful", "intention"]
    assert reflection.EMPTY_DAY in run.text
    assert "None" not in run.text
    assert run.said[-1].text == reflection.CLOSING


# --- Progress -------------------------------------------------------------------------


def log_urge(journal: Journal, days_ago: float, rating: int) -> None:
    at = START - timedelta(days=days_ago)
    session = journal.start_session("urge_help", at)
    journal.save_urge(session, at, intensity_before=rating, method="surfing")
    journal.end_session(session, SessionStatus.COMPLETED, at)


def test_progress_speaks_days_urges_trend_and_exercises_in_plain_words(
    driver: ExerciseDriver, journal: Journal,
) -> None:
    journal.set_profile(SOBER_SINCE, (START - timedelta(days=45)).date().isoformat())
    for days_ago, rating in ((1, 6), (2, 5), (3, 7), (9, 9), (10, 8)):
        log_urge(journal, days_ago, rating)
    reflection_session = journal.start_session("evening_reflection", START - timedelta(days=20))
    journal.end_session(reflection_session, SessionStatus.COMPLETED, START - timedelta(days=20))
    run = driver.drive(progress.progress, {}, focus="alcohol")
    assert run.asked == []
    assert "That's forty-five days without drinking." in run.text
    assert "You noted three urges this week." in run.text
    assert progress.MILDER in run.text
    assert "You've done six exercises with me, three of them this week." in run.text
    assert "And you've kept one evening reflection." in run.text
    assert "Well done, Sam." in run.text
    assert not any(ch.isdigit() for ch in run.text)


def test_one_stronger_urge_is_spoken_in_the_singular_with_a_gentle_trend(
    driver: ExerciseDriver, journal: Journal,
) -> None:
    journal.set_profile(SOBER_SINCE, (START - timedelta(days=1)).date().isoformat())
    log_urge(journal, 1, 9)
    log_urge(journal, 8, 4)
    run = driver.drive(progress.progress, {}, focus="gambling")
    assert "That's one day without gambling." in run.text
    assert "You noted one urge this week." in run.text
    assert progress.STRONGER in run.text


def test_progress_without_a_start_date_offers_to_count_from_today(
    driver: ExerciseDriver, journal: Journal,
) -> None:
    run = driver.drive(progress.progress, {"start_counting": True})
    assert run.asked == ["start_counting"]
    assert journal.get_profile("sober_since") == START.date().isoformat()
    assert progress.START_DONE in run.text
    assert progress.FRESH_START in run.text
    again = driver.drive(progress.progress, {})
    assert again.asked == []
    assert progress.COUNT_STARTS_TODAY in again.text


def test_declining_a_start_date_leaves_the_profile_alone(
    driver: ExerciseDriver, journal: Journal,
) -> None:
    for answer in (False, None):
        run = driver.drive(progress.progress, {"start_counting": answer})
        assert progress.START_DECLINED in run.text
        assert journal.get_profile("sober_since") is None


# --- Relapse --------------------------------------------------------------------------

LAPSE: dict[str, Answer] = {
    "what_happened": "I went to the casino after work",
    "self_talk": "just one more spin and I'll win it back",
    "next_time": "leave my card at home",
}


def test_lapse_support_asks_what_happened_and_reads_back_the_plan(
    driver: ExerciseDriver, journal: Journal,
) -> None:
    journal.set_profile("sober_since", "2024-04-01")
    run = driver.drive(relapse.relapse, {**LAPSE, "reset_count": False})
    assert run.asked == ["what_happened", "self_talk", "next_time", "reset_count"]
    assert "something to learn from" in run.text
    readbacks = [s for s in run.said if s.personal]
    assert [s.text for s in readbacks] == [
        "So the thought was: just one more spin and you'll win it back.",
        "Next time, you'll leave your card at home.",
    ]
    assert "change plan" in run.text and "talk to someone" in run.text
    lapses = journal.snapshot().lapses
    assert len(lapses) == 1 and lapses[0].reset_count is False
    assert journal.get_profile("sober_since") == "2024-04-01"
    assert relapse.RESET_KEPT in run.text


def test_the_day_count_restarts_only_when_the_person_says_yes(
    driver: ExerciseDriver, journal: Journal,
) -> None:
    journal.set_profile("sober_since", "2024-04-01")
    run = driver.drive(relapse.relapse, {**LAPSE, "reset_count": True})
    assert relapse.RESET_PROMPT in run.prompts
    assert journal.get_profile("sober_since") == START.date().isoformat()
    assert journal.snapshot().lapses[0].reset_count is True
    assert relapse.RESET_DONE in run.text


def test_a_skipped_reset_question_keeps_the_count(driver: ExerciseDriver, journal: Journal) -> None:
    journal.set_profile("sober_since", "2024-04-01")
    run = driver.drive(relapse.relapse, {})
    assert journal.get_profile("sober_since") == "2024-04-01"
    assert journal.snapshot().lapses[0].reset_count is False
    assert relapse.NEXT_TIME_SKIPPED in run.text
    assert "None" not in run.text


def test_without_a_day_count_the_lapse_question_offers_to_start_one(
    driver: ExerciseDriver, journal: Journal,
) -> None:
    run = driver.drive(relapse.relapse, {"reset_count": True})
    assert relapse.START_PROMPT in run.prompts
    assert journal.get_profile("sober_since") == START.date().isoformat()
    assert relapse.START_DONE in run.text
