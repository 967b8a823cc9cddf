"""Real audio through PortAudio and a PulseAudio null sink: the microphone hears the coach.

vspeaker (the default sink) is looped back to vmic (the default source), so
speech played by the app's speaker is captured by the app's microphone.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from audio_fixtures import REPO, point_at, start_pulse, stop_pulse, transcribe

from voice_coach.audio_io import devices
from voice_coach.audio_io.convert import AudioConverter, to_float, to_mono
from voice_coach.audio_io.gate import HalfDuplexGate
from voice_coach.audio_io.microphone import SoundDeviceMicrophone
from voice_coach.audio_io.speaker import SoundDeviceSpeaker
from voice_coach.audio_io.vad import (
    Endpointer,
    EndpointerConfig,
    NoSpeech,
    SpeechStarted,
    UtteranceComplete,
    VadEvent,
)
from voice_coach.errors import AudioDeviceError
from voice_coach.messages import Speak
from voice_coach.speech.output import SpeechOutput
from voice_coach.speech.piper_voice import PiperSynthesizer

pytestmark = pytest.mark.audio


def listen_while(
    mic: SoundDeviceMicrophone,
    action: threading.Thread,
    endpointer: Endpointer,
    gate: HalfDuplexGate | None = None,
) -> list[VadEvent]:
    """Run `action` while feeding the microphone to the endpointer until it decides."""
    events: list[VadEvent] = []
    chunks = mic.chunks() if gate is None else gate.filter(mic.chunks())
    action.start()
    for chunk in chunks:
        events.extend(endpointer.process(chunk))
        if endpointer.done:
            break
    action.join()
    return events


def envelope(samples: np.ndarray, frame: int = 480, hop: int = 80) -> np.ndarray:
    """Root-mean-square loudness of 30 ms windows every 5 ms."""
    power = np.square(samples, dtype=np.float64)
    sums = np.concatenate(([0.0], np.cumsum(power)))
    starts = np.arange(0, len(samples) - frame + 1, hop)
    return np.sqrt((sums[starts + frame] - sums[starts]) / frame)


def test_devices_list_the_sound_server_with_defaults() -> None:
    found = devices.list_devices()
    names = {d.name for d in found}
    assert {"pulse", "default"} <= names
    assert devices.find_device("", "input").is_default_input
    assert devices.find_device("", "output").is_default_output
    assert devices.find_device("PULSE", "output").name == "pulse"


def test_what_the_coach_says_is_heard_and_understood(synthesizer: PiperSynthesizer) -> None:
    phrase = "I would like to call my sponsor."
    output = SpeechOutput(synthesizer, SoundDeviceSpeaker())
    with SoundDeviceMicrophone() as mic:
        speak = threading.Thread(target=output.say, args=(Speak(phrase, cacheable=False),))
        events = listen_while(mic, speak, Endpointer(EndpointerConfig(no_speech_timeout=10)))
    assert [type(e) for e in events] == [SpeechStarted, UtteranceComplete]
    done = events[-1]
    assert isinstance(done, UtteranceComplete)
    assert (done.audio.rate, done.audio.channels) == (16000, 1)
    # Piper varies each rendering slightly, so check the words that matter.
    assert {"call", "my", "sponsor"} <= set(transcribe(done.audio).split())


def test_captured_speech_follows_the_played_speech(synthesizer: PiperSynthesizer) -> None:
    """The loudness contour survives speaker -> sound server -> microphone -> 16 kHz."""
    chunks = list(synthesizer.synthesize("Notice the urge, and let it pass like a wave."))
    played = np.concatenate([to_mono(to_float(AudioConverter(16000).convert(c))) for c in chunks])
    with SoundDeviceMicrophone() as mic:
        play = threading.Thread(target=SoundDeviceSpeaker().play, args=(chunks,))
        events = listen_while(mic, play, Endpointer(EndpointerConfig(no_speech_timeout=10)))
    done = events[-1]
    assert isinstance(done, UtteranceComplete)
    heard = to_mono(to_float(done.audio))
    reference, captured = envelope(played), envelope(heard)
    # Unrelated speech scores about 0.3. On a busy machine a playback underrun inserts a
    # short gap, which shifts everything after it: so each half second of the played
    # contour is aligned on its own (in order, never going back) and the pieces compared.
    scores = piece_correlations(reference, captured, piece=100)
    assert len(scores) >= 4
    assert float(np.median(scores)) > 0.9, scores


def piece_correlations(reference: np.ndarray, captured: np.ndarray, piece: int) -> list[float]:
    """The correlation of each `piece`-long part of `reference` with `captured`, once the
    whole contour is aligned (the first part within 0.2 s of that); each next part may start
    up to 0.2 s later than the one before it ended (a playback gap only delays what
    follows, it never brings it forward)."""

    def corr(lag: int, part: np.ndarray) -> float:
        window = captured[lag : lag + len(part)]
        if len(window) < len(part) or window.std() == 0:
            return -1.0
        return float(np.corrcoef(window, part)[0, 1])

    lags = range(max(1, len(captured) - len(reference) + 1))
    expected = max(lags, key=lambda lag: float(np.dot(captured[lag : lag + len(reference)],
                                                       reference[: len(captured) - lag])))
    scores: list[float] = []
    earliest = max(0, expected - 40)  # the whole contour's lag is a compromise across a gap
    for at in range(0, len(reference) - piece + 1, piece):
        part = reference[at : at + piece]
        best = max(range(earliest, expected + 41), key=lambda lag: corr(lag, part))
        scores.append(corr(best, part))
        earliest = expected = best + piece
    return scores


def test_while_the_coach_speaks_the_microphone_is_not_heard(
    synthesizer: PiperSynthesizer,
) -> None:
    gate = HalfDuplexGate(tail=0.3)
    output = SpeechOutput(synthesizer, SoundDeviceSpeaker())

    def speak() -> None:
        with gate.speaking():
            output.say(Speak("Take a slow breath in, and let it out.", cacheable=False))

    with SoundDeviceMicrophone() as mic:
        endpointer = Endpointer(EndpointerConfig(no_speech_timeout=1.5))
        events = listen_while(mic, threading.Thread(target=speak), endpointer, gate)
    assert [type(e) for e in events] == [NoSpeech]
    assert gate.dropped > 30, "the coach's own voice reached the microphone and was dropped"


def test_a_device_name_that_does_not_exist_is_a_clear_error() -> None:
    with pytest.raises(AudioDeviceError) as caught, SoundDeviceMicrophone("Blue Yeti USB"):
        pass
    assert str(caught.value) == (
        "No microphone matches 'Blue Yeti USB'; run `voice-coach devices` to list devices."
    )
    with pytest.raises(AudioDeviceError, match="No speaker matches 'hdmi'"):
        SoundDeviceSpeaker("hdmi").play([])


def test_a_block_captured_the_moment_the_stream_starts_is_heard(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """PortAudio may call the capture callback as soon as the stream starts, from its own
    thread: that first block already knows its format (it once divided by a rate not yet
    set, and the microphone stopped with "the stream stopped")."""
    import sounddevice as sd

    class CallsBackAtOnce(sd.RawInputStream):  # type: ignore[misc]
        def __init__(self, *args: object, callback: Any, **kwargs: Any) -> None:
            self.first_block = (callback, int(kwargs["blocksize"]), int(kwargs["channels"]))
            super().__init__(*args, callback=callback, **kwargs)

        def start(self) -> None:
            callback, frames, channels = self.first_block
            callback(bytes(2 * frames * channels), frames, None, sd.CallbackFlags())
            super().start()

    monkeypatch.setattr(sd, "RawInputStream", CallsBackAtOnce)
    with SoundDeviceMicrophone() as mic:
        first = next(mic.chunks())
    assert first.rate == 16000 and first.samples


def test_when_the_sound_server_stops_the_microphone_reports_it() -> None:
    """A server of its own, so stopping it does not disturb the other tests."""
    saved = {name: os.environ.get(name) for name in ("XDG_RUNTIME_DIR", "PULSE_SERVER")}
    runtime_dir = Path(tempfile.mkdtemp(prefix="voice-coach-pulse-stop-"))
    try:
        start_pulse(runtime_dir)
        point_at(runtime_dir)
        devices.rescan()
        mic = SoundDeviceMicrophone()
        mic.open()
        reading = mic.chunks()
        assert next(reading).rate == 16000
        stop_pulse(runtime_dir)
        with pytest.raises(AudioDeviceError, match="microphone 'default'"):
            for _ in reading:
                pass
        mic.close()
        # Devices are still listed until PortAudio re-scans: opening fails clearly anyway.
        with pytest.raises(AudioDeviceError, match="voice-coach devices"), SoundDeviceMicrophone():
            pass
        devices.rescan()
        with pytest.raises(AudioDeviceError) as caught, SoundDeviceMicrophone():
            pass
        assert "No microphone found" in str(caught.value)
        assert "sound server" in str(caught.value)
    finally:
        stop_pulse(runtime_dir)
        shutil.rmtree(runtime_dir, ignore_errors=True)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        devices.rescan()


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = dict(env or os.environ)
    full_env["PYTHONPATH"] = str(REPO)
    return subprocess.run(
        [sys.executable, "-m", "voice_coach", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=REPO,
        timeout=120,
    )


def test_devices_command_lists_and_marks_the_default() -> None:
    result = run_cli("devices")
    assert result.returncode == 0, result.stderr
    assert "Microphones:" in result.stdout and "Speakers:" in result.stdout
    assert any(
        line.strip().startswith("*") and "default" in line for line in result.stdout.splitlines()
    )


def test_devices_command_without_a_sound_server_explains(tmp_path: Path) -> None:
    env = dict(os.environ, PULSE_SERVER=f"unix:{tmp_path}/nothing", XDG_RUNTIME_DIR=str(tmp_path))
    result = run_cli("devices", env=env)
    assert result.returncode == 1
    assert "No audio devices found" in result.stderr
    assert "Traceback" not in result.stderr


def test_say_is_heard_on_the_microphone() -> None:
    with SoundDeviceMicrophone() as mic:
        outcome: list[subprocess.CompletedProcess[str]] = []
        say = threading.Thread(
            target=lambda: outcome.append(run_cli("say", "I want to go for a walk."))
        )
        events = listen_while(mic, say, Endpointer(EndpointerConfig(no_speech_timeout=30)))
    assert outcome[0].returncode == 0, outcome[0].stderr
    done = events[-1]
    assert isinstance(done, UtteranceComplete)
    heard = transcribe(done.audio).split()
    assert {"want", "go"} <= set(heard) and any(word.startswith("walk") for word in heard)
