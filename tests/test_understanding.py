"""Understanding as a person meets it: requests reach the right tool, ratings are read,
off-topic talk is left alone, and crisis language is always caught."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from voice_coach.understanding import Understanding
from voice_coach.understanding.normalize import match_key, normalize
from voice_coach.understanding.numbers import Rating, int_to_words, parse_rating

REPO = Path(__file__).resolve().parent.parent

CONTRACT = {
    "urge_help", "breathing", "breathe_together", "motivation", "cost_benefit", "values", "abc",
    "evening_reflection", "check_in", "progress", "relapse", "crisis", "yes", "no", "stop",
    "repeat", "help", "slower", "number", "greeting", "goodbye", "balance", "plan", "pause",
    "resume", "skip", "back", "deads", "disarm", "urge_surfing", "thanks", "not_sure",
    "self_acceptance", "shame", "lonely", "good_news", "sobriety_milestone", "honesty",
    "about_smart", "moderation", "want_to_quit", "urge_review",
}  # fmt: skip


@pytest.fixture(scope="module")
def u() -> Understanding:
    return Understanding.load("en")


def test_intent_names_are_the_public_contract(u: Understanding) -> None:
    assert set(u.intent_names) == CONTRACT


def test_load_is_cached(u: Understanding) -> None:
    assert Understanding.load("en") is u


# --- normalisation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I'm NOT ok!!", "i am not okay"),
        ("don't, can't, won't", "do not can not will not"),
        ("It’s 7/10", "it is seven out of ten"),
        ("self-harm", "self harm"),
        ("dont wanna", "do not want to"),
        ("-2", "minus two"),
    ],
)
def test_normalize(text: str, expected: str) -> None:
    assert normalize(text) == expected


def test_match_key_drops_fillers_but_keeps_meaning() -> None:
    assert match_key("Um, so, like, I really want a drink, you know") == "i want a drink"
    assert match_key("I would like to stop") == "i would like to stop"
    assert match_key("not really") == "not really"


# --- numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("seven", 7), ("7", 7), ("a seven", 7), ("seven out of ten", 7), ("about 6", 6),
        ("maybe a 3 or 4", 3), ("zero", 0), ("none", 0), ("ten", 10), ("10/10", 10),
        ("4 out of 5", 8), ("six and a half", 7), ("I'd say a two, honestly", 2),
    ],
)  # fmt: skip
def test_parse_rating(text: str, value: int) -> None:
    assert parse_rating(text) == Rating(value)


@pytest.mark.parametrize(
    ("text", "said"),
    [("eleven out of ten", 11), ("15", 15), ("minus two", -2), ("a hundred", 100)],
)
def test_out_of_range_ratings_are_reported_not_clamped(text: str, said: int) -> None:
    assert parse_rating(text) == Rating(None, said)


def test_no_number_is_no_rating() -> None:
    assert parse_rating("I'm not sure") == Rating(None, None)


def test_number_words_round_trip() -> None:
    for n in (0, 7, 13, 21, 99, 100, 105, 1000, 2026):
        assert parse_rating(int_to_words(n)) in (Rating(n), Rating(None, n))


# --- intents -------------------------------------------------------------------------------

EXAMPLES = {
    "urge_help": ["I'm having a really strong craving", "I want to drink so badly right now"],
    "breathing": ["can we do a breathing exercise", "I need to calm down"],
    "motivation": ["remind me why I'm doing this", "I need some motivation"],
    "cost_benefit": ["let's do a cost benefit analysis", "pros and cons of drinking"],
    "values": ["what matters most to me", "let's do the hierarchy of values"],
    "abc": ["my thoughts are spiralling", "let's use the ABC tool"],
    "evening_reflection": ["let's do my evening reflection", "I want to review my day"],
    "check_in": ["quick check in", "I want to log my mood"],
    "progress": ["how am I doing", "how many days have I been sober"],
    "relapse": ["I slipped last night", "I drank yesterday"],
    "balance": ["how balanced is my life", "let's do the lifestyle balance pie"],
    "plan": ["I want to set a goal", "let's work on my change plan"],
    "deads": ["let's do DEADS", "I need a distraction"],
    "disarm": ["let's try DISARM", "help me talk back to the addictive voice"],
    "urge_surfing": ["let's do some urge surfing", "help me ride out the urge"],
    "greeting": ["hello there", "good morning coach"],
    "goodbye": ["goodbye", "see you tomorrow"],
    "thanks": ["thank you so much", "that really helped"],
    "help": ["what can you do", "what are my options"],
    "yes": ["yes please", "yeah sure"],
    "no": ["no thanks", "not right now"],
    "stop": ["stop", "I want to stop"],
    "repeat": ["say that again", "what did you say"],
    "slower": ["slow down please", "you're talking too fast"],
    "pause": ["hold on", "give me a minute"],
    "resume": ["continue", "let's keep going"],
    "skip": ["skip this question", "next question"],
    "back": ["go back", "previous question"],
    "not_sure": ["I don't know", "I'm not sure"],
}


@pytest.mark.parametrize(
    ("intent", "text"), [(i, t) for i, texts in EXAMPLES.items() for t in texts]
)
def test_each_intent_is_recognised(u: Understanding, intent: str, text: str) -> None:
    match = u.recognize(text)
    assert match.intent == intent, match
    assert 0.0 < match.confidence <= 1.0


@pytest.mark.parametrize(
    "text",
    ["play some music", "what's the weather", "order a pizza", "turn on the lights",
     "how tall is mount everest", "my cat is asleep on the sofa"],
)  # fmt: skip
def test_out_of_scope_is_no_intent_not_a_guess(u: Understanding, text: str) -> None:
    match = u.recognize(text)
    assert match.intent is None and match.slots == {}


def test_number_intent_fills_the_value_slot(u: Understanding) -> None:
    assert u.recognize("seven out of ten").slots == {"value": 7}
    assert u.recognize("I'd say a 3").slots == {"value": 3}


def test_out_of_range_rating_gives_no_intent_and_says_what_was_heard(u: Understanding) -> None:
    match = u.recognize("eleven out of ten", allowed={"number", "stop"})
    assert match.intent is None and match.slots == {"out_of_range": 11}


def test_allowed_limits_the_winner(u: Understanding) -> None:
    during_rating = {"number", "stop", "repeat", "help", "slower"}
    assert u.recognize("I think it's around a six right now", allowed=during_rating).slots == {
        "value": 6
    }
    assert u.recognize("stop please", allowed=during_rating).intent == "stop"
    assert u.recognize("let's do urge surfing", allowed={"yes", "no"}).intent is None


# --- crisis --------------------------------------------------------------------------------

CRISIS = [
    "I want to kill myself",
    "honestly I've been thinking about killing myself lately",
    "I don't want to live anymore",
    "I took too many pills",
    "everyone would be better off without me",
    "I've been cutting myself again",
    "I'm suicidal",
    "I just want to end it all",
    "some days I wish I could go to sleep and never wake up",
    "I might OD tonight",
]


@pytest.mark.parametrize("text", CRISIS)
def test_crisis_is_always_caught(u: Understanding, text: str) -> None:
    assert u.is_crisis(text)
    match = u.recognize(text)
    assert (match.intent, match.confidence) == ("crisis", 1.0)
    assert match.slots["kind"] in ("suicidal", "overdose", "self_harm")
    # Crisis wins whatever the dialogue was waiting for.
    assert u.recognize(text, allowed={"yes", "no"}).intent == "crisis"


def test_crisis_is_caught_deep_inside_a_very_long_utterance(u: Understanding) -> None:
    text = "so the day went on and on. " * 4000 + "and I want to end my life."
    assert u.is_crisis(text)
    assert u.recognize(text).intent == "crisis"


@pytest.mark.parametrize(
    "text",
    ["I'm dying for a drink", "this craving is killing me", "I want to cut down on drinking",
     "I drank too much last night", "I want the craving to stop", "I'm beating myself up"],
)  # fmt: skip
def test_ordinary_phrases_are_not_crisis(u: Understanding, text: str) -> None:
    assert not u.is_crisis(text)
    assert u.recognize(text).intent != "crisis"


# --- grammar and choices -------------------------------------------------------------------


def test_sentences_are_clean_words_for_recognizer_grammars(u: Understanding) -> None:
    rating = u.sentences(["number", "stop"])
    assert "seven out of ten" in rating and "stop" in rating
    assert all(s == normalize(s) and s.replace(" ", "").isalpha() for s in u.sentences())
    assert len(u.sentences()) > len(rating)


def test_match_choice(u: Understanding) -> None:
    options = {
        "surfing": ("urge surfing", "surfing", "the first one"),
        "deads": ("deads", "the second one"),
    }
    assert u.match_choice("let's go with surfing", options)[0] == "surfing"
    assert u.match_choice("the second one please", options)[0] == "deads"
    assert u.match_choice("pizza", options)[0] is None
    assert u.match_choice("", options) == (None, 0.0)


# --- robustness ----------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_valid_answer(text: str) -> None:
    u = Understanding.load("en")
    match = u.recognize(text)
    assert 0.0 <= match.confidence <= 1.0
    assert match.intent is None or match.intent in CONTRACT
    assert isinstance(u.is_crisis(text), bool)
    rating = parse_rating(text)
    assert rating.value is None or 0 <= rating.value <= 10


# --- command line --------------------------------------------------------------------------


def _cli(*args: str, data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    python = REPO / ".venv" / "bin" / "python"
    return subprocess.run(
        [str(python if python.exists() else sys.executable), "-m", "voice_coach", "intent", *args],
        input=data, capture_output=True, env=env, cwd=REPO, timeout=120, check=False,
    )  # fmt: skip


def test_cli_json_for_one_sentence() -> None:
    result = _cli("I'm having a strong craving", "--json")
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["intent"] == "urge_help" and out["slots"] == {}
    assert set(out) == {"text", "intent", "confidence", "slots"}
    assert out["confidence"] == round(out["confidence"], 3)


def test_cli_reads_lines_from_stdin_and_survives_garbage() -> None:
    lines = [
        b"seven out of ten", b"", b"play some music", b"\xff\xfe\x00\x01 garbage",
        "\U0001f600 je veux boire \u4f60\u597d".encode(), b"x" * 100_000,
    ]  # fmt: skip
    result = _cli("--json", data=b"\n".join(lines) + b"\n")
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr
    outs = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(outs) == len(lines)
    assert outs[0]["intent"] == "number" and outs[0]["slots"] == {"value": 7}
    assert [o["intent"] for o in outs[1:]] == [None] * 5


def test_cli_human_readable_and_bad_allowed() -> None:
    ok = _cli("goodbye")
    assert ok.returncode == 0 and ok.stdout.decode().startswith("goodbye (")
    bad = _cli("stop", "--allowed", "nonsense")
    assert bad.returncode != 0
    assert b"nonsense" in bad.stderr and b"Traceback" not in bad.stderr


def test_every_intent_the_code_names_is_in_the_templates() -> None:
    from voice_coach import names

    defined = set(Understanding.load().intent_names)
    assert set(names.REQUIRED) <= defined
    assert set(names.CONTROLS) <= defined


def test_a_template_set_without_a_named_intent_fails_with_its_name() -> None:
    from voice_coach import names

    with pytest.raises(names.MissingIntentError, match="back, stop"):
        names.check_names({"yes", "no"}, required=("yes", "stop", "back"))


def test_every_crisis_sentence_of_the_grammar_is_a_crisis_for_the_rules(u: Understanding) -> None:
    """The recognizers listen for these sentences everywhere; each must get the crisis answer."""
    missed = [s for s in u.sentences(["crisis"]) if not u.is_crisis(s)]
    assert missed == []
