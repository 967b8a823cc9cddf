"""Coping with urges: what the person hears, in what order, and what the journal keeps."""

from __future__ import annotations

from conftest import ExerciseDriver

from voice_coach.exercises import deads, disarm, surfing, urges
from voice_coach.exercises.script import Answer, Ask, Pause, Say
from voice_coach.journal.records import UrgeRecord
from voice_coach.journal.store import Journal


def only_urge(journal: Journal) -> UrgeRecord:
    found = journal.snapshot().urges
    assert len(found) == 1
    return found[0]


def test_the_urge_is_logged_with_its_rating_before_anything_else_is_asked(
    driver: ExerciseDriver, journal: Journal,
) -> None:
    ctx = driver.context()
    script = urges.urge_help(ctx)
    step = next(script)
    while not isinstance(step, Ask):
        step = next(script)
    assert step.key == "intensity_before"
    step = script.send(8)
    while not isinstance(step, Ask):
        step = next(script)
    assert step.key == "trigger"
    assert only_urge(journal).intensity_before == 8


def test_urge_help_rates_asks_the_trigger_then_offers_three_methods(driver: ExerciseDriver) -> None:
    run = driver.drive(
        urges.urge_help, {"intensity_before": 8, "method": "deads"}, urge_surfing_minutes=4
    )
    assert run.asked[:4] == ["intensity_before", "trigger", "thoughts_feelings", "method"]
    method_ask = next(s for s in run.steps if isinstance(s, Ask) and s.key == "method")
    assert [c.value for c in method_ask.choices] == ["surfing", "deads", "disarm"]
    assert "surfing, DEADS or DISARM" in method_ask.prompt
    assert run.asked[4] == "delay"


def test_urge_surfing_re_rates_every_two_minutes_and_speaks_before_and_after(
    driver: ExerciseDriver, journal: Journal,
) -> None:
    answers: dict[str, Answer] = {
        "intensity_before": 8,
        "trigger": "my friend offered me a beer",
        "method": "surfing",
        "rating_2min": 7,
        "rating_4min": 5,
        "rating_6min": 3,
        "what_helped": "breathing slowly",
    }
    run = driver.drive(urges.urge_help, answers, urge_surfing_minutes=6)
    assert run.asked == [
        "intensity_before", "trigger", "thoughts_feelings", "method", "rating_2min",
        "rating_4min", "rating_6min", "what_helped",
    ]
    assert "where the urge sits in your body" in run.text
    assert "surfboard" in run.text
    # About six minutes of quiet, with calm guidance between the pauses.
    assert 6 * 60 <= run.pause_seconds <= 7 * 60
    between = run.steps[run.steps.index(next(s for s in run.steps if isinstance(s, Pause))):]
    assert any(isinstance(s, Say) and s.text in surfing.SURF_GUIDANCE for s in between)
    assert "You started at eight and now you're at three." in run.text
    urge = only_urge(journal)
    assert (urge.intensity_before, urge.intensity_after) == (8, 3)
    assert urge.trigger == "my friend offered me a beer"
    assert urge.what_helped == "breathing slowly"
    assert urge.method == "surfing"


def test_surfing_offers_to_stop_once_the_urge_is_down_to_two(
    driver: ExerciseDriver, journal: Journal,
) -> None:
    run = driver.drive(
        surfing.urge_surfing,
        {"intensity_before": 6, "rating_2min": 4, "rating_4min": 2, "stop_4min": True},
        urge_surfing_minutes=10,
    )
    assert run.asked == ["intensity_before", "rating_2min", "rating_4min", "stop_4min",
                         "what_helped"]
    assert "It's down to two. Would you like to stop here?" in run.prompts
    assert "You started at six and now you're at two." in run.text
    assert only_urge(journal).intensity_after == 2


def test_surfing_keeps_going_when_the_person_says_no_to_stopping(
    driver: ExerciseDriver, journal: Journal,
) -> None:
    run = driver.drive(
        surfing.urge_surfing,
        {"intensity_before": 5, "rating_2min": 1, "stop_2min": False, "rating_4min": 1,
         "stop_4min": False, "rating_5min": 0}, urge_surfing_minutes=5,
    )
    assert [k for k in run.asked if k.startswith("rating")] == [
        "rating_2min", "rating_4min", "rating_5min",
    ]
    assert only_urge(journal).intensity_after == 0


def test_skipping_every_question_still_surfs_and_logs_the_urge(
    driver: ExerciseDriver, journal: Journal,
) -> None:
    run = driver.drive(urges.urge_help, {}, urge_surfing_minutes=2)
    assert "Let's try urge surfing, then." in run.text
    assert "None" not in run.text
    assert "You started" not in run.text
    urge = only_urge(journal)
    assert urge.method == "surfing"
    assert urge.intensity_before is None and urge.trigger is None


