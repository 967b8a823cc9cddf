"""Audio fixtures: a real PulseAudio server with a null sink, and a loaded Piper voice.

Tests marked `@pytest.mark.audio` get the server automatically: if one already
answers (CI started it with .ci/pulse-start.sh) it is used as is; otherwise a
private one is started for the session and stopped at the end, so a plain
`pytest` works on a laptop too. The environment variables are exported in this
process, where sounddevice reads them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pytest
from bootstrap_only import program

from voice_coach.audio_io.convert import AudioConverter, concatenate
from voice_coach.messages import AudioChunk
from voice_coach.speech.piper_voice import PiperSynthesizer

REPO = Path(__file__).resolve().parent.parent
PULSE_START = REPO / ".ci" / "pulse-start.sh"
PULSE_STOP = REPO / ".ci" / "pulse-stop.sh"
_PULSE_VARS = ("XDG_RUNTIME_DIR", "PULSE_SERVER")


@dataclass(frozen=True)
class PulseServer:
    """A running server the tests may use."""

    runtime_dir: Path
    started_here: bool
    """False when an already running server was reused (then it is not stopped)."""


def pulse_answers(env: dict[str, str] | None = None) -> bool:
    if shutil.which("pactl") is None:
        return False
    result = subprocess.run(
        ["pactl", "info"], env=env, capture_output=True, text=True, timeout=10, check=False
    )
    return result.returncode == 0


def start_pulse(runtime_dir: Path) -> None:
    """Start a private server in `runtime_dir` (a test failure names the log if it cannot)."""
    program("pulseaudio", "pulseaudio pulseaudio-utils")
    result = subprocess.run(
        [str(PULSE_START), str(runtime_dir)], capture_output=True, text=True, timeout=30
    )
    if result.returncode != 0:
        pytest.fail(f"Could not start PulseAudio: {result.stderr.strip()}")


def stop_pulse(runtime_dir: Path) -> None:
    subprocess.run([str(PULSE_STOP), str(runtime_dir)], capture_output=True, timeout=30)


def point_at(runtime_dir: Path) -> None:
    """Send this process's audio clients (sounddevice) to the server in `runtime_dir`."""
    os.environ["XDG_RUNTIME_DIR"] = str(runtime_dir)
    os.environ["PULSE_SERVER"] = f"unix:{runtime_dir}/pulse/native"


@pytest.fixture(scope="session")
def pulse_server() -> Iterator[PulseServer]:
    saved = {name: os.environ.get(name) for name in _PULSE_VARS}
    if pulse_answers():
        server = PulseServer(Path(os.environ.get("XDG_RUNTIME_DIR", "")), started_here=False)
    else:
        runtime_dir = Path(tempfile.mkdtemp(prefix="voice-coach-pulse-"))
        start_pulse(runtime_dir)
        point_at(runtime_dir)
        server = PulseServer(runtime_dir, started_here=True)
    from voice_coach.audio_io import devices

    devices.rescan()  # PortAudio may have listed devices before the server existed
    try:
        yield server
    finally:
        if server.started_here:
            stop_pulse(server.runtime_dir)
            shutil.rmtree(server.runtime_dir, ignore_errors=True)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture(autouse=True)
def _audio_marker_needs_pulse(request: pytest.FixtureRequest) -> None:
    """Give every `@pytest.mark.audio` test the server without naming the fixture."""
    if request.node.get_closest_marker("audio") is not None:
        request.getfixturevalue("pulse_server")


@pytest.fixture(scope="session")
def synthesizer() -> PiperSynthesizer:
    """The bundled Piper voice, loaded once for the whole session."""
    voice = PiperSynthesizer.from_setting("")
    voice.load()
    return voice


class Render(Protocol):
    """The `render` fixture: `render(text, pace=1.0)` -> the phrase as one chunk."""

    def __call__(self, text: str, pace: float = 1.0) -> AudioChunk:
        ...


@pytest.fixture(scope="session")
def render(synthesizer: PiperSynthesizer) -> Render:
    """`render(text, pace=1.0)` -> the phrase as one chunk at the voice's rate (memoised).

    Rendered steady (no generator noise), so every run hears exactly the same audio.
    """
    rendered: dict[tuple[str, float], AudioChunk] = {}

    def call(text: str, pace: float = 1.0) -> AudioChunk:
        key = (text, pace)
        if key not in rendered:
            rendered[key] = concatenate(list(synthesizer.synthesize(text, pace, steady=True)))
        return rendered[key]

    return call


def transcribe(audio: AudioChunk | bytes) -> str:
    """What PocketSphinx's open-vocabulary model hears in 16 kHz mono audio (a test's ears)."""
    from pocketsphinx import Decoder

    samples = audio if isinstance(audio, bytes) else AudioConverter(16000).convert(audio).samples
    decoder = Decoder(samprate=16000)
    decoder.start_utt()
    decoder.process_raw(samples, full_utt=True)
    decoder.end_utt()
    hyp = decoder.hyp()
    return hyp.hypstr if hyp is not None else ""
