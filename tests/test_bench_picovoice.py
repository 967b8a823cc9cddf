"""The Picovoice benchmark harness: its grammar loads through our loader, it scores and mixes
noise the benchmark's way, and a small run decodes real human speech with PocketSphinx."""

from __future__ import annotations

import math

import numpy as np
import pytest

from benchmarks.picovoice.data import load_utterances
from benchmarks.picovoice.noise import max_frame_energy, mix, noise_segment
from benchmarks.picovoice.run import PUBLISHED, load_understanding, run_picovoice
from benchmarks.picovoice.score import is_correct, to_benchmark
from voice_coach.understanding import Understanding
from voice_coach.understanding.intents import Intents
from voice_coach.understanding.templates import sample


@pytest.fixture(scope="module")
def coffee() -> Understanding:
    return load_understanding()


def test_coffee_grammar_expands_through_our_loader(coffee: Understanding) -> None:
    from benchmarks.picovoice.run import INTENTS_DIR

    intents = Intents.from_files(INTENTS_DIR)
    assert len(intents.intents["order_drink"].templates) == 80
    sentences = coffee.sentences(["order_drink"])
    assert 10_000 < len(sentences) < 40_000
    text = " \n ".join(sentences)
    for values in intents.lists.values():
        for value in values:
            assert f" {value.words} " in f" {text} ", value.words


def test_an_order_is_understood_with_every_slot(coffee: Understanding) -> None:
    match = coffee.recognize(
        "can I get a large dark roast double shot latte with some milk and a bit of sugar"
    )
    assert to_benchmark(match.intent, match.slots) == (
        "orderDrink",
        {
            "size": "large",
            "roast": "dark roast",
            "numberOfShots": "double shot",
            "coffeeDrink": "latte",
            "milkAmount": "some milk",
            "sugarAmount": "a bit of sugar",
        },
    )


def test_longest_slot_phrase_wins_and_words_are_used_once(coffee: Understanding) -> None:
    match = coffee.recognize("I'd like a medium roast medium iced coffee")
    assert match.slots == {"roast": "medium roast", "size": "medium", "coffee_drink": "iced coffee"}
    match = coffee.recognize("a medium roast coffee")
    assert match.slots["roast"] == "medium roast"
    assert match.slots.get("size") != "medium"


def test_sample_covers_every_value_and_is_repeatable() -> None:
    intents = Intents.from_yaml(
        """
intents:
  order:
    sample: 50
    sentences: ["[a] {size} {drink} with {milk}", "just {drink}"]
lists:
  size: {values: [small, large]}
  drink: {values: [tea, coffee, latte, mocha]}
  milk: {values: [milk, soy milk, oat milk, cream, almond milk, skim milk]}
"""
    )
    first = [s.text for s in intents.sentences]
    again = [s.text for s in Intents.from_yaml(intents_yaml_again()).sentences]
    assert first == again
    assert {"just tea", "just coffee", "just latte", "just mocha"} <= set(first)
    big = [s for s in intents.sentences if "with" in s.text]
    assert len(big) <= 50
    assert {s.slots["milk"] for s in big} == {
        "milk", "soy milk", "oat milk", "cream", "almond milk", "skim milk"
    }  # fmt: skip
    assert len(sample("(a|b) (c|d)", 100)) == 4


def intents_yaml_again() -> str:
    return """
intents:
  order:
    sample: 50
    sentences: ["[a] {size} {drink} with {milk}", "just {drink}"]
lists:
  size: {values: [small, large]}
  drink: {values: [tea, coffee, latte, mocha]}
  milk: {values: [milk, soy milk, oat milk, cream, almond milk, skim milk]}
"""


@pytest.mark.parametrize(
    ("intent", "slots", "expected"),
    [
        ("orderDrink", {"coffeeDrink": "latte", "size": "large"}, True),
        ("orderDrink", {"coffeeDrink": "latte", "size": "medium"}, False),  # slot mismatch
        ("orderDrink", {"coffeeDrink": "latte", "size": "large", "roast": "dark roast"}, True),
        ("orderDrink", {"coffeeDrink": "latte"}, False),  # missing slot
        (None, {}, False),  # not understood
        ("somethingElse", {"coffeeDrink": "latte", "size": "large"}, False),
    ],
)
def test_scoring_rule(intent: str | None, slots: dict[str, str], expected: bool) -> None:
    assert is_correct("orderDrink", {"coffeeDrink": "latte", "size": " large"}, intent, slots) is (
        expected
    )


@pytest.mark.parametrize("snr", [6.0, 15.0, 24.0])
def test_noise_is_mixed_at_the_snr_of_the_loudest_frames(snr: float) -> None:
    rng = np.random.default_rng(1)
    t = np.arange(16000 * 3) / 16000
    speech = np.sin(2 * np.pi * 220 * t) * (0.05 + 0.3 * (t > 1.0) * (t < 1.5))
    noise = noise_segment(rng.normal(0, 0.1, 16000 * 10), len(speech), rng)
    mixed = mix(speech, noise, snr)
    assert np.max(np.abs(mixed)) == pytest.approx(0.5)
    # The mix is k·(speech + scale·noise): recover both parts and measure the SNR.
    (a, b), *_ = np.linalg.lstsq(np.stack([speech, noise], axis=1), mixed, rcond=None)
    measured = 10 * math.log10(max_frame_energy(a * speech) / max_frame_energy(b * noise))
    assert measured == pytest.approx(snr, abs=1e-6)


def test_labels_skip_files_without_audio_and_strip_values() -> None:
    utterances = load_utterances()
    assert len(utterances) == 619
    assert all(v == v.strip() for u in utterances for v in u.slots.values())
    assert {u.intent for u in utterances} == {"orderDrink"}


def test_a_small_run_decodes_real_speech() -> None:
    result = run_picovoice(limit=3, snrs=(None,))
    (clean,) = result["conditions"]
    assert clean["label"] == "clean"
    assert clean["total"] == 3
    assert clean["correct"] >= 2  # these three clean orders are easy for the coach's pipeline
    assert clean["rtf"] > 0
    assert result["published"] == PUBLISHED
    assert all(len(v) == len(PUBLISHED["snrs"]) for v in PUBLISHED["engines"].values())
