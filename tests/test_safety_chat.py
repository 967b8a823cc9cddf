"""After a crisis answer the coach stays with the person: each kind, its follow-ups, everywhere.

Conversations a person would really have, through the real engine, journal
and exercises (and once through `voice-coach chat`, which shows digits).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
import yaml
from conftest import Cli

from voice_coach.clock import ManualClock
from voice_coach.dialogue.crisis_content import CrisisContent, all_regions
from voice_coach.dialogue.engine import Coach
from voice_coach.exercises import registry
from voice_coach.journal.store import Journal
from voice_coach.journal.summary import summarize
from voice_coach.messages import Listen, ListenFor, Reply, Silence, Tick, Utterance, Wait
from voice_coach.resources import intents_dir
from voice_coach.settings import REGIONS, Settings
from voice_coach.understanding import Understanding

FIRST = {
    "overdose": "I took my whole prescription",
    "suicidal": "honestly i don't see the point anymore",
    "self_harm": "i started cutting again",
}


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 11, 26, 15, 0).astimezone())


@pytest.fixture
def journal(tmp_path: Path):  # type: ignore[no-untyped-def]
    with Journal.open(tmp_path / "journal.sqlite3") as opened:
        yield opened


def coach_for(journal: Journal, clock: ManualClock, **settings: object) -> Coach:
    options: dict[str, object] = {"name": "Sam", "evening_reflection_time": "off"}
    options.update(settings)
    coach = Coach(Understanding.load(), journal, Settings(**options), clock, registry())  # type: ignore[arg-type]
    coach.start()
    return coach


def say(coach: Coach, text: str) -> Reply:
    return coach.handle(Utterance(text))


@pytest.mark.parametrize("kind", sorted(FIRST))
def test_each_kind_gets_its_own_first_answer(
    journal: Journal, clock: ManualClock, kind: str,
) -> None:
    coach = coach_for(journal, clock)
    reply = say(coach, FIRST[kind])
    assert reply.intent == "crisis" and coach.state == "safety"
    first, second = reply.speech[0].text, reply.speech[1].text
    if kind == "overdose":
        assert first.startswith("Please call nine one one right now")
        assert "naloxone" in reply.text
        assert "one eight hundred, two two two, one two two two" in reply.text
        assert "lapse" not in reply.text.lower() and "breathe together" not in reply.text
        assert "1-800-222-1222" in reply.shown
    else:
        assert "nine eight eight" in first + " " + second
        assert "nine one one" in reply.text
        assert len(reply.speech) <= 4
    assert reply.next == Listen(ListenFor.FREE, 20.0)
    # The journal keeps the time and the kind, never the words.
    sessions = journal.snapshot().sessions
    (record,) = [s for s in sessions if s.exercise == "crisis_answer"]
    assert [(a.key, a.text) for a in record.answers] == [("kind", kind)]
    everything = json.dumps([a.text for s in sessions for a in s.answers])
    assert FIRST[kind].lower() not in everything.lower()


@pytest.mark.parametrize("kind", sorted(FIRST))
def test_a_realistic_follow_up_conversation_stays_with_the_person(  # type: ignore[no-untyped-def]
    journal, clock, kind: str
) -> None:
    coach = coach_for(journal, clock)
    say(coach, FIRST[kind])
    scared = say(coach, "i'm really scared")
    assert coach.state == "safety" and "scared" in scared.text
    refuse = say(coach, "I don't want to call anyone")
    assert coach.state == "safety" and "not able to help" not in refuse.text
    assert "phone" in refuse.text or "text" in refuse.text
    again = say(coach, "what was the number")
    number = "nine one one" if kind == "overdose" else "nine eight eight"
    slow_number = "nine. one. one" if kind == "overdose" else "nine. eight. eight"
    assert slow_number in again.text and all(s.pace > 1.0 for s in again.speech)
    assert number.replace(" ", "") not in again.text  # spoken as words, never digits
    silent = coach.handle(Silence())
    assert coach.state == "safety" and silent.speech and not silent.ended
    assert "bye" not in silent.text.lower()
    second_silence = coach.handle(Silence())
    assert second_silence.text != silent.text
    lost = say(coach, "i don't know what to do")
    assert coach.state == "safety" and lost.speech
    angry = say(coach, "this is useless")
    assert "angry" in angry.text or "not going anywhere" in angry.text
    okay = say(coach, "I'm okay now, can we do the check-in")
    assert coach.state == "check_in" and "glad" in okay.text


def test_breathing_together_returns_to_are_you_safe(journal: Journal, clock: ManualClock) -> None:
    coach = coach_for(journal, clock)
    say(coach, "i wnat to kill my self")
    offer = say(coach, "no there's nobody")
    assert "breathe together" in offer.text
    breathing = say(coach, "yes")
    assert coach.state == "breathe_together"
    assert "three slow breaths together" in breathing.text
    # Paced on the engine's clock, with no question to answer before "Are you safe".
    spoken, started, reply = [breathing.text], clock.now(), breathing
    while coach.state == "breathe_together":
        assert isinstance(reply.next, Wait), f"asked something while breathing: {reply.text}"
        clock.advance(reply.next.seconds)
        reply = coach.handle(Tick())
        spoken.append(reply.text)
    said = " ".join(spoken)
    assert said.count("Breathe in.") == 3 and said.count("And out.") == 3
    assert "Six." in said and "feet on the floor" in said
    assert (clock.now() - started).total_seconds() >= 3 * 10
    assert coach.state == "safety"
    assert reply.speech[-1].text == "Are you safe right now?"
    unsafe = say(coach, "no")
    assert "nine eight eight" in unsafe.text and coach.state == "safety"
    safe = say(coach, "yes I'm safe")
    assert coach.state == "idle" and "glad" in safe.text


def test_asking_for_an_exercise_first_asks_once_if_they_are_safe(
    journal: Journal, clock: ManualClock,
) -> None:
    coach = coach_for(journal, clock)
    say(coach, "i cut my arm last night")
    asked = say(coach, "can we do urge surfing")
    assert asked.text == "Before we go on: are you safe right now?" and coach.state == "safety"
    started = say(coach, "yes")
    assert coach.state == "urge_surfing" and "glad" in started.text


@pytest.mark.parametrize("exercise", sorted(registry()))
def test_crisis_inside_every_exercise_never_resumes_it(
    journal: Journal, clock: ManualClock, exercise: str,
) -> None:
    coach = coach_for(journal, clock)
    coach.start_exercise(exercise)
    reply = say(coach, "I mixed alcohol and benzos")
    assert reply.speech[0].text.startswith("Please call nine one one")
    assert coach.state == "safety"
    # An answer to the abandoned question does not bring the exercise back.
    for text in ("six", "my sister called and we argued", "box"):
        assert coach.handle(Utterance(text)).state == "safety"
    # Asking for an exercise is answered with one safety question first.
    asked = say(coach, "let's do urge surfing")
    assert asked.text == "Before we go on: are you safe right now?"
    status = next(s.status for s in journal.snapshot().sessions if s.exercise == exercise)
    assert status == "crisis"


def test_distress_gets_one_direct_question_then_a_fitting_offer(
    journal: Journal, clock: ManualClock,
) -> None:
    coach = coach_for(journal, clock)
    coach.start_exercise("check_in")
    asked = say(coach, "I'm a burden to everyone")
    assert "are you thinking about ending your life, or hurting yourself?" in asked.text
    assert asked.intent == "distress" and coach.state == "safety"
    no = say(coach, "no, not like that")
    assert "ABC tool" in no.text and "not able to help" not in no.text
    assert coach.state == "idle"
    coach2 = coach_for(journal, clock)
    say(coach2, "I can't do this anymore")
    yes = say(coach2, "maybe sometimes")  # unclear counts as yes
    assert "nine eight eight" in yes.text and coach2.state == "safety"


def test_trusted_contact_is_named_and_other_regions_get_their_lines(
    journal: Journal, clock: ManualClock,
) -> None:
    coach = coach_for(journal, clock, trusted_contact="Maria", crisis_region="AU")
    reply = say(coach, "i want to die")
    assert "Could you call Maria right now?" in reply.text
    assert "thirteen, eleven, fourteen" in reply.text and "triple zero" in reply.text
    assert "13 11 14" in reply.shown and "000" in reply.shown


def test_a_uk_overdose_gets_999_first_then_nhs_111_for_advice(journal, clock) -> None:  # type: ignore[no-untyped-def]
    coach = coach_for(journal, clock, crisis_region="UK")
    reply = say(coach, "my friend took a load of pills and won't wake up")
    assert reply.text.startswith("Please call nine nine nine right now")
    assert "You can also call NHS one one one for advice." in reply.text
    assert "999" in reply.shown and "NHS 111 for advice" in reply.shown
    assert "nine eight eight" not in reply.text and "one hundred" not in reply.text
    again = say(coach, "what was the number")
    assert "NHS one one one for advice" in again.text


def test_every_region_has_every_line_and_a_checked_date() -> None:
    data = yaml.safe_load((intents_dir() / "crisis" / "resources.yaml").read_text())
    datetime.strptime(data["checked"], "%Y-%m-%d")
    regions = all_regions(data)
    assert set(regions) == set(REGIONS)
    for code, region in regions.items():
        for number in (region.emergency, region.crisis, region.poison):
            assert number is not None, code
            assert number.display and number.spoken and not any(c.isdigit() for c in number.spoken)
            assert number.source.startswith("http"), (code, number.name)
            datetime.strptime(number.checked, "%Y-%m-%d")
            assert number.checked >= data["checked"], (code, number.name)
        assert region.crisis.source and region.poison and region.poison.source
        content = CrisisContent.load(code)
        short = " ".join(line.spoken for line in content.say("short_resources"))
        assert region.emergency.spoken in short


def test_journal_summary_never_mentions_crisis_moments(
    journal: Journal, clock: ManualClock,
) -> None:
    coach = coach_for(journal, clock)
    say(coach, "i overdosed")
    say(coach, "I'm safe now")
    summary = summarize(journal.snapshot(), clock.now())
    assert "crisis" not in summary.lower() and "session" in summary.lower()


def test_text_mode_shows_digits(cli: Cli, named_home: Path) -> None:
    said = cli("chat", "--fast", input="I took like thirty pills\nwhat was the number\n")
    assert said.returncode == 0, said.stderr
    assert "Please call 911 right now" in said.stdout
    assert "1-800-222-1222" in said.stdout and "nine one one" not in said.stdout


def test_weak_spoken_evidence_asks_first_and_a_false_alarm_carries_on(  # type: ignore[no-untyped-def]
    journal, clock
) -> None:
    coach = coach_for(journal, clock)
    started = coach.start_exercise("check_in")
    asked = coach.possible_crisis("i took to many pills")  # only open dictation heard this
    assert asked.text == "It sounded like you might not be safe. Are you okay?"
    carried = say(coach, "yes I'm okay")
    assert coach.state == "check_in" and started.speech[-1].text in carried.text
    assert not [s for s in journal.snapshot().sessions if s.exercise == "crisis_answer"]
    coach.possible_crisis("i want to die")
    answer = say(coach, "no")
    assert "nine eight eight" in answer.text and coach.state == "safety"
    status = next(s.status for s in journal.snapshot().sessions if s.exercise == "check_in")
    assert status == "crisis"


QUESTION = "are you thinking about ending your life, or hurting yourself?"


def first_after_question(said_lines: list[str]) -> list[str]:
    """What the person hears after the direct safety question (the answer to their reply)."""
    asked = next(i for i, line in enumerate(said_lines) if QUESTION in line)
    return said_lines[asked + 1 :]


@pytest.mark.parametrize(
    ("said", "reply", "first"),
    [
        # Only the second opinion hears the pills, so the coach asks; "yes" is the overdose.
        ("i swallowed some of my pills and feel strange", "yes", "Please call 911 right now"),
        ("i took some of my meds and now i feel really weird", "maybe",
         "Please call 911 right now"),
        # Nothing taken: "yes" is the suicidal answer, the crisis line first.
        ("I feel completely hopeless", "yes",
         "I'm really glad you told me, and I'm staying right here with you."),
        # The usual dose, or pills stopped, is not an overdose.
        ("i took my meds this morning but i feel completely hopeless", "yes",
         "I'm really glad you told me, and I'm staying right here with you."),
        ("i stopped taking my meds and i feel hopeless", "yes",
         "I'm really glad you told me, and I'm staying right here with you."),
        # The answer itself says which.
        ("I feel completely hopeless", "yes i took too many", "Please call 911 right now"),
        ("I feel completely hopeless", "no but i took a lot of pills", "Please call 911 right now"),
        ("I feel completely hopeless", "no but i swallowed a few pills",
         "Please call 911 right now"),
    ],
)
def test_yes_to_the_safety_question_gets_the_answer_for_what_was_said(
    cli: Cli, named_home: Path, said: str, reply: str, first: str,
) -> None:
    out = cli("chat", "--fast", input=f"{said}\n{reply}\n")
    assert out.returncode == 0, out.stderr
    heard = first_after_question(out.lines)
    assert heard[0].startswith(first), out.stdout
    if first.startswith("Please call 911"):
        assert "Poison Help on 1-800-222-1222" in out.stdout
        assert "988" not in out.stdout and "lapse" not in out.stdout.lower()
    else:
        assert "call or text 988" in heard[1]


def test_no_after_pills_still_gives_the_emergency_number(cli: Cli, named_home: Path) -> None:
    """Not suicidal, but pills were taken: the emergency number before the offer."""
    out = cli("chat", "--fast", input="i swallowed some of my pills and feel strange\nno\n")
    heard = first_after_question(out.lines)
    assert heard[0] == "Thank you for telling me. That still sounds like a lot to carry."
    assert heard[1] == "If you've taken something, or your body feels wrong, please call 911 now."
    assert heard[2] == "You can also call Poison Help on 1-800-222-1222."
    assert "ABC tool" in heard[3]


def test_the_emergency_answer_after_yes_uses_the_regions_numbers(
    cli: Cli, named_home: Path,
) -> None:
    config = named_home / "config.toml"
    config.write_text(config.read_text() + 'crisis_region = "UK"\n')
    out = cli("chat", "--fast", input="i swallowed some of my pills and feel strange\nyes\n")
    heard = first_after_question(out.lines)
    assert heard[0].startswith("Please call 999 right now"), out.stdout
    assert "You can also call NHS 111 for advice." in heard
    assert "911" not in out.stdout and "116 123" not in out.stdout
