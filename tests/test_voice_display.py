"""A voice mode you can see: status line, conversation on screen, quiet ALSA, word-free logs."""

from __future__ import annotations

import io
import logging
import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from audio_fixtures import Render
from conftest import REPO

from voice_coach.audio_io.speaker import SoundDeviceSpeaker
from voice_coach.voice_display import LogDisplay, TerminalDisplay

SAID = "my cousin's wedding"


def _turn(display: TerminalDisplay | LogDisplay) -> None:
    display.loading("the voice")
    display.listening("command", 30, idle=True)
    display.hearing("my cous")
    display.thinking()
    display.heard(SAID)
    display.speaking("Okay, Sam. I'm here with you.")
    display.listening("number", 20, idle=False)
    display.timed_out(20)
    display.stopped()


def test_the_terminal_shows_each_state_what_was_heard_and_what_the_coach_says() -> None:
    out = io.StringIO()
    _turn(TerminalDisplay(out, show_transcripts=True, color=False))
    text = out.getvalue()
    for seen in ("Loading the voice", "● Listening — say", "◐ Hearing “my cous”", "… Thinking",
                 f"You:   {SAID}\n", "Coach: Okay, Sam. I'm here with you.\n", "♪ Speaking",
                 "a number from 0 to 10", "(No answer after 20 s.)\n"):
        assert seen in text, seen
    lines = [line.split("\r")[-1] for line in text.split("\n")]
    coach = lines.index("\x1b[KCoach: Okay, Sam. I'm here with you.")
    assert lines.index(f"\x1b[KYou:   {SAID}") < coach


def test_show_transcripts_off_keeps_the_persons_words_off_the_screen() -> None:
    out = io.StringIO()
    _turn(TerminalDisplay(out, show_transcripts=False, color=False))
    text = out.getvalue()
    assert "cous" not in text and "wedding" not in text
    assert "Coach: Okay, Sam." in text, "the coach's own words are still shown"
    assert "Hearing you" in text


def test_a_service_logs_states_without_words(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    _turn(LogDisplay())
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "state: speaking" in logged and "state: listening for number" in logged
    assert "no answer after 20 s" in logged
    assert "cous" not in logged and "Sam" not in logged and "wedding" not in logged


def test_alsa_messages_go_to_the_debug_log_not_the_screen() -> None:
    code = (
        "import ctypes, sys\n"
        "from voice_coach.audio_io import alsa_quiet\n"
        "if sys.argv[1] == 'quiet': alsa_quiet.quiet_alsa()\n"
        "asound = ctypes.CDLL('libasound.so.2')\n"
        "pcm = ctypes.c_void_p()\n"
        "asound.snd_pcm_open(ctypes.byref(pcm), b'no_such_device_here', 0, 0)\n"
        "print(alsa_quiet.messages_seen())\n"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO))
    loud = subprocess.run([sys.executable, "-c", code, "loud"], capture_output=True, text=True,
                          env=env, timeout=60)
    quiet = subprocess.run([sys.executable, "-c", code, "quiet"], capture_output=True, text=True,
                           env=env, timeout=60)
    assert "ALSA lib" in loud.stderr, "alsa-lib does complain about this device"
    assert "ALSA lib" not in quiet.stderr
    assert int(quiet.stdout) >= 1


@pytest.mark.audio
def test_voice_mode_on_a_terminal_shows_the_conversation(named_home: Path, render: Render) -> None:
    env = dict(os.environ, VOICE_COACH_HOME=str(named_home), PYTHONPATH=str(REPO),
               COLUMNS="200")
    leader, follower = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "voice_coach", "run"], stdin=follower,
                            stdout=follower, stderr=follower, env=env, cwd=REPO)
    os.close(follower)
    output = b""

    def read_until(text: bytes, timeout: float) -> None:
        nonlocal output
        deadline = time.monotonic() + timeout
        while text not in output and time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.5)
            if ready:
                try:
                    output += os.read(leader, 65536)
                except OSError:
                    break
        assert text in output, output.decode(errors="replace")[-3000:]

    try:
        read_until(b"Loading the voice", 60)
        read_until("● Listening — say".encode(), 120)
        assert b"Coach: Hello" in output or b"Coach: " in output, "the greeting is shown"
        SoundDeviceSpeaker().play([render("I'm having an urge.")])
        read_until(b"You:   ", 60)
        read_until(b"Coach: ", 60)
        heard = output.split(b"You:   ")[-1].split(b"\n")[0].decode(errors="replace")
        assert "urge" in heard, heard
        read_until(b"from zero to ten", 60)
        proc.send_signal(signal.SIGINT)
        read_until(b"Voice Coach stopped", 30)
        assert proc.wait(timeout=30) == 130
        assert b"Traceback" not in output and b"ALSA lib" not in output
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(leader)
