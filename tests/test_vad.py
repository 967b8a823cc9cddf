"""Endpointing on real rendered speech: when the person starts, when they stop, nothing clipped."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import numpy as np
import pytest

from voice_coach.audio_io.convert import (
    AudioConverter,
    concatenate,
    from_float,
    level_dbfs,
    silence,
    split,
    to_float,
    to_mono,
)
from voice_coach.audio_io.doubles import WavMicrophone
from voice_coach.audio_io.vad import (
    Endpointer,
    EndpointerConfig,
    NoSpeech,
    SpeechStarted,
    UtteranceComplete,
    VadEvent,
    config_from,
    next_utterance,
)
from voice_coach.messages import AudioChunk
from voice_coach.settings import Settings

Render = Callable[..., AudioChunk]
PHRASE = "I'm having a strong urge right now."


def at_16k(chunk: AudioChunk) -> np.ndarray:
    return to_mono(to_float(AudioConverter(16000).convert(chunk)))


def run(endpointer: Endpointer, chunks: Iterable[AudioChunk]) -> list[VadEvent]:
    events: list[VadEvent] = []
    for chunk in chunks:
        events.extend(endpointer.process(chunk))
    return events


def energy(samples: np.ndarray) -> float:
    return float(np.sum(np.square(samples, dtype=np.float64)))


def voiced_end(chunk: AudioChunk, above_dbfs: float = -45.0) -> float:
    """Seconds into the chunk where the last 30 ms frame louder than `above_dbfs` ends."""
    samples = at_16k(chunk)
    frame = 480
    last = 0
    for start in range(0, len(samples) - frame + 1, frame):
        if level_dbfs(samples[start : start + frame]) > above_dbfs:
            last = start + frame
    return last / 16000


def utterance_end(started: SpeechStarted, done: UtteranceComplete, preroll: float = 0.3) -> float:
    """Where the utterance ends in the stream's timeline (seconds)."""
    return started.at - preroll + done.audio.seconds


def with_noise(chunk: AudioChunk, dbfs: float, seed: int = 7) -> AudioChunk:
    samples = at_16k(chunk)
    rms = 10 ** (dbfs / 20)
    noise = np.random.default_rng(seed).normal(0, rms, len(samples))
    return from_float(samples + noise, 16000)


def test_a_padded_phrase_is_one_utterance_with_nothing_clipped(render: Render) -> None:
    speech = render(PHRASE)
    mic = WavMicrophone(speech, lead_silence=1.0, trail_silence=2.0)
    events = run(Endpointer(EndpointerConfig(silence_timeout=0.8)), mic.chunks())
    assert [type(e) for e in events] == [SpeechStarted, UtteranceComplete]
    started, done = events
    assert isinstance(started, SpeechStarted) and isinstance(done, UtteranceComplete)
    assert started.at == pytest.approx(1.0, abs=0.15)
    utterance = to_mono(to_float(done.audio))
    # Every bit of the speech is inside the utterance (first and last syllables too) ...
    assert energy(utterance) == pytest.approx(energy(at_16k(speech)), rel=0.01)
    # ... starting with pre-roll silence, ending one silence timeout after the last word.
    assert np.max(np.abs(utterance[:1600])) < 0.01
    assert utterance_end(started, done) == pytest.approx(1.0 + voiced_end(speech) + 0.8, abs=0.1)
    assert not done.truncated


def test_a_longer_silence_timeout_waits_longer(render: Render) -> None:
    speech = render(PHRASE)
    lengths = []
    for timeout in (0.5, 1.5):
        mic = WavMicrophone(speech, lead_silence=0.5, trail_silence=3.0)
        events = run(Endpointer(EndpointerConfig(silence_timeout=timeout)), mic.chunks())
        done = events[-1]
        assert isinstance(done, UtteranceComplete)
        lengths.append(done.audio.seconds)
    assert lengths[1] - lengths[0] == pytest.approx(1.0, abs=0.1)


def test_a_pause_shorter_than_the_timeout_does_not_split_the_answer(render: Render) -> None:
    first, second = render("I feel tense."), render("But I can handle it.")
    gap = silence(0.5, first.rate)
    answer = concatenate([first, gap, second])
    patient = run(
        Endpointer(EndpointerConfig(silence_timeout=1.0)),
        WavMicrophone(answer, lead_silence=0.5, trail_silence=2.0).chunks(),
    )
    assert [type(e) for e in patient] == [SpeechStarted, UtteranceComplete]
    done = patient[-1]
    assert isinstance(done, UtteranceComplete)
    assert done.audio.seconds > first.seconds + 0.5 + second.seconds

    hasty = run(
        Endpointer(EndpointerConfig(silence_timeout=0.3)),
        WavMicrophone(answer, lead_silence=0.5, trail_silence=2.0).chunks(),
    )
    cut = hasty[-1]
    assert isinstance(cut, UtteranceComplete)
    assert cut.audio.seconds < first.seconds + 0.5 + 0.3 + 0.1


