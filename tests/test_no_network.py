"""No byte leaves the device: every socket the coach opens is the sound server's Unix socket.

Each command runs under `strace -f -e trace=socket,connect` (strace comes with
`./bootstrap test`). A socket of any family but AF_UNIX (a DNS lookup, TLS to a
telemetry host, a netlink query) fails the test, and so does a Unix socket to
anything but the sound server (PulseAudio's socket, or the JACK probe PortAudio
makes). `voice-coach run` is kept up for 14 s after it starts listening: ONNX
Runtime's telemetry, when it is on, looks its host up about 9 s after the
voice loads. The test also checks that nothing appears under the home folder
(ONNX Runtime's device id and event store used to land in ~/.cache/Microsoft).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from audio_fixtures import REPO
from bootstrap_only import program

from voice_coach.audio_io.wav import write_wav

pytestmark = pytest.mark.audio

LISTEN_AFTER_READY = 14.0
"""Seconds `run` keeps going once it listens (telemetry used to start after ~9 s)."""

_SOCKET = re.compile(r"socket\((AF_[A-Z0-9]+)")
_UNIX_CONNECT = re.compile(r'connect\(\d+, \{sa_family=AF_UNIX, sun_path=(?:@)?"([^"]*)"')


def _strace() -> str:
    return program("strace", "strace")


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("ORT_DISABLE_TELEMETRY", None)  # the coach must switch it off by itself
    env.update(HOME=str(home / "home"), VOICE_COACH_HOME=str(home / "coach"))
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    (home / "home").mkdir(exist_ok=True)
    (home / "coach").mkdir(exist_ok=True)
    # Pinned: the evening offer must not open the conversation after 21:00.
    (home / "coach" / "config.toml").write_text('evening_reflection_time = "off"\n')
    return env


def _command(trace: Path, *args: str) -> list[str]:
    return [_strace(), "-f", "-qq", "-e", "trace=execve,socket,connect", "-o", str(trace),
            sys.executable, "-m", "voice_coach", *args]


def forbidden_sockets(trace: Path, sound_dir: Path) -> list[str]:
    """Lines of an strace log that open anything but a sound-server socket."""
    allowed = (str(sound_dir), "/dev/shm/jack")
    bad: list[str] = []
    for line in trace.read_text(errors="replace").splitlines():
        family = _SOCKET.search(line)
        if family and family[1] != "AF_UNIX":
            bad.append(line.strip())
        unix = _UNIX_CONNECT.search(line)
        if unix and not unix[1].startswith(allowed):
            bad.append(line.strip())
    return bad


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(x) for x in task.read_text().split()]
    return found


def _home_files(home: Path) -> list[str]:
    """Files under the fake home folder, except PulseAudio's own client cookie."""
    root = home / "home"
    return sorted(
        str(p.relative_to(root)) for p in root.rglob("*")
        if p.is_file() and p.relative_to(root).parts[:2] != (".config", "pulse")
    )


def _check(trace: Path, tmp_path: Path, sound_dir: Path) -> None:
    assert "execve(" in trace.read_text(), "strace recorded nothing: the check itself is broken"
    bad = forbidden_sockets(trace, sound_dir)
    assert not bad, "the coach opened a network socket:\n" + "\n".join(bad[:20])
    assert _home_files(tmp_path) == [], "files written outside the coach's folders"


def test_the_trace_check_catches_a_real_network_socket(tmp_path: Path) -> None:
    """The checker is not blind: a DNS lookup in a traced Python is reported."""
    trace = tmp_path / "trace.txt"
    code = "import socket\ntry: socket.getaddrinfo('example.invalid', 443)\nexcept OSError: pass"
    subprocess.run([_strace(), "-f", "-qq", "-e", "trace=execve,socket,connect", "-o", str(trace),
                    sys.executable, "-c", code], check=True, timeout=60)
    assert forbidden_sockets(trace, tmp_path)


def test_say_chat_and_recognize_open_no_network_socket(
    tmp_path: Path, pulse_server: object
) -> None:
    env = _env(tmp_path)
    sound_dir = Path(os.environ["XDG_RUNTIME_DIR"])
    wav = tmp_path / "hello.wav"
    for number, args in enumerate((
        ("say", "Hello. Everything you say stays on this device.", "--out", str(wav)),
        ("say", "I'm here with you."),
        ("recognize", str(wav)),
    )):
        trace = tmp_path / f"trace-{number}.txt"
        result = subprocess.run(_command(trace, *args), env=env, cwd=REPO, timeout=180,
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        _check(trace, tmp_path, sound_dir)
    trace = tmp_path / "trace-chat.txt"
    answers = "Sam\nI'm having an urge\n7\nthe party\nstop\ngoodbye\n"
    result = subprocess.run(_command(trace, "chat", "--fast"), input=answers, env=env, cwd=REPO,
                            timeout=180, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()
    _check(trace, tmp_path, sound_dir)


def test_voice_mode_opens_no_network_socket(tmp_path: Path, pulse_server: object) -> None:
    """`voice-coach run` on the null sink: it greets, listens, hears speech, and stays offline."""
    env = _env(tmp_path)
    sound_dir = Path(os.environ["XDG_RUNTIME_DIR"])
    trace = tmp_path / "trace-run.txt"
    log = tmp_path / "run.log"
    with log.open("w") as err:
        proc = subprocess.Popen(_command(trace, "-v", "run", "--service"), env=env, cwd=REPO,
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        try:
            deadline = time.monotonic() + 120
            while "listening" not in log.read_text() and time.monotonic() < deadline:
                assert proc.poll() is None, log.read_text()
                time.sleep(0.5)
            assert "listening" in log.read_text(), log.read_text()
            from voice_coach.speech.piper_voice import PiperSynthesizer

            voice = PiperSynthesizer.from_setting("")
            speech = tmp_path / "urge.wav"
            write_wav(speech, list(voice.synthesize("I'm having an urge", steady=True)))
            subprocess.run(["paplay", str(speech)], env=env, timeout=30, check=False)
            time.sleep(LISTEN_AFTER_READY)
            assert proc.poll() is None, log.read_text()
        finally:
            for child in _children(proc.pid):  # the coach, not strace, gets Ctrl-C
                os.kill(child, signal.SIGINT)
            proc.wait(timeout=60)
    _check(trace, tmp_path, sound_dir)
