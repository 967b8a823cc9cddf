"""`voice-coach run` with its recognizer and voice on a Wyoming server (its own `serve`),
through a real sound server: it hears and speaks remotely, and when the server is killed
it says so once and carries on with its embedded engines."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest
from audio_fixtures import Render
from coach_process import REPLY_WORDS, CoachProcess, Recorder
from conftest import PINNED_SETTINGS
from wyoming_fixtures import start_serve

from voice_coach.audio_io.speaker import SoundDeviceSpeaker
from voice_coach.journal.store import Journal


@pytest.mark.audio
def test_run_on_a_remote_engine_and_voice_falls_back_when_it_dies(
    named_home: Path, tmp_path: Path, render: Render,
) -> None:
    server_home = tmp_path / "server-home"
    server_home.mkdir()
    server = start_serve(server_home)
    address = f"wyoming://127.0.0.1:{server.port}"
    config = named_home / "config.toml"
    # Rewritten whole, so the pinned clock setting goes back in: after 21:00 the evening
    # offer would open the conversation and talk over the request the test plays.
    config.write_text(f'name = "Sam"\nengine = "{address}"\nvoice = "{address}"\n'
                      + PINNED_SETTINGS)
    coach = CoachProcess(named_home)
    try:
        coach.wait_for("Voice Coach is listening (wyoming;", timeout=120)
        with Recorder() as recorder:
            time.sleep(0.3)
            SoundDeviceSpeaker().play([render("I'm having an urge.")])
            played = time.monotonic()
            coach.wait_for("listening (urge_help)", timeout=90)
        heard = transcribe_words(recorder.audio_after(played + 0.2))
        assert len([w for w in REPLY_WORDS if w in heard]) >= 2, heard
        # The coach's journal is its own: the server kept nothing of this conversation.
        assert not (server_home / "data" / "journal.sqlite3").exists() or not sessions_of(
            server_home)
        server.process.send_signal(signal.SIGKILL)
        server.process.wait()
        time.sleep(0.5)
        SoundDeviceSpeaker().play([render("eight out of ten")])
        coach.wait_for("can't reach the speech recognizer", timeout=60)
        coach.wait_for("listening (urge_help) for free", timeout=90)
        # Said once for each remote part (recognizer and voice), not at every utterance.
        notices = [line for line in coach.seen if "can't reach" in line]
        assert len(notices) == 2, notices
        assert sum("speech recognizer" in n for n in notices) == 1
        with Journal.open(named_home / "data" / "journal.sqlite3") as journal:
            answers = journal.snapshot().sessions[0].answers
        assert [(a.key, a.text) for a in answers] == [("intensity_before", "8")]
        coach.proc.send_signal(signal.SIGTERM)
        assert coach.proc.wait(timeout=30) == 0
    finally:
        if coach.proc.poll() is None:
            coach.proc.kill()
        server.stop()


def transcribe_words(audio: bytes) -> list[str]:
    from audio_fixtures import transcribe

    return transcribe(audio).split()


def sessions_of(home: Path) -> list[object]:
    with Journal.open(home / "data" / "journal.sqlite3") as journal:
        return list(journal.snapshot().sessions)