def test_silence_times_out_with_no_speech() -> None:
    endpointer = Endpointer(EndpointerConfig(no_speech_timeout=2.0))
    events = run(endpointer, split(silence(3.0, 16000), 0.03))
    assert len(events) == 1 and isinstance(events[0], NoSpeech)
    assert events[0].waited == pytest.approx(2.0, abs=0.05)
    assert endpointer.done


def test_steady_noise_alone_is_not_speech() -> None:
    noisy_room = with_noise(silence(4.0, 16000), -35)
    events = run(Endpointer(EndpointerConfig(no_speech_timeout=3.0)), split(noisy_room, 0.03))
    assert [type(e) for e in events] == [NoSpeech]


def test_speech_over_noise_is_found_and_ends_when_the_speech_ends(render: Render) -> None:
    speech = render(PHRASE)
    padded = concatenate(
        [silence(1.0, 16000), AudioConverter(16000).convert(speech), silence(2.0, 16000)]
    )
    noisy = with_noise(padded, -35)
    events = run(Endpointer(EndpointerConfig(silence_timeout=0.8)), split(noisy, 0.03))
    assert [type(e) for e in events] == [SpeechStarted, UtteranceComplete]
    started, done = events
    assert isinstance(started, SpeechStarted) and isinstance(done, UtteranceComplete)
    assert started.at == pytest.approx(1.0, abs=0.2)
    # Quiet word endings drown in the noise, so the end may come a little early.
    expected_end = 1.0 + voiced_end(speech) + 0.8
    assert expected_end - 0.4 <= utterance_end(started, done) <= expected_end + 0.1


def test_a_click_does_not_start_an_utterance() -> None:
    click = np.zeros(16000 * 3, dtype=np.float32)
    click[16000 : 16000 + 160] = 0.8
    events = run(
        Endpointer(EndpointerConfig(no_speech_timeout=2.5)),
        split(from_float(click, 16000), 0.03),
    )
    assert [type(e) for e in events] == [NoSpeech]


def test_a_monologue_is_cut_at_the_maximum_length(render: Render) -> None:
    speech = render("Sometimes I just keep talking and talking about everything that happened.")
    config = EndpointerConfig(max_utterance=1.5, preroll=0.3)
    events = run(Endpointer(config), WavMicrophone(speech, lead_silence=0.5).chunks())
    done = events[-1]
    assert isinstance(done, UtteranceComplete) and done.truncated
    assert done.audio.seconds == pytest.approx(1.5 + 0.3, abs=0.1)


def test_chunk_size_and_input_rate_do_not_change_the_result(render: Render) -> None:
    speech = render(PHRASE)
    padded = concatenate([silence(0.6, speech.rate), speech, silence(1.5, speech.rate)])
    results = []
    for size in (0.007, 0.03, 0.25):
        events = run(Endpointer(), split(padded, size))  # 22.05 kHz in, converted inside
        assert [type(e) for e in events] == [SpeechStarted, UtteranceComplete]
        results.append(events[0])
    starts = [e.at for e in results if isinstance(e, SpeechStarted)]
    assert max(starts) - min(starts) < 0.05


def test_after_an_utterance_it_listens_again_only_after_reset(render: Render) -> None:
    speech = render(PHRASE)
    endpointer = Endpointer()
    mic = WavMicrophone(speech, lead_silence=0.5, trail_silence=1.5)
    assert isinstance(run(endpointer, mic.chunks())[-1], UtteranceComplete)
    assert run(endpointer, mic.chunks()) == []
    floor = endpointer.noise_floor
    endpointer.reset(EndpointerConfig(silence_timeout=0.5))
    assert endpointer.noise_floor == floor
    assert isinstance(run(endpointer, mic.chunks())[-1], UtteranceComplete)


def test_the_persons_settings_set_the_timeouts() -> None:
    config = config_from(Settings(silence_timeout=1.4, answer_timeout=30.0))
    assert (config.silence_timeout, config.no_speech_timeout) == (1.4, 30.0)
    assert config_from(Settings(), no_speech_timeout=600.0).no_speech_timeout == 600.0


def test_next_utterance_reads_until_the_answer_is_complete(render: Render) -> None:
    mic = WavMicrophone(render(PHRASE), lead_silence=0.5, trail_silence=1.5)
    started: list[SpeechStarted] = []
    result = next_utterance(mic.chunks(), Endpointer(), started.append)
    assert isinstance(result, UtteranceComplete) and len(started) == 1
    short = WavMicrophone(silence(0.5, 16000))
    assert next_utterance(short.chunks(), Endpointer()) is None, "input ended first"
