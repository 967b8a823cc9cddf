"""`voice-coach run` end to end through a real sound server: it hears, answers and shuts down."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from audio_fixtures import REPO, Render, transcribe
from coach_process import REPLY_WORDS, CoachProcess, Recorder

from voice_coach.audio_io.speaker import SoundDeviceSpeaker
from voice_coach.audio_io.wav import write_wav
from voice_coach.journal.store import Journal


@pytest.mark.audio
def test_run_hears_an_urge_and_answers_with_the_urge_exercise(
    named_home: Path, render: Render,
) -> None:
    coach = CoachProcess(named_home)
    try:
        coach.wait_for("Voice Coach is listening", timeout=120)
        phrase = render("I'm having an urge.")
        with Recorder() as recorder:
            time.sleep(0.3)
            SoundDeviceSpeaker().play([phrase])
            played = time.monotonic()
            coach.wait_for("listening (urge_help)", timeout=90)
        heard = transcribe(recorder.audio_after(played + 0.2))
        found = [word for word in REPLY_WORDS if word in heard.split()]
        assert len(found) >= 2, f"the reply did not sound like the urge exercise: {heard!r}"
        with Journal.open(named_home / "data" / "journal.sqlite3") as journal:
            sessions = journal.snapshot().sessions
        assert [s.exercise for s in sessions] == ["urge_help"]
        coach.proc.send_signal(signal.SIGTERM)
        assert coach.proc.wait(timeout=30) == 0
        with Journal.open(named_home / "data" / "journal.sqlite3") as journal:
            assert journal.snapshot().sessions[0].status == "stopped"
    finally:
        if coach.proc.poll() is None:
            coach.proc.kill()


@pytest.mark.audio
def test_run_with_the_evening_offer_due_still_hears_a_request(
    named_home: Path, render: Render,
) -> None:
    """Started when the evening reflection is due, the coach opens with its offer; a person
    who answers "I'm having an urge" gets the urge exercise, not silence."""
    config = named_home / "config.toml"
    # Due from midnight on: the offer opens the conversation at whatever hour this runs.
    config.write_text('name = "Sam"\nevening_reflection_time = "00:00"\n')
    coach = CoachProcess(named_home)
    try:
        coach.wait_for("listening (offer) for yes_no", timeout=120)
        time.sleep(0.3)
        SoundDeviceSpeaker().play([render("I'm having an urge.")])
        coach.wait_for("listening (urge_help)", timeout=90)
        with Journal.open(named_home / "data" / "journal.sqlite3") as journal:
            assert [s.exercise for s in journal.snapshot().sessions] == ["urge_help"]
    finally:
        coach.proc.kill()


def test_run_as_a_service_without_audio_exits_with_one_clear_sentence(
    named_home: Path, tmp_path: Path
) -> None:
    coach = CoachProcess(
        named_home,
        {"PULSE_SERVER": f"unix:{tmp_path}/no-server", "XDG_RUNTIME_DIR": str(tmp_path)},
    )
    assert coach.proc.wait(timeout=60) != 0
    assert coach.proc.stderr is not None
    time.sleep(0.2)
    message = "".join(coach.lines.queue)
    assert "voice-coach devices" in message
    assert "Traceback" not in message


def test_run_on_a_terminal_without_audio_offers_text_mode(
    named_home: Path, tmp_path: Path
) -> None:
    env = dict(
        os.environ, VOICE_COACH_HOME=str(named_home), PYTHONPATH=str(REPO),
        PULSE_SERVER=f"unix:{tmp_path}/no-server", XDG_RUNTIME_DIR=str(tmp_path),
    )
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "voice_coach", "run"],
        stdin=follower, stdout=follower, stderr=follower, env=env, cwd=REPO,
    )
    os.close(follower)
    output = b""

    def read_until(text: bytes, timeout: float = 60) -> None:
        nonlocal output
        deadline = time.monotonic() + timeout
        while text not in output and time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.5)
            if ready:
                try:
                    output += os.read(leader, 4096)
                except OSError:
                    break
        assert text in output, output.decode(errors="replace")

    try:
        read_until(b"text mode instead? [Y/n]")
        os.write(leader, b"y\n")
        read_until(b"you> ")
        os.write(leader, b"goodbye\n")
        read_until(b"Take care, Sam")
        assert proc.wait(timeout=30) == 0
        assert b"Traceback" not in output
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(leader)


@pytest.fixture
def user_sink() -> Iterator[str]:
    """A second null sink standing in for a perfectly echo-cancelled microphone.

    The coach records its monitor and plays to the default sink, so it hears the
    person (played into this sink) but never itself — what echo cancellation gives.
    """
    loaded = subprocess.run(
        ["pactl", "load-module", "module-null-sink", "sink_name=vuser", "rate=48000",
         "channels=1"],
        capture_output=True, text=True, check=True,
    )
    try:
        yield "vuser"
    finally:
        subprocess.run(["pactl", "unload-module", loaded.stdout.strip()], check=False)


def barge_in_coach(
    home: Path, render: Render, user_sink: str, tmp_path: Path, **phrases: str
) -> tuple[CoachProcess, Callable[[str], None]]:
    """A coach with barge-in on, hearing the virtual user's sink, and `say(name)` to play
    one of `phrases` (rendered once, up front) into it while the coach speaks."""
    config = home / "config.toml"
    config.write_text(config.read_text() + "barge_in = true\n")
    coach = CoachProcess(home, {"PULSE_SOURCE": f"{user_sink}.monitor"})
    recordings = {}
    for name, text in phrases.items():
        recordings[name] = tmp_path / f"{name}.wav"
        write_wav(recordings[name], [render(text)])

    def say(name: str) -> None:
        command = ["paplay", f"--device={user_sink}", str(recordings[name])]
        subprocess.run(command, check=True, timeout=30)

    return coach, say


@pytest.mark.audio
def test_barge_in_stop_interrupts_the_coach_mid_sentence(  # type: ignore[no-untyped-def]
    named_home: Path, render, user_sink: str, tmp_path: Path
) -> None:
    coach, say = barge_in_coach(
        named_home, render, user_sink, tmp_path, urge="I'm having an urge.", stop="Stop please."
    )
    try:
        coach.wait_for("Voice Coach is listening", timeout=120)
        say("urge")
        coach.wait_for("state urge_help", timeout=60)
        # The coach is now at the start of its long urge introduction (about ten seconds).
        say("stop")
        coach.wait_for("speech interrupted", timeout=30)
        coach.wait_for("state idle", timeout=30)
        with Journal.open(named_home / "data" / "journal.sqlite3") as journal:
            assert journal.snapshot().sessions[0].status == "stopped"
    finally:
        coach.proc.kill()


@pytest.mark.audio
def test_a_whole_urge_surfing_session_by_voice(
    named_home: Path, render: Render, tmp_path: Path,
) -> None:
    """Request, rating, trigger, method, a timed re-rating, what helped: all spoken."""
    config = named_home / "config.toml"
    # Short and brisk, so the session takes about a minute instead of ten.
    config.write_text(config.read_text() + "urge_surfing_minutes = 2\npace = 0.5\n")
    # What a person says whenever the coach listens for each kind of answer; a question
    # asked again (speech not caught the first time) gets the same kind of answer again.
    replies = {
        "number": ["Eight.", "Four.", "Four.", "Four."],
        # The trigger, the thoughts and feelings, then what helped (and spares for a re-ask).
        "free": [
            "My boss yelled at me.", "I feel tense and restless.", "Breathing slowly.",
            "Breathing slowly.", "Breathing slowly.",
        ],
        "choice": ["Urge surfing.", "Urge surfing."],
        "yes_no": ["No.", "No."],
    }
    coach = CoachProcess(named_home)
    speaker = SoundDeviceSpeaker()
    try:
        coach.wait_for("listening (idle) for command", timeout=120)
        time.sleep(0.5)
        speaker.play([render("I'm having an urge.")])
        deadline = time.monotonic() + 420
        while time.monotonic() < deadline:
            line = coach.lines.get(timeout=240)
            coach.seen.append(line)
            if "listening (idle)" in line:
                break
            if "listening (urge_help) for " in line:
                kind = line.rsplit(" for ", 1)[1].strip()
                if replies.get(kind):
                    time.sleep(0.5)  # a person takes a breath before answering
                    speaker.play([render(replies[kind].pop(0))])
        with Journal.open(named_home / "data" / "journal.sqlite3") as journal:
            (session,) = journal.snapshot().sessions
            (urge,) = journal.snapshot().urges
        assert session.exercise == "urge_help" and session.status == "completed"
        assert urge.intensity_before in (8, 4) and urge.intensity_after == 4
        assert urge.method == "surfing"
        assert urge.trigger and urge.what_helped  # dictated: the words may differ a little
    finally:
        coach.proc.kill()


@pytest.mark.audio
def test_barge_in_distress_interrupts_the_coach_with_the_safety_question(  # type: ignore[no-untyped-def]
    named_home: Path, render, user_sink: str, tmp_path: Path
) -> None:
    """Distress is in no barge-in grammar ("stop" and crisis phrases only): dictation hears it."""
    coach, say = barge_in_coach(
        named_home, render, user_sink, tmp_path,
        urge="I'm having an urge.", hopeless="I feel so hopeless.",
    )
    try:
        coach.wait_for("Voice Coach is listening", timeout=120)
        say("urge")
        coach.wait_for("state urge_help", timeout=60)
        say("hopeless")  # during the urge introduction
        coach.wait_for("speech interrupted", timeout=30)
        coach.wait_for("safety: distress answer given", timeout=30)
        coach.wait_for("listening (safety)", timeout=60)
        with Journal.open(named_home / "data" / "journal.sqlite3") as journal:
            sessions = journal.snapshot().sessions
        assert [s.exercise for s in sessions] == ["urge_help"]  # asked, not a crisis answer
    finally:
        coach.proc.kill()
