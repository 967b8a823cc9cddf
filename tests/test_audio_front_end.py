"""The audio front end on real speech (the product's Piper voice) mixed with noise.

What a user would notice: in a noisy room the noise between words is pushed
down while the words stay, a phrase said over noise is understood, clean
speech still is, and a missing suppressor library never stops the coach.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import numpy as np
import pytest
from bootstrap_only import missing

from voice_coach.audio_io import front_end
from voice_coach.audio_io.convert import AudioConverter
from voice_coach.audio_io.front_end import FrontEnd, PassThrough, create_front_end
from voice_coach.errors import ConfigError
from voice_coach.messages import AudioChunk, ListenFor
from voice_coach.paths import resolve_paths
from voice_coach.recognition.cleaned import CleanedRecognizer
from voice_coach.recognition.grammar import Grammars
from voice_coach.recognition.select import create_recognizer
from voice_coach.recognition.wavfile import chunks
from voice_coach.settings import Settings, from_dict
from voice_coach.understanding import Understanding

RATE = 16000


def pcm16k(chunk: AudioChunk) -> np.ndarray:
    return np.frombuffer(AudioConverter(RATE).convert(chunk).samples, "<i2").astype(np.float64)


def pink(n: int, seed: int) -> np.ndarray:
    """Pink noise (1/f power), unit RMS."""
    rng = np.random.default_rng(seed)
    spectrum = np.fft.rfft(rng.standard_normal(n))
    spectrum /= np.sqrt(np.maximum(np.arange(len(spectrum)), 1))
    noise = np.fft.irfft(spectrum, n)
    unit: np.ndarray = noise / np.sqrt(np.mean(noise**2))
    return unit


def noisy(speech: np.ndarray, snr_db: float, lead: float = 1.0, seed: int = 7) -> np.ndarray:
    """`lead` seconds of noise alone, then speech over the same noise at `snr_db`."""
    pad = int(lead * RATE)
    signal = np.concatenate((np.zeros(pad), speech, np.zeros(RATE // 2)))
    level = np.sqrt(np.mean(speech**2)) / 10 ** (snr_db / 20)
    mixed: np.ndarray = signal + level * pink(len(signal), seed)
    return mixed


def to_bytes(samples: np.ndarray) -> bytes:
    return bytes(np.clip(np.round(samples), -32768, 32767).astype("<i2").tobytes())


def stream(front: FrontEnd, pcm: bytes, seconds: float) -> np.ndarray:
    out = b"".join(front.process(c) for c in chunks(pcm, seconds)) + front.flush()
    return np.frombuffer(out, "<i2").astype(np.float64)


def rms_db(x: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(x**2) + 1e-9))


@pytest.fixture(scope="module")
def urge(render: Callable[[str], AudioChunk]) -> np.ndarray:
    return pcm16k(render("I'm having an urge"))


@pytest.fixture
def rnnoise() -> None:
    """RNNoise's library, from the pyrnnoise wheel that ./bootstrap installs with --no-deps."""
    if front_end._rnnoise_library() is None:
        missing("librnnoise (the pyrnnoise wheel)", "pip install --no-deps pyrnnoise==0.4.5, "
                "since its Python wrapper needs PyAV and matplotlib")


@pytest.mark.usefixtures("rnnoise")
def test_rnnoise_pushes_down_the_noise_between_words_and_keeps_the_words(
    urge: np.ndarray,
) -> None:
    mixture = noisy(urge, snr_db=5)
    front = create_front_end("rnnoise")
    assert front.name == "rnnoise"
    out = stream(front, to_bytes(mixture), 0.1)
    assert len(out) == len(mixture)  # nothing lost or added at the ends
    noise_only = slice(int(0.2 * RATE), int(0.9 * RATE))
    words = slice(RATE, RATE + len(urge))
    assert rms_db(out[noise_only]) < rms_db(mixture[noise_only]) - 10
    assert abs(rms_db(out[words]) - rms_db(urge)) < 4


@pytest.mark.usefixtures("rnnoise")
def test_the_result_does_not_depend_on_the_microphone_chunk_size(urge: np.ndarray) -> None:
    pcm = to_bytes(noisy(urge, snr_db=10))
    big = stream(create_front_end("rnnoise"), pcm, 0.1)
    small = stream(create_front_end("rnnoise"), pcm, 0.032)
    assert len(big) == len(small)
    assert np.max(np.abs(big - small)) <= 2  # rounding only


