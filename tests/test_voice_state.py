"""The person's voice state survives a restart: saved after accepted speech, restored at start.

Real PocketSphinx on the product's Piper voice; the saved file is private and
a damaged or unwritable one never stops the coach from listening.
"""

from __future__ import annotations

import json
import logging
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Cli

from voice_coach.audio_io.convert import AudioConverter
from voice_coach.messages import AudioChunk, ListenFor
from voice_coach.paths import resolve_paths
from voice_coach.recognition.grammar import Grammars
from voice_coach.recognition.pocketsphinx_engine import PocketSphinxRecognizer
from voice_coach.recognition.select import create_recognizer
from voice_coach.recognition.voice_state import FILE_NAME, VoiceState
from voice_coach.recognition.wavfile import chunks
from voice_coach.settings import Settings
from voice_coach.understanding import Understanding

KEY = "pocketsphinx:en-us"


@pytest.fixture(scope="module")
def urge(render: Callable[[str], AudioChunk]) -> bytes:
    return AudioConverter(16000).convert(render("I'm having an urge")).samples


def say(rec: PocketSphinxRecognizer, pcm: bytes) -> str:
    grammar = Grammars(Understanding.load()).for_listen(ListenFor.COMMAND)
    rec.set_mode(grammar.mode, grammar.phrases, grammar.never_reject)
    for c in chunks(pcm):
        rec.accept(c)
    return rec.finish().text


def test_the_voice_is_saved_privately_and_restored_at_the_next_start(
    tmp_path: Path, urge: bytes
) -> None:
    path = tmp_path / "data" / FILE_NAME
    first = PocketSphinxRecognizer(voice_state=VoiceState(path))
    generic = first.get_cmn()
    assert "urge" in say(first, urge)
    learnt = first.get_cmn()
    assert learnt != generic
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert json.loads(path.read_text())[KEY] == learnt
    second = PocketSphinxRecognizer(voice_state=VoiceState(path))
    assert second.get_cmn() == learnt
    fresh = PocketSphinxRecognizer()
    assert fresh.get_cmn() == generic


def test_the_coach_uses_the_data_folder_for_the_voice_state(tmp_path: Path, urge: bytes) -> None:
    paths = resolve_paths(tmp_path / "data")
    rec = create_recognizer(Settings(engine="pocketsphinx", front_end="none"), paths)
    assert isinstance(rec, PocketSphinxRecognizer)
    say(rec, urge)
    assert (paths.data_dir / FILE_NAME).is_file()


@pytest.mark.parametrize("content", ["not json", '{"pocketsphinx:en-us": "1,2,x"}', "[1, 2]"])
def test_a_damaged_voice_state_is_ignored_and_replaced(
    tmp_path: Path, urge: bytes, content: str
) -> None:
    path = tmp_path / FILE_NAME
    path.write_text(content)
    rec = PocketSphinxRecognizer(voice_state=VoiceState(path))
    assert rec.get_cmn() == PocketSphinxRecognizer().get_cmn()
    assert "urge" in say(rec, urge)
    assert json.loads(path.read_text())[KEY] == rec.get_cmn()


def test_an_unwritable_folder_costs_one_warning_not_the_conversation(
    tmp_path: Path, urge: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    rec = PocketSphinxRecognizer(voice_state=VoiceState(blocker / "sub" / FILE_NAME))
    with caplog.at_level(logging.WARNING):
        assert "urge" in say(rec, urge)
        assert "urge" in say(rec, urge)
    warnings = [r for r in caplog.records if "voice state" in r.getMessage()]
    assert len(warnings) == 1


def test_forget_deletes_the_voice_state(cli: Cli) -> None:
    paths = resolve_paths()
    state = VoiceState(paths.data_dir / FILE_NAME)
    state.save(KEY, ",".join(["1.0"] * 13))
    assert (paths.data_dir / FILE_NAME).is_file()
    result = cli("forget", "--yes")
    assert result.returncode == 0, result.stderr
    assert not (paths.data_dir / FILE_NAME).exists()
    assert "voice state" in result.stdout
