"""Per-state grammars built from the intent templates (the real understanding layer)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

import pytest

from voice_coach.messages import Listen, ListenFor, WordGraph
from voice_coach.recognition.grammar import Grammars, listen_with, normalise
from voice_coach.understanding import Understanding


@pytest.fixture(scope="module")
def grammars() -> Grammars:
    return Grammars(Understanding.load())


@pytest.fixture(scope="module")
def understanding() -> Understanding:
    return Understanding.load()


def test_a_rating_listens_for_numbers_control_words_and_crisis(
    grammars: Grammars, understanding: Understanding
) -> None:
    g = grammars.for_listen(ListenFor.NUMBER)
    assert g.mode == "command"
    assert {"seven", "ten", "zero", "stop"} <= set(g.phrases)
    assert set(understanding.sentences(["crisis"])) <= set(g.phrases)
    assert "breathing exercise" not in g.phrases
    assert "yes" not in g.phrases


def test_yes_no_listens_for_yes_no_and_control_but_not_numbers(grammars: Grammars) -> None:
    g = grammars.for_listen(ListenFor.YES_NO)
    assert {"yes", "no", "stop", "repeat"} <= set(g.phrases)
    assert "seven" not in g.phrases


def test_an_offer_listens_for_yes_no_and_every_request_and_crisis(
    grammars: Grammars, understanding: Understanding
) -> None:
    """ "Shall we do your evening reflection?" may be answered "I'm having an urge"."""
    g = grammars.for_listen(ListenFor.YES_NO, requests=True)
    assert {"yes", "no", "stop"} <= set(g.phrases)
    assert set(understanding.sentences(["urge_help", "breathing", "goodbye"])) <= set(g.phrases)
    assert set(understanding.sentences(["crisis"])) <= set(g.never_reject)
    plain = grammars.for_listen(ListenFor.YES_NO)
    assert not set(understanding.sentences(["urge_help"])) & set(plain.phrases)


def test_a_choice_listens_for_its_options(grammars: Grammars) -> None:
    g = grammars.for_listen(ListenFor.CHOICE, ("Urge surfing!", "The breathing one"))
    assert {"urge surfing", "the breathing one", "stop"} <= set(g.phrases)
    assert "seven" not in g.phrases


def test_the_top_level_covers_every_intent_and_crisis_is_never_rejected(
    grammars: Grammars, understanding: Understanding
) -> None:
    g = grammars.for_listen(ListenFor.COMMAND)
    phrases = set(g.phrases)
    for intent in ("urge_help", "breathing", "stop", "greeting", "number"):
        assert phrases & set(understanding.sentences([intent])), intent
    assert g.never_reject and set(g.never_reject) <= phrases
    assert set(g.never_reject) == set(understanding.sentences(["crisis"]))


def test_a_crisis_sentence_is_never_rejected_in_either_spelling_the_recognizer_gives(
    grammars: Grammars,
) -> None:
    """A graph decodes the templates' "i don't ...", a listed grammar the matcher's "i do
    not ...": the rejection check keeps both, however the open decode heard them."""
    from voice_coach.recognition.rejection import judge

    g = grammars.for_listen(ListenFor.NUMBER)
    said, listed = "i don't want to be alive", "i do not want to be alive"
    assert {said, listed} <= set(g.crisis_spellings)
    assert set(g.never_reject) <= set(g.crisis_spellings)
    for text in (said, listed):
        # the grammar heard a whole crisis sentence, the open decode something else
        assert not judge(text, "yes please", {text}).accepted  # without the list: rejected
        verdict = judge(text, "yes please", {text}, 1.0, g.crisis_spellings)
        assert verdict.accepted and verdict.text == text


def test_free_answers_use_dictation(grammars: Grammars) -> None:
    assert grammars.for_listen(ListenFor.FREE).mode == "dictation"


def test_grammars_are_built_once_per_state(grammars: Grammars) -> None:
    assert grammars.for_listen(ListenFor.NUMBER) is grammars.for_listen(ListenFor.NUMBER)


class Source:
    """A tiny inline sentence source, to check the selection logic exactly."""

    DATA: ClassVar[dict[str, list[str]]] = {
        "yes": ["yes"],
        "no": ["no"],
        "stop": ["stop"],
        "crisis": ["i want to die"],
        "number": ["seven"],
        "breathing": ["breathing"],
    }

    def sentences(self, intents: Iterable[str] | None = None) -> list[str]:
        names = self.DATA if intents is None else intents
        return [s for n in names for s in self.DATA.get(n, [])]

    def graph(self, intents: Iterable[str] | None = None, extra: Sequence[str] = ()) -> WordGraph:
        """The compiled graph of these one-word sentences: one arc each."""
        words = [*self.sentences(intents), *extra]
        return WordGraph(0, 1, tuple((0, 1, 1 / len(words), w) for w in words))


def test_listen_with_switches_the_recognizer_to_the_state_grammar() -> None:
    calls: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = []
    graphs: list[object] = []

    class Recorder:
        name = "recorder"

        def set_mode(self, mode, phrases=(), never_reject=(), graph=None):  # type: ignore[no-untyped-def]
            calls.append((mode, tuple(phrases), tuple(never_reject)))
            graphs.append(graph)

    listen_with(Recorder(), Grammars(Source()), Listen(ListenFor.YES_NO, timeout=10))  # type: ignore[arg-type]
    assert calls == [("command", ("i want to die", "no", "stop", "yes"), ("i want to die",))]
    listen_with(Recorder(), Grammars(Source()), Listen(ListenFor.COMMAND, timeout=10))  # type: ignore[arg-type]
    assert calls[-1][1] == ("breathing", "i want to die", "no", "seven", "stop", "yes")
    # The compiled form of the same grammar goes along, for engines that decode a graph:
    # exact for a closed answer, loose (an n-gram model of it) for the top level's requests.
    yes_no, top = graphs
    assert isinstance(yes_no, WordGraph) and yes_no.exact
    assert yes_no.words == {"yes", "no", "stop", "i want to die"}
    assert isinstance(top, WordGraph) and not top.exact
    assert top.words == {"yes", "no", "stop", "i want to die", "seven", "breathing"}


def test_normalise_keeps_words_and_apostrophes_only() -> None:
    assert normalise("  I'm OK, thanks!  ") == "i'm ok thanks"