@pytest.mark.usefixtures("rnnoise")
def test_a_second_utterance_after_flush_is_cleaned_like_the_first(urge: np.ndarray) -> None:
    pcm = to_bytes(noisy(urge, snr_db=10))
    front = create_front_end("rnnoise")
    first = stream(front, pcm, 0.1)
    second = stream(front, pcm, 0.1)
    assert len(first) == len(second) == len(pcm) // 2


@pytest.mark.parametrize("name", ["webrtc", "speex"])
def test_the_other_suppressors_stream_without_losing_audio(urge: np.ndarray, name: str) -> None:
    mixture = noisy(urge, snr_db=5)
    front = create_front_end(name)
    assert front.name == name
    out = stream(front, to_bytes(mixture), 0.1)
    assert len(out) == len(mixture)
    noise_only = slice(int(0.2 * RATE), int(0.9 * RATE))
    assert rms_db(out[noise_only]) < rms_db(mixture[noise_only]) - 3


def hear_intent(recognizer: object, pcm: bytes, understanding: Understanding) -> str | None:
    grammar = Grammars(understanding).for_listen(ListenFor.COMMAND)
    recognizer.set_mode(grammar.mode, grammar.phrases, grammar.never_reject)  # type: ignore[attr-defined]
    for c in chunks(pcm):
        recognizer.accept(c)  # type: ignore[attr-defined]
    return understanding.recognize(recognizer.finish().text).intent  # type: ignore[attr-defined]


@pytest.mark.usefixtures("rnnoise")
def test_the_coach_hears_through_the_front_end_clean_and_in_noise(urge: np.ndarray) -> None:
    recognizer = create_recognizer(Settings(engine="pocketsphinx"), resolve_paths())
    assert isinstance(recognizer, CleanedRecognizer)
    assert recognizer.front_end.name == "rnnoise" and recognizer.name == "pocketsphinx"
    understanding = Understanding.load()
    assert hear_intent(recognizer, to_bytes(urge), understanding) == "urge_help"
    # Pink noise 10 dB below the speech: without the front end this came out as "balance".
    for seed in (7, 8):
        mixture = to_bytes(noisy(urge, snr_db=10, seed=seed))
        assert hear_intent(recognizer, mixture, understanding) == "urge_help"


def test_front_end_none_gives_the_engine_itself() -> None:
    settings = Settings(engine="pocketsphinx", front_end="none")
    recognizer = create_recognizer(settings, resolve_paths())
    assert not isinstance(recognizer, CleanedRecognizer)


def test_a_missing_rnnoise_library_passes_audio_through_with_one_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from voice_coach.audio_io import front_end

    monkeypatch.setattr(front_end, "_rnnoise_library", lambda: None)
    monkeypatch.setattr(front_end, "_warned", set())
    with caplog.at_level(logging.WARNING):
        first = create_front_end("rnnoise")
        create_front_end("rnnoise")
    assert isinstance(first, PassThrough)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "pip install --no-deps pyrnnoise" in warnings[0]


def test_an_unknown_front_end_in_the_settings_names_the_key_and_the_choices() -> None:
    with pytest.raises(ConfigError) as info:
        from_dict({"front_end": "magic"})
    assert "front_end" in str(info.value) and "rnnoise" in str(info.value)


def test_raw_mix_setting_decides_how_much_room_noise_is_left(urge: np.ndarray) -> None:
    """`raw_mix` reaches the recognizer's front end: more raw share, more residual noise."""
    mixture = noisy(urge, snr_db=5)
    noise_only = slice(int(0.2 * RATE), int(0.9 * RATE))
    residual = {}
    for share in (0.0, 0.5):
        recognizer = create_recognizer(
            from_dict({"engine": "pocketsphinx", "raw_mix": share}), resolve_paths()
        )
        assert isinstance(recognizer, CleanedRecognizer)
        out = stream(recognizer.front_end, to_bytes(mixture), 0.1)
        residual[share] = rms_db(out[noise_only])
    # Half the raw signal leaves the noise about 6 dB under the unprocessed level.
    assert residual[0.5] == pytest.approx(rms_db(mixture[noise_only]) - 6, abs=2.5)
    assert residual[0.0] < residual[0.5] - 10


def test_a_raw_mix_out_of_range_is_a_clear_settings_error() -> None:
    with pytest.raises(ConfigError, match=r"raw_mix = 1\.5 must be from 0 to 0\.9"):
        from_dict({"raw_mix": 1.5})
