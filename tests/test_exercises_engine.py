"""The exercises through the real coach: typed words in, journal records out.

These go through the whole dialogue engine with the shipped intents and the
real SQLite journal, so they check what a person would see: that saying
"surfing", "step outside" or "the second one" does what they meant, that the
urge log holds their numbers and words afterwards, and that a conversation
typed line by line (as in `chat --fast`) is heard and kept as it should be.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest

from voice_coach.clock import ManualClock
from voice_coach.dialogue.answers import control_intent
from voice_coach.dialogue.engine import Coach
from voice_coach.exercises import breathing, deads, disarm, registry, surfing, urge_log, urges
from voice_coach.exercises.motivation import conclusion_choices
from voice_coach.exercises.script import Choice
from voice_coach.journal.records import UrgeRecord
from voice_coach.journal.store import Journal
from voice_coach.messages import Listen, ListenFor, Tick, Utterance, Wait
from voice_coach.settings import Settings
from voice_coach.understanding import Understanding

Talk = Callable[[str], str]


def conversation(journal: Journal, **settings: Any) -> Talk:
    """Start a coach and return `talk(text) -> everything it said until it listens again`."""
    clock = ManualClock(datetime(2024, 5, 6, 15, 0).astimezone())
    coach = Coach(
        Understanding.load(), journal, Settings(**{"name": "Sam", **settings}), clock,
        registry(),
    )
    coach.start()

    def talk(text: str) -> str:
        reply = coach.handle(Utterance(text))
        said = [reply.text]
        while isinstance(reply.next, Wait):
            clock.advance(reply.next.seconds)
            reply = coach.handle(Tick())
            said.append(reply.text)
        return " ".join(said)

    return talk


def only_urge(journal: Journal) -> UrgeRecord:
    found = journal.snapshot().urges
    assert len(found) == 1
    return found[0]


def test_surfing_an_urge_by_voice_logs_the_ratings_trigger_and_what_helped(
    journal: Journal,
) -> None:
    talk = conversation(journal, urge_surfing_minutes=4)
    assert urge_log.RATE_BEFORE in talk("I'm having a really strong urge")
    assert urges.TRIGGER_PROMPT in talk("eight")
    assert urge_log.THOUGHTS_PROMPT in talk("my boss shouted at me")
    assert urges.METHOD_PROMPT in talk("I'm angry and I want to forget it")
    surf = talk("urge surfing please")
    assert "surfboard" in surf and surf.endswith(urge_log.RATE_NOW)
    assert talk("six").endswith(urge_log.RATE_NOW)
    ending = talk("three")
    assert "You started at eight and now you're at three." in ending
    assert talk("slow breathing and my dog").startswith(surfing.SURF_THANKS)
    urge = only_urge(journal)
    assert (urge.intensity_before, urge.intensity_after) == (8, 3)
    assert urge.trigger == "my boss shouted at me"
    assert urge.what_helped == "slow breathing and my dog"
    assert urge.method == "surfing"
    assert journal.latest_answers("urge_help")["rating_2min"] == "6"


def test_deads_options_are_understood_in_everyday_words(journal: Journal) -> None:
    talk = conversation(journal)
    talk("I need help with a craving")
    talk("seven")
    talk("skip")
    talk("skip")
    assert "put it off for fifteen minutes" in talk("deads")
    assert "Okay, you'll set a timer." in talk("a timer")
    assert "Okay, you'll step outside." in talk("I'll go outside")
    assert deads.DEADS_SKIPPED in talk("skip")
    assert "Okay, you'll call someone." in talk("call my sister")
    plan = talk("the third one")
    assert "Okay, you'll keep your hands busy." in plan
    assert "You'll set a timer, step outside, call someone and keep your hands busy." in plan
    assert "You started at seven and now you're at four." in talk("four")
    assert only_urge(journal).what_helped is None  # not until the person says it helped
    talk("yes it did")
    urge = only_urge(journal)
    assert urge.method == "deads"
    assert urge.what_helped == "set a timer; step outside; call someone; keep your hands busy"


ALL_CHOICES = [
    *urges.METHOD_CHOICES,
    *breathing.PATTERN_CHOICES,
    *(choice for letter in deads.DEADS_LETTERS for choice in letter.options),
]


@pytest.mark.parametrize("choice", ALL_CHOICES, ids=lambda choice: choice.value)
def test_no_way_of_naming_an_option_is_taken_for_stop_skip_or_pause(choice: Choice) -> None:
    """"Leave the room" once meant stop, and "wait fifteen minutes" meant pause."""
    understanding = Understanding.load()
    for phrase in choice.phrases:
        assert control_intent(understanding, phrase, ListenFor.CHOICE) is None, phrase
        said = f"I'll {choice.value}"
        assert control_intent(understanding, said, ListenFor.CHOICE) is None, said


def test_the_second_one_picks_the_second_option(journal: Journal) -> None:
    talk = conversation(journal)
    assert breathing.PATTERN_PROMPT in talk("let's do some breathing")
    assert breathing.ROUNDS_PROMPT in talk("the second one")


@pytest.mark.parametrize("letter", deads.DEADS_LETTERS, ids=lambda letter: letter.key)
def test_every_short_form_of_a_deads_option_picks_that_option(letter: deads.Letter) -> None:
    understanding = Understanding.load()
    options = {c.value: c.phrases for c in letter.options}
    for choice in letter.options:
        for phrase in choice.phrases:
            assert understanding.match_choice(phrase, options)[0] == choice.value, phrase


@pytest.mark.parametrize(
    ("said", "method"),
    [("surfing", "surfing"), ("let's do deads", "deads"), ("disarm it", "disarm"),
     ("the first one", "surfing"), ("the third one", "disarm")],
)
def test_the_three_urge_methods_are_understood(said: str, method: str) -> None:
    options = {c.value: c.phrases for c in urges.METHOD_CHOICES}
    assert Understanding.load().match_choice(said, options)[0] == method


@pytest.mark.parametrize(
    ("said", "pattern"),
    [("box", "box"), ("box breathing please", "box"), ("four seven eight", "4-7-8"),
     ("the second one", "4-7-8")],
)
def test_the_breathing_patterns_are_understood(said: str, pattern: str) -> None:
    options = {c.value: c.phrases for c in breathing.PATTERN_CHOICES}
    assert Understanding.load().match_choice(said, options)[0] == pattern


def test_stopping_disarm_half_way_keeps_the_urge_and_its_name(journal: Journal) -> None:
    talk = conversation(journal)
    assert urge_log.RATE_BEFORE in talk("disarm")
    assert "What would you like to call yours?" in talk("nine")
    assert "What picture is the liar showing you?" in talk("the liar")
    talk("stop")
    urge = only_urge(journal)
    assert urge.intensity_before == 9 and urge.intensity_after is None
    assert journal.latest_answers("disarm")["urge_name"] == "the liar"


def test_a_firm_refusal_that_starts_with_the_urges_name_is_never_taken_as_stop(
    journal: Journal,
) -> None:
    talk = conversation(journal)
    talk("disarm")
    talk("eight")
    talk("the liar")
    talk("a cold beer on the patio")
    talk("one drink won't hurt")
    assert disarm.REFUSAL_PROMPT in talk("I'd feel awful tomorrow")
    assert "picture the liar getting smaller" in talk("liar, shut up")
    assert "You started at eight and now you're at five." in talk("five")
    assert only_urge(journal).method == "disarm"
    assert journal.latest_answers("disarm")["refusal"] == "liar, shut up"


def test_a_lapse_resets_the_count_only_after_a_yes(journal: Journal) -> None:
    journal.set_profile("sober_since", "2024-04-01")
    talk = conversation(journal)
    assert "What happened?" in talk("I slipped up last night")
    talk("I went to the pub after work")
    assert "So the thought was: one pint won't hurt." in talk("one pint won't hurt")
    assert "Would you like me to start your day count again" in talk("order a soft drink first")
    assert "change plan" in talk("no")
    assert journal.get_profile("sober_since") == "2024-04-01"
    assert [lapse.reset_count for lapse in journal.snapshot().lapses] == [False]


def test_a_strong_urge_at_check_in_leads_straight_into_the_urge_exercise(
    journal: Journal,
) -> None:
    talk = conversation(journal)
    talk("let's do a check in")
    talk("five")
    talk("eight")
    offer = talk("six")
    assert "say 'I'm having an urge'" in offer
    assert urge_log.RATE_BEFORE in talk("I'm having an urge")


AFTERNOON = datetime(2026, 11, 26, 14, 0).astimezone()
"""A fixed afternoon: the evening offer is not due, whatever the hour of the run."""


def talk_through(journal: Journal, lines: list[str]) -> list[str]:
    """Say each line to a fresh coach; returns what the coach said after each one."""
    coach = Coach(Understanding.load(), journal, Settings(name="Sam", focus="alcohol"),
                  ManualClock(AFTERNOON), registry())
    coach.start()
    said = []
    for line in lines:
        reply = coach.handle(Utterance(line))
        said.append(reply.text)
    assert coach.state == "idle", f"still in {coach.state}: {said[-1]}"
    return said


CBA_LINES = ["it helps me relax", "nothing", "a walk by the river", "hangovers", "my job",
             "better sleep", "skip", "friday nights", "no"]


def test_remind_me_why_builds_a_cba_then_reads_it_back_next_time(journal: Journal) -> None:
    said = talk_through(journal, ["remind me why", "yes", *CBA_LINES, "staying as I am", "skip"])

    assert "cost benefit" in said[0]
    assert "hangovers. And in the long run, your job" in said[-3]  # the read-back
    assert "Thank you for being honest" in said[-2]
    kept = journal.latest_answers("cost_benefit")
    assert kept["conclusion"] == "no_change"
    assert kept["costs_of_using_long_term"] == "my job"
    assert "costs_of_stopping_long_term" in kept and "benefits_of_stopping_long_term" not in kept

    again = talk_through(journal, ["remind me why", "better sleep"])
    assert "What drinking costs you: hangovers. And in the long run, your job." in again[0]
    assert "What gets better when you stop: better sleep." in again[0]
    assert again[-1] == "Better sleep. Hold on to that today."


def test_balance_pie_to_change_plan_gives_the_evening_reflection_a_goal(
    journal: Journal,
) -> None:
    said = talk_through(journal, [
        "how balanced is my life", "7", "3", "6", "three", "2", "8", "skip", "5",
        "fun", "yes", "play football on Sundays", "nine", "seven", "I used to love it",
        "call Dan", "Dan", "three weeks running", "hangovers", "skip",
    ])

    assert "Your lowest two are fun and recreation, at two, and friends and social life, " \
        "at three." in said[8]
    assert "change plan for fun and recreation" in said[9]
    assert "Your goal: play football on Sundays." in said[-1]
    assert journal.latest_answers("plan")["goal"] == "play football on Sundays"
    assert journal.latest_answers("balance")["area_health"] == "3"


def test_abc_through_the_engine_keeps_every_answer(journal: Journal) -> None:
    said = talk_through(journal, [
        "I want to do the ABC tool", "my boss walked past me", "he hates me", "anxious",
        "no", "he was on the phone", "no", "he was just busy",
    ])

    assert "A B C" in said[0] and "camera" in said[0]
    assert "You told yourself that he hates you." in said[3]
    assert "And your new, more helpful belief: he was just busy." in said[-1]
    kept = journal.latest_answers("abc")
    assert kept["dispute_evidence"] == "he was on the phone"
    assert kept["effective_belief"] == "he was just busy"


@pytest.mark.parametrize(("said", "side"), [
    ("changing", "change"),
    ("I think making a change", "change"),
    ("staying as I am", "no_change"),
    ("I'm not ready to change", "no_change"),
    ("not sure yet", "unsure"),
    ("about the same", "unsure"),
])
def test_the_weighing_answer_is_understood(said: str, side: str) -> None:
    options = {c.value: c.phrases for c in conclusion_choices("drinking")}
    assert Understanding.load().match_choice(said, options)[0] == side


def test_the_weighing_question_is_a_choice_with_spoken_options(journal: Journal) -> None:
    coach = Coach(
        Understanding.load(), journal, Settings(name="Sam"), ManualClock(AFTERNOON), registry()
    )
    coach.start()
    reply = coach.handle(Utterance("cost benefit analysis"))
    for line in CBA_LINES:
        reply = coach.handle(Utterance(line))

    assert reply.text.endswith("Changing, staying as you are, or not sure yet?")
    assert isinstance(reply.next, Listen)
    assert reply.next.kind is ListenFor.CHOICE
    assert "staying as I am" in reply.next.phrases
