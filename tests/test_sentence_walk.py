"""Walking a compiled template graph word by word: a whole sentence yet, and can it go on?

What the early endpoint asks of every partial hypothesis, answered on a small graph
built from templates and checked against the sentences listed by brute force.
"""

from __future__ import annotations

from voice_coach.messages import WordGraph
from voice_coach.recognition.sentence_walk import NOWHERE, Reach, SentenceWalk
from voice_coach.understanding.intents import Intents
from voice_coach.understanding.template_graph import compile_graph, sentences_of

TEMPLATES = """
intents:
  urge_help:
    sentences:
      - "(I'm|I am) having [a|an] <urge> [right now]"
      - "I have an <urge> to (drink|smoke)"
  reasons:
    sentences:
      - "remind me of my reasons"
  stop:
    sentences:
      - "stop"
expansion_rules:
  urge: "(urge|craving)"
"""


def _walk() -> tuple[SentenceWalk, list[str]]:
    graph = compile_graph(Intents.from_yaml(TEMPLATES))
    return SentenceWalk(graph), sentences_of(graph)


def test_a_sentence_that_can_go_on_is_complete_and_extendable() -> None:
    walk, _ = _walk()
    assert walk.reach(["i'm", "having", "an", "urge"]) == Reach(complete=True, extendable=True)
    assert walk.reach(["i", "am", "having", "a", "craving", "right", "now"]) == Reach(True, False)
    assert walk.reach(["remind", "me", "of", "my", "reasons"]) == Reach(True, False)
    assert walk.reach(["stop"]) == Reach(True, False)


def test_a_beginning_is_extendable_but_not_complete_and_a_stranger_goes_nowhere() -> None:
    walk, _ = _walk()
    # "i have an urge" alone is not a template sentence: it must go on ("to drink")
    assert walk.reach(["i", "have", "an", "urge"]) == Reach(complete=False, extendable=True)
    assert walk.reach(["remind", "me"]) == Reach(False, True)
    assert walk.reach(["remind", "you", "of", "my", "reasons"]) == NOWHERE
    assert walk.reach(["stop", "now"]) == NOWHERE


def test_the_walk_agrees_with_every_sentence_listed_and_every_prefix_of_them() -> None:
    walk, sentences = _walk()
    listed = set(sentences)
    assert len(listed) > 20
    for sentence in listed:
        words = sentence.split()
        longer = any(other.startswith(sentence + " ") for other in listed)
        assert walk.reach(words) == Reach(complete=True, extendable=longer), sentence
        for n in range(1, len(words)):
            beginning = " ".join(words[:n])
            assert walk.reach(words[:n]) == Reach(beginning in listed, True), beginning


def test_empty_arcs_are_followed_on_the_way() -> None:
    # a? b (c d)? : "b", "a b", "b c d", "a b c d"; state 3 reaches the final state by an empty arc
    arcs = ((0, 2, 0.5, "a"), (0, 2, 0.5, None), (2, 3, 1.0, "b"),
            (3, 1, 0.5, None), (3, 4, 0.5, "c"), (4, 1, 1.0, "d"))
    walk = SentenceWalk(WordGraph(0, 1, arcs))
    assert walk.reach(["b"]) == Reach(True, True)
    assert walk.reach(["a", "b", "c"]) == Reach(False, True)
    assert walk.reach(["b", "c", "d"]) == Reach(True, False)
    assert walk.reach([]) == Reach(False, True)
