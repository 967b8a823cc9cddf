"""Templates compiled into a word graph: exactly the template sentences, never listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from voice_coach.messages import WordGraph
from voice_coach.resources import intents_dir
from voice_coach.understanding.intents import Intents
from voice_coach.understanding.normalize import normalize
from voice_coach.understanding.template_graph import accepts, compile_graph, sentences_of

SMALL = """
intents:
  urge_help:
    sentences:
      - "(I'm|I am) having [an] <urge> [right now]"
      - "what('s| is) [a] {tool} [exercise]"
lists:
  tool:
    values: ["breathing", {in: "urge surfing", out: urge_surfing}]
expansion_rules:
  urge: "(urge|craving|bad craving)"
"""


def _expanded(intents: Intents, names: list[str] | None = None) -> set[str]:
    return {
        normalize(s.text) for s in intents.sentences if names is None or s.intent in names
    } - {""}


def test_a_graph_accepts_exactly_the_sentences_its_templates_expand_to() -> None:
    intents = Intents.from_yaml(SMALL)
    graph = compile_graph(intents)
    heard = sentences_of(graph)
    assert {normalize(s) for s in heard} == _expanded(intents)
    assert len(heard) == len(set(heard)), "a sentence reachable two ways is decoded twice"
    # Words are kept as spoken, so the recognizer listens for the contraction people say.
    assert "i'm having an urge right now" in heard and "what's urge surfing" in heard


def test_the_shipped_templates_compile_to_their_own_sentences_and_far_fewer_arcs() -> None:
    intents = Intents.from_files(intents_dir("en"))
    graph = compile_graph(intents)
    expanded = _expanded(intents)
    assert {normalize(s) for s in sentences_of(graph, 10**6)} == expanded
    assert len(graph.arcs) < len(expanded) / 3
    # No empty arcs (PocketSphinx does not follow them reliably), one arc per word out of
    # a state (each word sequence is decoded once), and the final state leads nowhere.
    assert all(word is not None for *_rest, word in graph.arcs)
    # (A word that may end the sentence or go on has a second arc, into the final state.)
    leaving = [(src, word) for src, dst, _p, word in graph.arcs if dst != graph.final]
    assert len(leaving) == len(set(leaving))
    assert not [a for a in graph.arcs if a[0] == graph.final]


def test_each_state_spreads_its_probability_over_its_arcs() -> None:
    graph = compile_graph(Intents.from_yaml(SMALL))
    totals: dict[int, float] = {}
    for src, _dst, prob, _word in graph.arcs:
        totals[src] = totals.get(src, 0.0) + prob
    assert all(abs(t - 1.0) < 1e-9 for t in totals.values())


def test_a_grammar_too_large_to_list_compiles_small() -> None:
    folder = Path(__file__).resolve().parents[1] / "benchmarks" / "picovoice" / "intents"
    graph = compile_graph(Intents.from_files(folder), ["order_drink"])
    assert len(graph.arcs) < 1000  # the templates multiply into hundreds of millions
    assert accepts(graph, "can i get a large latte with whole milk")
    assert accepts(graph, "get me a dark roast double shot mocha with some sugar and lots of milk")
    # What the sampled n-gram model let through: a slot value the templates do not have.
    assert not accepts(graph, "can i get a large latte with whole amount")
    assert not accepts(graph, "can i get a large latte with")


def test_extra_phrases_and_unknown_intents() -> None:
    graph = compile_graph(Intents.from_yaml(SMALL), ["no_such_intent"], extra=["Urge surfing!"])
    assert sentences_of(graph) == ["urge surfing"]


def test_a_rule_loop_is_reported_not_followed() -> None:
    looped = Intents.from_yaml(
        'intents: {x: {sentences: ["<a>"]}}\nexpansion_rules: {a: "<b>", b: "<a>"}'
    )
    with pytest.raises(Exception, match="loop"):
        compile_graph(looped)


def test_a_compiled_grammar_is_kept_on_disk_and_a_damaged_one_rebuilt(tmp_path: Path) -> None:
    from voice_coach.understanding.graph_cache import cached_graph

    intents = Intents.from_yaml(SMALL)
    built: list[int] = []

    def build() -> WordGraph:
        built.append(1)
        return compile_graph(intents, ["urge_help"])

    first = cached_graph(tmp_path, "key", ["urge_help"], (), build)
    again = cached_graph(tmp_path, "key", ["urge_help"], (), build)
    assert again == first and len(built) == 1
    (stored,) = (tmp_path / "grammars").glob("graph-*.json")
    assert stored.stat().st_mode & 0o777 == 0o600
    stored.write_text("{not json")
    assert cached_graph(tmp_path, "key", ["urge_help"], (), build) == first and len(built) == 2
    # Other templates (another hash) never read this graph.
    cached_graph(tmp_path, "other", ["urge_help"], (), build)
    assert len(built) == 3
