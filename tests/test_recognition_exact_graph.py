"""A closed grammar too large to list, decoded by PocketSphinx with its exact template graph.

A combinatorial grammar (coffee orders: every size with every drink with every
milk...) lists only a `sample:` of its sentences. An LM of that sample let
through word sequences the templates never allow ("whole amount" for "whole
milk"), so an order came out with a wrong slot. With the compiled graph as the
grammar only template sentences come out, also those the sample left out, and
the rejection check still turns speech from elsewhere away.
"""

from __future__ import annotations

import pytest
from audio_fixtures import Render

from voice_coach.audio_io.convert import AudioConverter
from voice_coach.messages import Transcript
from voice_coach.recognition.pocketsphinx_engine import PocketSphinxRecognizer
from voice_coach.recognition.pocketsphinx_searches import JSGF_LIMIT
from voice_coach.recognition.wavfile import chunks
from voice_coach.resources import intents_dir
from voice_coach.understanding import Understanding
from voice_coach.understanding.intents import Intents
from voice_coach.understanding.template_graph import accepts

COFFEE = """
expansion_rules:
  order: "[(can I get|can I have|I'd like|give me)] [a]"
intents:
  order_drink:
    sample: 1000
    sentences:
      - "<order> {size} {roast} {drink} with {milk} and {sugar}"
      - "<order> {size} {drink} with {sugar} and {milk}"
      - "<order> {roast} {drink} with {milk}"
lists:
  size: {values: [small, medium, large, twelve ounce, sixteen ounce, twenty ounce]}
  roast: {values: [light roast, medium roast, dark roast]}
  drink: {values: [coffee, latte, mocha, americano, cappuccino, espresso, iced coffee]}
  milk: {values: [whole milk, skim milk, soy milk, almond milk, oat milk, some cream]}
  sugar: {values: [sugar, sweetener, honey, a bit of sugar, two sugars]}
"""
ORDER = "can I have a large dark roast latte with oat milk and honey"
SLOTS = {"size": "large", "roast": "dark roast", "drink": "latte", "milk": "oat milk",
         "sugar": "honey"}  # fmt: skip


@pytest.fixture(scope="module")
def coffee() -> Understanding:
    """The coffee orders, with the coach's crisis intent (the understanding layer insists)."""
    shipped = Intents.from_files(intents_dir("en"))
    safety = Intents({"crisis": shipped.intents["crisis"]}, shipped.lists, shipped.rules)
    return Understanding(Intents.merge([Intents.from_yaml(COFFEE), safety]))


@pytest.fixture(scope="module")
def ordering(coffee: Understanding) -> PocketSphinxRecognizer:
    """The default (expanded) recognizer listening for coffee orders, rejection check on."""
    recognizer = PocketSphinxRecognizer()
    recognizer.set_mode(
        "command", coffee.sentences(["order_drink"]), graph=coffee.graph(["order_drink"])
    )
    return recognizer


def _hear(recognizer: PocketSphinxRecognizer, render: Render, text: str) -> Transcript:
    for chunk in chunks(AudioConverter(16000, 1).convert(render(text)).samples):
        recognizer.accept(chunk)
    return recognizer.finish()


def test_the_grammar_is_too_large_to_list_and_the_order_is_not_in_its_sample(
    coffee: Understanding,
) -> None:
    listed = coffee.sentences(["order_drink"])
    assert len(listed) > JSGF_LIMIT  # decoded with the graph, not a word graph of the list
    assert ORDER.lower() not in listed  # so only the graph can give it back whole


def test_an_order_the_sample_left_out_is_heard_with_exactly_its_slots(
    coffee: Understanding, ordering: PocketSphinxRecognizer, render: Render
) -> None:
    final = _hear(ordering, render, ORDER)
    assert final.text == ORDER.lower()
    assert accepts(coffee.graph(["order_drink"]), final.text)
    assert final.confidence >= 0.6  # accepted by the rejection check
    match = coffee.recognize(final.text)
    assert (match.intent, match.slots) == ("order_drink", SLOTS)


@pytest.mark.parametrize("text", ["what's the weather like tomorrow", "play some music please"])
def test_speech_from_elsewhere_is_still_rejected(
    coffee: Understanding, ordering: PocketSphinxRecognizer, render: Render, text: str
) -> None:
    final = _hear(ordering, render, text)
    assert final.confidence < 0.5, final
    assert coffee.recognize(final.text).intent is None, final
