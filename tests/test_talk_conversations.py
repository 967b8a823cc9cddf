"""Messy, realistic conversations through `voice-coach chat --fast`, checking what the
coach says AND what the journal keeps (issue 9: a coach that listens).

Every conversation runs in a fresh process with the clock pinned (`--at`) and the
evening offer off, so nothing depends on the time the suite happens to run. The
lines were written as people talk — hedging, rambling, correcting themselves —
not copied from the intent templates.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from conftest import CliResult

Cli = Callable[..., CliResult]
AT = "2026-06-10T14:00"
"""A Wednesday afternoon: well before any evening offer."""


@pytest.fixture
def home(coach_home: Path) -> Path:
    (coach_home / "config.toml").write_text(
        'name = "Sam"\nfocus = "alcohol"\nevening_reflection_time = "off"\n', encoding="utf-8"
    )
    return coach_home


def chat(cli: Cli, lines: list[str], at: str = AT) -> str:
    result = cli("chat", "--fast", "--at", at, input="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def journal(cli: Cli) -> dict[str, Any]:
    result = cli("journal", "export", "--format", "json")
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def session(data: dict[str, Any], exercise: str, index: int = -1) -> dict[str, Any]:
    found: list[dict[str, Any]] = [s for s in data["sessions"] if s["exercise"] == exercise]
    assert found, f"no {exercise} session in {[s['exercise'] for s in data['sessions']]}"
    return found[index]


def answers(s: dict[str, Any]) -> dict[str, str]:
    return {a["key"]: a["text"] for a in s["answers"]}


def numbers(s: dict[str, Any]) -> dict[str, float | None]:
    return {a["key"]: a["number"] for a in s["answers"]}


# ----- 1. answers as people give them -------------------------------------------------


def test_deads_takes_my_own_idea_for_escape_and_keeps_it(cli: Cli, home: Path) -> None:
    out = chat(cli, [
        "let's do deads", "like an eight", "um set a timer I guess",
        "I could put the wine down the sink", "stay away from it", "call my mate Rob",
        "the water one", "five", "yeah it did",
    ])
    assert "Okay, you'll put the wine down the sink." in out
    assert "Sorry, which one would you like" not in out
    deads = answers(session(journal(cli), "deads"))
    assert deads["escape"] == "I could put the wine down the sink"
    (urge,) = journal(cli)["urges"]
    assert "put the wine down the sink" in urge["what_helped"]


def test_balance_focus_outside_the_list_is_a_real_answer(cli: Cli, home: Path) -> None:
    out = chat(cli, [
        "how balanced is my life", "6", "4", "7", "5", "3", "8", "6", "5",
        "honestly my sleep, it's a mess", "no thanks",
    ])
    assert out.count("Which one area would you most like to improve?") == 1
    assert "change plan for your sleep, it's a mess" in out or "change plan for" in out
    pie = answers(session(journal(cli), "balance"))
    assert pie["focus_area"] == "honestly my sleep, it's a mess"


def test_i_dunno_to_mood_gets_one_gentle_retry_with_the_mood_scale(cli: Cli, home: Path) -> None:
    out = chat(cli, [
        "quick check in", "I dunno", "no idea honestly", "two", "it was okay, a seven",
    ])
    assert out.count("hard to say") == 1
    assert "the best you can feel" in out
    assert "strongest" not in out.split("How strong are any urges")[0]
    stored = numbers(session(journal(cli), "check_in"))
    assert stored["mood"] is None  # kept as said, no number invented
    assert stored["urge_level"] == 2 and stored["sleep"] == 7


def test_a_friend_is_not_a_rating_at_the_pie(cli: Cli, home: Path) -> None:
    out = chat(cli, [
        "life balance pie", "5", "I want to make one new friend who doesn't drink", "a two",
        "6", "5", "4", "7", "5", "3", "skip",
    ])
    assert " at one," not in out and " at one." not in out
    assert "I'd like a number for that one" in out
    pie = numbers(session(journal(cli), "balance"))
    assert pie["area_friends"] == 2


def test_sleep_given_in_hours_is_kept_as_hours(cli: Cli, home: Path) -> None:
    out = chat(cli, [
        "check in please", "5", "3", "I slept like four hours", "pretty rough, a three",
    ])
    assert "Thanks, four hours." in out
    stored = numbers(session(journal(cli), "check_in"))
    assert stored["sleep_hours"] == 4
    assert stored["sleep"] == 3


def test_nothing_as_a_mood_is_not_zero(cli: Cli, home: Path) -> None:
    out = chat(cli, ["evening reflection", "nothing", "meh, four", "no", "skip", "skip", "skip"])
    assert "That sounds like a hard day" not in out.split("meh")[0]
    assert numbers(session(journal(cli), "evening_reflection"))["mood"] == 4


def test_wait_i_meant_three_revises_the_answer_instead_of_adding_one(
    cli: Cli, home: Path,
) -> None:
    out = chat(cli, ["let's do a check in", "eight", "wait no, I meant 3", "1", "6"])
    assert "I've changed that to 3" in out
    s = session(journal(cli), "check_in")
    moods = [a for a in s["answers"] if a["key"] == "mood"]
    assert len(moods) == 1 and moods[0]["number"] == 3
    assert numbers(s)["urge_level"] == 1 and numbers(s)["sleep"] == 6


def test_change_my_answer_goes_back_one_question(cli: Cli, home: Path) -> None:
    out = chat(cli, ["check in", "7", "I want to change my answer", "four", "2", "8"])
    assert "let's change that one" in out
    assert "I can't go back a step yet" not in out
    s = session(journal(cli), "check_in")
    assert numbers(s)["mood"] == 4
    assert numbers(s)["urge_level"] == 2 and numbers(s)["sleep"] == 8
    assert [a["key"] for a in s["answers"]].count("mood") == 1


def test_go_back_at_the_first_question_says_there_is_nothing_before(
    cli: Cli, home: Path,
) -> None:
    out = chat(cli, ["check in", "go back", "6", "0", "7"])
    assert "nothing before this one" in out
    assert numbers(session(journal(cli), "check_in"))["mood"] == 6


def test_the_reflection_never_reads_back_non_answers(cli: Cli, home: Path) -> None:
    out = chat(cli, [
        "evening reflection", "5", "no", "I don't know", "not sure", "nope",
    ])
    summary = next(line for line in out.splitlines() if line.startswith("Your day in one"))
    assert summary == "Your day in one sentence: a mood of five and no urges."
    kept = answers(session(journal(cli), "evening_reflection"))
    assert kept["went_well"] == "I don't know" and kept["intention"] == "nope"


def test_a_lapse_plan_of_i_dont_know_is_not_read_back(cli: Cli, home: Path) -> None:
    out = chat(cli, [
        "I slipped last night", "had a few at the pub", "I told myself I deserved it",
        "I don't know", "no",
    ])
    assert "you'll I don't know" not in out and "try this: I don't know" not in out
    assert "So the thought was: you told yourself you deserved it." in out


def test_abc_belief_of_bye_is_not_read_back_as_a_belief(cli: Cli, home: Path) -> None:
    out = chat(cli, [
        "abc tool", "my sister didn't call back", "she doesn't care about me", "sad and I "
        "wanted a drink", "skip", "skip", "no", "bye",
    ])
    assert "helpful belief: bye" not in out
    assert "What happened: your sister didn't call back." in out


def test_retries_never_repeat_the_same_line_twice(cli: Cli, home: Path) -> None:
    out = chat(cli, ["I'm having an urge", "pineapple", "banana", "skip", "skip", "surfing"])
    lines = out.splitlines()
    for first, second in itertools.pairwise(lines):
        assert first != second
    assert "leave that one" in out


def test_the_method_question_picks_surfing_kindly_after_an_odd_answer(
    cli: Cli, home: Path,
) -> None:
    out = chat(cli, ["I'm having an urge", "6", "skip", "skip",
                     "I'd rather just go to bed", "whatever"])
    assert "Let's try urge surfing, then." in out
    assert answers(session(journal(cli), "urge_help"))["method"] == "whatever"


# ----- 2. the person's own words, turned to "you" ------------------------------------


def test_values_are_read_back_without_fillers_and_in_the_second_person(
    cli: Cli, home: Path,
) -> None:
    out = chat(cli, [
        "my values", "um my kids, definitely my kids", "uh my health I guess", "being honest",
        "skip", "skip", "I miss their mornings", "I feel rough", "I lie a lot",
        "honestly it's been at the top",
    ])
    assert "One, your kids. Two, your health. Three, being honest." in out
    assert "chosen over your kids" in out
    kept = answers(session(journal(cli), "values"))
    assert kept["value_1"] == "um my kids, definitely my kids"  # the journal keeps the words
    assert kept["behaviour_place"] == "top"


def test_remind_me_why_reads_my_cba_back_as_you(cli: Cli, home: Path) -> None:
    chat(cli, [
        "cost benefit analysis", "it helps me switch off", "skip", "a hot bath maybe",
        "I'm always tired", "skip", "I'd sleep better", "I'd see my kids more", "I'd miss the "
        "pub", "skip", "changing",
    ])
    out = chat(cli, ["remind me why", "my kids"])
    assert "What gets better when you stop: you'd sleep better." in out
    assert "I'd sleep better" not in out
    assert "Your kids. Hold on to that today." in out


def test_evening_reflection_turns_the_plan_goal_to_you(cli: Cli, home: Path) -> None:
    chat(cli, ["make a change plan", "I'd like to make one friend who doesn't drink", "8",
               "5", "skip", "skip", "skip", "skip", "skip"])
    out = chat(cli, ["evening reflection", "6", "no", "skip", "skip", "not yet", "skip"])
    assert "How did it go with your goal to make one friend who doesn't drink?" in out


def test_disarm_takes_the_name_out_of_a_sentence(cli: Cli, home: Path) -> None:
    out = chat(cli, [
        "disarm", "seven", "I guess I'd call it the wolf cause it's always hungry", "skip",
        "skip", "skip", "wolf, no. not tonight.", "4", "yes",
    ])
    assert "that voice is the wolf." in out
    assert "The wolf, no." in out
    kept = answers(session(journal(cli), "disarm"))
    assert kept["urge_name"] == "I guess I'd call it the wolf cause it's always hungry"


# ----- 3. replies that fit the moment -------------------------------------------------


def test_self_hatred_is_offered_unconditional_self_acceptance(cli: Cli, home: Path) -> None:
    out = chat(cli, ["I'm such a failure", "yeah ok", "a loser", "no", "I'd tell them it's "
                     "one mistake", "I'm a good dad", "I messed up but I'm not worthless"])
    assert "I'm not able to help with that" not in out
    assert "unconditional self acceptance" in out
    assert "That's part of you too: you're a good dad." in out
    assert "Your new way to see it: you messed up but you're not worthless." in out
    usa = answers(session(journal(cli), "self_acceptance"))
    assert usa["self_label"] == "a loser"
    assert usa["new_view"] == "I messed up but I'm not worthless"


def test_usa_notices_when_the_new_view_is_the_old_label(cli: Cli, home: Path) -> None:
    # ("I'm useless" is a distress phrase for the safety layer, which rightly wins.)
    out = chat(cli, ["help me accept myself", "a loser", "yes", "skip", "skip",
                     "I'm still a loser"])
    assert "Your new way to see it" not in out
    assert "still sounds like the old label" in out


def test_shame_declined_is_answered_gently(cli: Cli, home: Path) -> None:
    out = chat(cli, ["I'm so ashamed of myself", "no not now"])
    assert "Go easy on yourself" in out
    assert not [s for s in journal(cli)["sessions"] if s["exercise"] == "self_acceptance"]


def test_loneliness_gets_a_listening_turn_not_a_menu(cli: Cli, home: Path) -> None:
    out = chat(cli, ["I'm so lonely lately", "my wife left and all my friends drink", "no"])
    assert "What's been making it feel that way?" in out
    assert "It sounds like your wife left and all your friends drink." in out
    assert "I'm not able to help with that" not in out
    assert "I'm here, and you can talk to me any time." in out


def test_someone_to_talk_to_then_an_urge_starts_the_urge_help(cli: Cli, home: Path) -> None:
    out = chat(cli, ["I just need someone to talk to", "I'm having a craving", "8"])
    assert "What's been making it feel that way?" in out
    assert "How strong is the urge right now" in out
    assert session(journal(cli), "urge_help")["answers"][0]["number"] == 8


def test_thirty_days_today_is_celebrated_and_counted(cli: Cli, home: Path) -> None:
    out = chat(cli, ["I've been sober 30 days today!"])
    assert "Thirty days! That's a real milestone" in out
    assert "May the eleventh" in out
    assert journal(cli)["profile"]["sober_since"] == "2026-05-11"
    again = chat(cli, ["how am I doing"], at="2026-06-11T09:00")
    assert "Thirty days!" not in again  # celebrated once
    assert "thirty-one days without drinking" in again


def test_a_new_sober_date_is_confirmed_before_it_changes(cli: Cli, home: Path) -> None:
    chat(cli, ["I've been sober since March 3rd"])
    out = chat(cli, ["actually I've been sober since March 5th", "no, keep it"])
    assert "I have your start date as March the third. Shall I change it to March the fifth?" \
        in out
    assert journal(cli)["profile"]["sober_since"] == "2026-03-03"
    chat(cli, ["I've been sober since March 5th", "yes please"])
    assert journal(cli)["profile"]["sober_since"] == "2026-03-05"


def test_a_milestone_is_noticed_at_hello_once(cli: Cli, home: Path) -> None:
    chat(cli, ["I've been sober for 5 days"])
    week = chat(cli, ["thanks"], at="2026-06-12T10:00")
    assert week.startswith("One week! That's a real milestone")
    later = chat(cli, ["thanks"], at="2026-06-13T10:00")
    assert "One week!" not in later


def test_honesty_about_hiding_drinking_gets_no_judgement(cli: Cli, home: Path) -> None:
    out = chat(cli, ["I lie about how much I drink", "my wife doesn't trust me anymore",
                     "yes", "it numbs things"])
    assert "there's no judgement here" in out
    assert "It sounds like your wife doesn't trust you anymore." in out
    assert "First, what does drinking do for you?" in out
    assert answers(session(journal(cli), "cost_benefit"))["benefits_of_using"] == \
        "it numbs things"


def test_what_is_smart_explains_the_four_points(cli: Cli, home: Path) -> None:
    out = chat(cli, ["so what is SMART recovery anyway"])
    for point in ("motivation", "coping with urges", "thoughts, feelings", "balanced life"):
        assert point in out
    assert "I think you asked for your progress" not in out


def test_drinking_on_weekends_gets_smarts_stance_not_the_lapse_script(
    cli: Cli, home: Path,
) -> None:
    out = chat(cli, ["can I drink just on weekends", "no"])
    assert "the choice is yours" in out
    assert "What happened?" not in out
    assert "cost benefit analysis" in out
    assert not journal(cli)["lapses"]


def test_i_want_to_quit_starts_a_motivation_path_not_an_urge_rating(
    cli: Cli, home: Path,
) -> None:
    out = chat(cli, ["I want to quit drinking", "I'm tired of the hangovers", "yes",
                     "no drinks on weeknights", "nine", "three", "skip", "skip", "skip",
                     "skip", "work drinks on Friday", "leave after one soda"])
    assert "How strong is the urge" not in out
    assert "It sounds like you're tired of the hangovers." in out
    assert "A smaller first step can make it feel more doable" in out  # confidence three
    assert "If that happens, you'll leave after one soda." in out
    plan = numbers(session(journal(cli), "plan"))
    assert plan["importance"] == 9 and plan["confidence"] == 3


def test_good_news_is_celebrated(cli: Cli, home: Path) -> None:
    out = chat(cli, ["guess what, I said no at the party"])
    assert "Well done" in out
    assert "I'm not able to help with that" not in out


def test_a_crisis_inside_a_listening_turn_still_wins(cli: Cli, home: Path) -> None:
    out = chat(cli, ["I feel so alone", "I want to kill myself"])
    assert "It sounds like" not in out
    assert "988" in out or "nine eight eight" in out


# ----- 4. SMART's tools complete -------------------------------------------------------


def test_deads_attack_runs_disarm_and_an_unhelpful_plan_is_not_logged_as_help(
    cli: Cli, home: Path,
) -> None:
    out = chat(cli, [
        "deads", "7", "put it off", "step outside", "attack it", "call someone", "water",
        "the brat", "skip", "skip", "skip", "brat, no way", "six", "not really",
    ])
    assert "let's do that now, with DISARM" in out
    assert "that voice is the brat" in out
    assert "Not every tool fits every urge" in out
    (urge,) = journal(cli)["urges"]
    assert urge["method"] == "deads" and urge["what_helped"] is None
    assert (urge["intensity_before"], urge["intensity_after"]) == (7, 6)


def test_disarm_notices_when_the_refusal_agrees_with_the_urge(cli: Cli, home: Path) -> None:
    out = chat(cli, [
        "disarm", "9", "the beast", "a cold pint", "you deserve it", "I'd feel rotten tomorrow",
        "whatever, I'm going to drink anyway", "yes", "seven", "no",
    ])
    assert "It sounds like the urge is winning right now" in out
    assert "Good. Say that every time" not in out
    assert "That's the truth the beast doesn't want you to hear: you'd feel rotten " \
        "tomorrow." in out
    kept = answers(session(journal(cli), "disarm"))
    assert kept["imagery"] == "a cold pint" and kept["delay_fifteen"] == "yes"


def test_the_urge_log_keeps_thoughts_duration_and_what_helped(cli: Cli, home: Path) -> None:
    chat(cli, [
        "I'm having a strong urge", "8", "payday", "I keep thinking I earned it, I feel wired",
        "surfing", "7", "5", "3", "2", "yes", "breathing and my dog",
    ])
    data = journal(cli)
    kept = answers(session(data, "urge_help"))
    assert kept["thoughts_feelings"] == "I keep thinking I earned it, I feel wired"
    assert int(kept["urge_minutes"]) >= 5
    (urge,) = data["urges"]
    assert urge["trigger"] == "payday" and urge["what_helped"] == "breathing and my dog"


def test_cba_asks_for_other_ways_to_get_the_same_good_things(cli: Cli, home: Path) -> None:
    out = chat(cli, [
        "let's do a cost benefit analysis", "it calms me down", "skip",
        "maybe a run or a hot shower", "skip", "skip", "skip", "skip", "skip", "skip",
        "not sure yet",
    ])
    assert "another way you could get that, without drinking?" in out
    assert "Another way to get the same good things: a run or a hot shower." in out
    assert answers(session(journal(cli), "cost_benefit"))["alternatives"] == \
        "maybe a run or a hot shower"


def test_unconditional_self_acceptance_by_name(cli: Cli, home: Path) -> None:
    out = chat(cli, ["unconditional self acceptance", "skip", "no", "skip", "skip", "skip"])
    assert "You are not your behaviour." in out
    assert "I'm a person who has acted badly" in out
    assert session(journal(cli), "self_acceptance")["status"] == "completed"


# ----- 5. looking back at your own data -----------------------------------------------


def test_show_me_my_urges_reads_a_review_of_the_log(cli: Cli, home: Path) -> None:
    for at in ("2026-06-07T19:00", "2026-06-08T20:00"):
        chat(cli, ["urge surfing", "8", "4", "2", "yes", "breathing"], at=at)
    chat(cli, ["I'm having an urge", "6", "the pub quiz", "skip", "deads", "skip", "skip",
               "skip", "skip", "skip", "4", "no"], at="2026-06-09T20:30")
    out = chat(cli, ["what sets off my urges"])
    assert "You've logged three urges in the last month." in out
    assert "the pub quiz" in out
    assert "Most of them came in the evening." in out
    assert "urge surfing" in out
    assert "came down by" in out


def test_urges_from_the_evening_reflection_count_in_progress(cli: Cli, home: Path) -> None:
    chat(cli, ["evening reflection", "5", "yes", "six", "a walk", "skip", "skip", "skip"],
         at="2026-06-09T21:30")
    out = chat(cli, ["how am I doing", "no"])
    assert "No urges noted this week" not in out
    assert "You noted one urge this week." in out


def test_the_evening_reflection_follows_up_the_first_step(cli: Cli, home: Path) -> None:
    chat(cli, ["set a goal", "walk every morning", "7", "7", "I feel better after",
               "walk to the shop tomorrow", "skip", "skip", "skip"])
    out = chat(cli, ["evening reflection", "6", "no", "skip", "skip",
                     "I did it, walked there and back", "skip"])
    assert "Your first step was: walk to the shop tomorrow. How did that go?" in out
    assert "That's real progress." in out
    kept = answers(session(journal(cli), "evening_reflection"))
    assert kept["first_step_progress"] == "I did it, walked there and back"


# ----- 6. patience ---------------------------------------------------------------------


def test_two_silences_in_a_strong_urge_do_not_end_it(cli: Cli, home: Path) -> None:
    out = chat(cli, ["I'm having an urge", "9", "", "", "", "my ex texted", "skip"])
    assert "It sounds like now isn't a good time" not in out
    assert "I'm still here. Take your time." in out
    s = session(journal(cli), "urge_help")
    assert answers(s)["trigger"] == "my ex texted"


def test_silence_at_a_mild_urge_still_lets_the_run_rest(cli: Cli, home: Path) -> None:
    out = chat(cli, ["I'm having an urge", "3", "", ""])
    assert "It sounds like now isn't a good time" in out
    assert session(journal(cli), "urge_help")["status"] == "timed_out"


def test_slower_during_a_pause_does_not_repeat_the_intro(tmp_path: Path) -> None:
    # A pause passes instantly in `chat --fast`, so this one talks to the engine directly.
    from datetime import datetime

    from voice_coach.clock import ManualClock
    from voice_coach.dialogue.engine import Coach
    from voice_coach.exercises import registry
    from voice_coach.journal.store import Journal
    from voice_coach.messages import Utterance, Wait
    from voice_coach.settings import Settings
    from voice_coach.understanding import Understanding

    clock = ManualClock(datetime(2026, 6, 10, 14, 0).astimezone())
    store = Journal.open(tmp_path / "journal.sqlite3")
    coach = Coach(Understanding.load(), store, Settings(name="Sam"), clock, registry())
    coach.start()
    coach.handle(Utterance("let's surf this urge"))
    intro = coach.handle(Utterance("eight"))
    assert isinstance(intro.next, Wait) and "surfboard" not in intro.text
    slower = coach.handle(Utterance("slow down please"))
    assert slower.text == "Okay, I'll take it slower. Carry on breathing."
    assert isinstance(slower.next, Wait)
    store.close()


UNSEEN = {
    "shame": ["I'm such an idiot", "I feel disgusting", "I let my kids down again",
              "I'm a terrible mother", "why am I like this", "I keep messing everything up"],
    "lonely": ["I've got nobody", "no one ever calls me", "I feel so alone tonight",
               "can we just chat for a bit", "I miss having friends around", "I'm lonely"],
    "good_news": ["I had a really good week", "I went to my first meeting",
                  "I'm proud of myself today", "I didn't drink at the wedding",
                  "great news I got the job"],
    "honesty": ["I've been hiding bottles in the garage", "nobody knows how much I drink",
                "I lied to my wife about drinking", "I drink in secret"],
    "about_smart": ["how does SMART work", "what are the four points",
                    "tell me about smart recovery", "what does SMART stand for"],
    "moderation": ["can I just drink socially", "do I have to quit completely",
                   "what about cutting down instead", "is it ok to drink on weekends"],
    "want_to_quit": ["I want to stop drinking", "I've decided to quit",
                     "I'm ready to give up booze", "I want to get sober", "help me quit smoking"],
    "urge_review": ["what triggers my urges", "review my urges", "when do I get cravings",
                    "what helps me most with urges"],
    "self_acceptance": ["I want to stop hating myself", "how can I forgive myself",
                        "self acceptance please"],
}
"""Written after the templates and never tuned on: 37 of 41 matched when first run."""


def test_the_new_moments_are_understood_in_words_they_were_not_tuned_on() -> None:
    from voice_coach.understanding import Understanding

    u = Understanding.load()
    cases = [(intent, text) for intent, texts in UNSEEN.items() for text in texts]
    hits = [
        text for intent, text in cases
        if (m := u.recognize(text)).intent == intent and m.confidence >= 0.75
    ]
    assert len(hits) / len(cases) >= 0.85, sorted({t for _, t in cases} - set(hits))
