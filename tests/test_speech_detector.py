"""Learned speech detectors on real rendered speech in steady noise: a turn ends when you stop."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from voice_coach.audio_io.convert import AudioConverter, from_float, split, to_float, to_mono
from voice_coach.audio_io.speech_detector import EnergyDetector, create_detector
from voice_coach.audio_io.vad import (
    Endpointer,
    EndpointerConfig,
    NoSpeech,
    SpeechStarted,
    UtteranceComplete,
    VadEvent,
)
from voice_coach.errors import ConfigError
from voice_coach.messages import AudioChunk
from voice_coach.settings import Settings, from_dict

Render = Callable[..., AudioChunk]
PHRASE = "I keep thinking about going to the bar after work tonight."
LEAD = 1.5


def pink(n: int, seed: int = 3) -> np.ndarray:
    spectrum = np.fft.rfft(np.random.default_rng(seed).standard_normal(n))
    freqs = np.arange(len(spectrum), dtype=np.float64)
    freqs[0] = 1.0
    noise = np.fft.irfft(spectrum / np.sqrt(freqs), n)
    return noise / np.std(noise)


def in_noise(
    speech: AudioChunk | None, snr_db: float, seconds: float = 0.0
) -> tuple[AudioChunk, float]:
    """Pink noise throughout, the phrase after `LEAD` s; the stream and where speech ends."""
    samples = (
        to_mono(to_float(AudioConverter(16000).convert(speech)))
        if speech is not None
        else np.zeros(int(seconds * 16000), np.float32)
    )
    loud = np.nonzero(np.abs(samples) > 0.01)[0]
    end = (loud[-1] / 16000) if len(loud) else 0.0
    active = samples[np.abs(samples) > 0.003]
    level = float(np.sqrt(np.mean(active**2))) if len(active) else 0.1
    total = int((LEAD + 4.0) * 16000) + len(samples)
    stream = pink(total) * level / 10 ** (snr_db / 20)
    start = int(LEAD * 16000)
    stream[start : start + len(samples)] += samples
    return from_float(np.clip(stream, -1, 1).astype(np.float32), 16000), LEAD + end


def events_of(stream: AudioChunk, detector_name: str, no_speech: float = 30.0) -> list[VadEvent]:
    endpointer = Endpointer(
        EndpointerConfig(silence_timeout=0.8, no_speech_timeout=no_speech),
        create_detector(detector_name),
    )
    events: list[VadEvent] = []
    for chunk in split(stream, 0.03):
        events.extend(endpointer.process(chunk))
        if endpointer.done:
            break
    return events


def test_the_default_detector_is_the_learned_one_that_measured_best() -> None:
    assert Settings().vad == "silero"
    assert create_detector(Settings().vad).name == "silero"


@pytest.mark.parametrize("name", ["silero", "micro"])
def test_in_steady_noise_a_learned_detector_keeps_the_whole_sentence(
    render: Render, name: str
) -> None:
    stream, speech_end = in_noise(render(PHRASE), snr_db=10)
    events = events_of(stream, name)
    assert [type(e) for e in events] == [SpeechStarted, UtteranceComplete]
    started, done = events
    assert isinstance(started, SpeechStarted) and isinstance(done, UtteranceComplete)
    assert started.at == pytest.approx(LEAD, abs=0.3)
    ended = started.at - 0.3 + done.audio.seconds
    # Not cut before the person finished, and not kept waiting either.
    assert speech_end <= ended - 0.8 + 0.05
    assert ended <= speech_end + 1.6


def test_in_the_same_noise_the_energy_detector_cuts_the_sentence_short(render: Render) -> None:
    """Why the default changed: quiet syllables sink under the energy floor + 10 dB."""
    stream, speech_end = in_noise(render(PHRASE), snr_db=10)
    events = events_of(stream, "energy")
    done = next(e for e in events if isinstance(e, UtteranceComplete))
    started = next(e for e in events if isinstance(e, SpeechStarted))
    assert started.at - 0.3 + done.audio.seconds - 0.8 < speech_end - 0.05


@pytest.mark.parametrize("name", ["silero", "micro"])
def test_steady_noise_alone_never_starts_a_turn(name: str) -> None:
    stream, _ = in_noise(None, snr_db=10, seconds=4.0)
    events = events_of(stream, name, no_speech=8.0)
    assert [type(e) for e in events] == [NoSpeech]


def test_the_same_learned_detector_serves_turn_after_turn(render: Render) -> None:
    detector = create_detector("silero")
    stream, _ = in_noise(render("Yes."), snr_db=20)
    for _ in range(2):
        endpointer = Endpointer(EndpointerConfig(silence_timeout=0.8), detector)
        events: list[VadEvent] = []
        for chunk in split(stream, 0.03):
            events.extend(endpointer.process(chunk))
        assert [type(e) for e in events] == [SpeechStarted, UtteranceComplete]


def test_a_wrong_detector_name_is_a_clear_settings_error() -> None:
    with pytest.raises(ConfigError, match="vad = 'webrtc' must be one of silero, micro, energy"):
        from_dict({"vad": "webrtc"})
    assert isinstance(create_detector("energy"), EnergyDetector)