def test_a_skipped_rating_keeps_the_last_one_given(
    driver: ExerciseDriver, journal: Journal,
) -> None:
    run = driver.drive(
        surfing.urge_surfing, {"intensity_before": 9, "rating_2min": 6}, urge_surfing_minutes=4
    )
    assert "You started at nine and now you're at six." in run.text
    assert only_urge(journal).intensity_after == 6


def test_deads_says_the_wording_and_walks_through_each_letter(
    driver: ExerciseDriver, journal: Journal,
) -> None:
    answers: dict[str, Answer] = {
        "intensity_before": 7,
        "delay": "put it off for fifteen minutes",
        "escape": "step outside",
        "accept": None,
        "distract": "call someone",
        "substitute": "keep your hands busy",
        "intensity_after": 4,
        "did_it_help": True,
    }
    run = driver.drive(deads.deads, answers, focus="smoking")
    assert run.asked == [
        "intensity_before", "delay", "escape", "accept", "distract", "substitute",
        "intensity_after", "did_it_help",
    ]
    for words in ("deny or delay", "escape", "avoid, accept, or attack", "for distract",
                  "substitute"):
        assert words in run.text
    assert "in place of smoking" in run.text
    assert "Okay, you'll step outside." in run.text
    assert (
        "Here's your plan. You'll put it off for fifteen minutes, step outside, call someone "
        "and keep your hands busy." in run.text
    )
    assert "You started at seven and now you're at four." in run.text
    urge = only_urge(journal)
    assert urge.method == "deads"
    assert urge.what_helped == (
        "put it off for fifteen minutes; step outside; call someone; keep your hands busy"
    )
    assert (urge.intensity_before, urge.intensity_after) == (7, 4)


def test_each_deads_option_is_offered_in_the_question_and_named_by_its_place() -> None:
    ordinals = ("the first one", "the second one", "the third one")
    for letter in deads.DEADS_LETTERS:
        assert len(letter.options) == 3
        for choice, ordinal in zip(letter.options, ordinals, strict=True):
            assert choice.value in choice.phrases and ordinal in choice.phrases
            assert choice.value.split()[-1] in letter.prompt


def test_deads_with_nothing_chosen_still_asks_how_strong_it_is_now(
    driver: ExerciseDriver, journal: Journal,
) -> None:
    run = driver.drive(deads.deads, {"intensity_before": 5, "intensity_after": 5})
    assert deads.DEADS_NOTHING in run.text
    assert "Here's your plan" not in run.text
    urge = only_urge(journal)
    assert urge.method == "deads" and urge.what_helped is None


def test_disarm_names_the_urge_reads_back_its_excuses_and_models_a_refusal(
    driver: ExerciseDriver, journal: Journal,
) -> None:
    answers: dict[str, Answer] = {
        "intensity_before": 9,
        "urge_name": "I'll call it the salesman",
        "excuses": "you deserve it after this week",
        "refusal": "no salesman I'm not buying",
        "intensity_after": 5,
    }
    run = driver.drive(disarm.disarm, answers)
    assert run.asked == [
        "intensity_before", "urge_name", "imagery", "excuses", "truth", "refusal",
        "intensity_after", "did_it_help",
    ]
    assert "what is the salesman telling you right now?" in run.prompts[3]
    readback = next(s for s in run.said if "you deserve it after this week" in s.text)
    assert readback.personal
    assert readback.text == "So the salesman is telling you: you deserve it after this week."
    assert "The salesman, no. I hear you, and I'm not doing it." in run.text
    assert "You started at nine and now you're at five." in run.text
    urge = only_urge(journal)
    assert urge.method == "disarm" and urge.intensity_after == 5


def test_disarm_without_a_name_calls_it_the_urge(driver: ExerciseDriver, journal: Journal) -> None:
    run = driver.drive(disarm.disarm, {})
    assert "The urge, no." in run.text
    assert "None" not in run.text
    assert only_urge(journal).method == "disarm"


def test_urge_help_runs_disarm_with_the_trigger_kept(
    driver: ExerciseDriver, journal: Journal,
) -> None:
    driver.drive(urges.urge_help, {"intensity_before": 6, "trigger": "payday",
                                 "method": "disarm", "intensity_after": 3})
    urge = only_urge(journal)
    assert (urge.method, urge.trigger, urge.intensity_after) == ("disarm", "payday", 3)


def test_a_strong_urge_at_the_end_is_met_with_an_offer_to_go_again(driver: ExerciseDriver) -> None:
    run = driver.drive(deads.deads, {"intensity_before": 8, "intensity_after": 9})
    assert "It's still strong." in run.text
    assert "say I'm having an urge" in run.text


def test_surf_checkpoints_cover_the_whole_session() -> None:
    assert surfing._checkpoints(10) == [2, 4, 6, 8, 10]
    assert surfing._checkpoints(5) == [2, 4, 5]
    assert surfing._checkpoints(2) == [2]
