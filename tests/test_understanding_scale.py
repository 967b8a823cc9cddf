"""Matching that never lists every template sentence: huge templates load, exact sentences of
theirs are certain, paraphrases still land, and off-topic talk is still left alone."""

from __future__ import annotations

import random

import pytest

from voice_coach.errors import IntentsError
from voice_coach.understanding import Understanding
from voice_coach.understanding.intents import Intents
from voice_coach.understanding.match_set import cap_for, choose
from voice_coach.understanding.matcher import Matcher
from voice_coach.understanding.templates import MAX_SENTENCES

DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]

# 10^7 sentences in one template: a locker code read out digit by digit.
HUGE = """
intents:
  unlock_locker:
    sentences:
      - "(open|unlock) [the] locker {d} {d} {d} {d} {d} {d} {d} please"
  urge_help:
    sentences:
      - "(I'm|I am) having [a|an] (urge|craving) [to (drink|smoke|gamble)]"
      - "I (really|badly) (want|need) a (drink|smoke|bet) [right now]"
  breathing:
    sentences:
      - "(let's|can we|help me) (breathe|do [some] breathing) [together|slowly]"
  thanks:
    sentences:
      - "(thanks|thank you|cheers) [so much|a lot|very much] [coach|mate|friend]
         [for (that|listening|the help)]"
lists:
  d:
    values: [zero, one, two, three, four, five, six, seven, eight, nine]
"""


@pytest.fixture(scope="module")
def huge() -> Understanding:
    return Understanding(Intents.from_yaml(HUGE))


def test_templates_of_ten_million_sentences_load_without_being_listed(
    huge: Understanding,
) -> None:
    intents = Intents.from_yaml(HUGE)
    with pytest.raises(IntentsError):  # listing them all is refused...
        _ = intents.sentences
    # ...yet the coach loads them and knows how many there are.
    assert huge.sentence_count(["unlock_locker"]) == 2 * 2 * 10**7


def test_any_exact_sentence_of_a_huge_template_is_recognised_with_full_confidence(
    huge: Understanding,
) -> None:
    rng = random.Random(7)
    for _ in range(20):
        code = " ".join(rng.choice(DIGITS) for _ in range(7))
        match = huge.recognize(f"Unlock the locker {code} please")
        assert (match.intent, match.confidence) == ("unlock_locker", 1.0), code


def test_paraphrases_and_off_topic_talk_beside_a_huge_template(huge: Understanding) -> None:
    assert huge.recognize("um i'm having a really bad craving").intent == "urge_help"
    assert huge.recognize("can we breathe together").intent == "breathing"
    said = "can you unlock my locker two two four one nine nine eight"  # "please" left out
    assert huge.recognize(said).intent == "unlock_locker"
    assert huge.recognize("what's the weather like in paris").intent is None


def test_a_small_budget_keeps_exact_sentences_certain_and_paraphrases_right() -> None:
    intents = Intents.from_yaml(HUGE)
    small = Understanding(Matcher(intents, budget=200))  # every template capped
    assert small.recognize("I am having an urge to gamble").confidence == 1.0
    assert small.recognize("help me breathe slowly").intent == "breathing"
    assert small.recognize("i badly need a smoke right now").intent == "urge_help"
    assert small.recognize("play some jazz music").intent is None
    # Thanks after a request is cut off by exact suffix, so every way of saying it is known.
    for said, meant in [
        ("let's breathe, thank you very much coach for the help", "breathing"),
        ("i need a drink, cheers a lot mate for listening", "urge_help"),
    ]:
        assert (small.recognize(said).intent, small.recognize(said).confidence) == (meant, 1.0)


def test_the_shipped_templates_are_all_compared_so_nothing_changes_for_them() -> None:
    from voice_coach.resources import intents_dir

    chosen = choose(Intents.from_files(intents_dir("en")))
    assert not chosen.sampled  # every shipped sentence is still matched against


def test_the_budget_is_shared_fairly_between_templates() -> None:
    assert cap_for([10, 20, 30], 100) is None  # all fit
    assert cap_for([10, 1000, 1000], 410) == 200  # small ones whole, big ones share the rest
    assert cap_for([10**7] * 1000, 1000) == 40  # never below the floor
    assert MAX_SENTENCES >= 200
