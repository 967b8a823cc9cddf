"""Speech out with the real Piper voice: pace, streaming by sentence, the prompt cache, errors."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from voice_coach.audio_io.doubles import RecordingSpeaker
from voice_coach.dialogue import safety
from voice_coach.errors import AudioDeviceError, ModelError
from voice_coach.fixed_prompts import fixed_prompts, is_fixed_prompt
from voice_coach.messages import AudioChunk, Speak
from voice_coach.settings import REGIONS
from voice_coach.speech.cache import PromptCache
from voice_coach.speech.output import SpeechOutput
from voice_coach.speech.piper_voice import PiperSynthesizer, default_voice
from voice_coach.speech.sentences import split_sentences
from voice_coach.speech.warm import warm

FIVE_SENTENCES = (
    "Let's try urge surfing together. Sit somewhere comfortable. "
    "Notice where you feel the urge in your body. Breathe in slowly. Now breathe out."
)


class CountingSynthesizer:
    """The real voice, keeping a log of what it rendered and when (relative to playback)."""

    def __init__(self, voice: PiperSynthesizer, log: list[str]) -> None:
        self.voice = voice
        self.log = log
        self.calls = 0

    def synthesize(self, text: str, pace: float = 1.0) -> Iterator[AudioChunk]:
        self.calls += 1
        for number, chunk in enumerate(self.voice.synthesize(text, pace)):
            self.log.append(f"rendered {number}")
            yield chunk


def total_seconds(chunks: list[AudioChunk]) -> float:
    return sum(c.seconds for c in chunks)


def test_the_bundled_voice_speaks(synthesizer: PiperSynthesizer) -> None:
    chunks = list(synthesizer.synthesize("Hello, I'm your coach."))
    assert chunks and all((c.rate, c.channels) == (22050, 1) for c in chunks)
    assert 0.8 < total_seconds(chunks) < 4.0
    assert max(max(c.samples) for c in chunks) > 0


def test_slower_pace_really_slows_speech(synthesizer: PiperSynthesizer) -> None:
    # Piper varies durations a little from run to run; the margins allow for that.
    text = "Take a slow breath and notice how you feel, right now, in your body and in your mind."
    normal = total_seconds(list(synthesizer.synthesize(text, 1.0)))
    slower = total_seconds(list(synthesizer.synthesize(text, 1.5)))
    faster = total_seconds(list(synthesizer.synthesize(text, 0.7)))
    assert slower > normal * 1.15
    assert faster < normal * 0.92


def test_a_steady_rendering_is_the_same_every_time(synthesizer: PiperSynthesizer) -> None:
    text = "Stop please."
    steady = [b"".join(c.samples for c in synthesizer.synthesize(text, steady=True)) for _ in "ab"]
    lively = [b"".join(c.samples for c in synthesizer.synthesize(text)) for _ in "ab"]
    assert steady[0] == steady[1]
    assert lively[0] != lively[1], "without steady, Piper varies each rendering"


def test_speech_starts_before_the_last_sentence_is_synthesised(
    synthesizer: PiperSynthesizer,
) -> None:
    log: list[str] = []
    speaker = RecordingSpeaker(on_chunk=lambda chunk: log.append("played"))
    output = SpeechOutput(CountingSynthesizer(synthesizer, log), speaker)
    output.say(Speak(FIVE_SENTENCES, cacheable=False))
    rendered = [i for i, entry in enumerate(log) if entry.startswith("rendered")]
    assert len(rendered) == 9, "five sentences and four pauses"
    assert log.index("played") < rendered[-1]
    assert len(speaker.plays[0]) == 9


def test_a_cached_prompt_is_not_synthesised_again(
    synthesizer: PiperSynthesizer, tmp_path: Path
) -> None:
    log: list[str] = []
    counting = CountingSynthesizer(synthesizer, log)
    cache = PromptCache(tmp_path / "tts", synthesizer.voice_id)
    speaker = RecordingSpeaker()
    output = SpeechOutput(counting, speaker, cache)
    prompt = Speak("On a scale from zero to ten, how strong is the urge?", 1.0)
    output.say(prompt)
    output.say(prompt)
    assert counting.calls == 1
    assert speaker.audio(0).samples == speaker.audio(1).samples
    assert [p.suffix for p in (tmp_path / "tts").iterdir()] == [".wav"]
    output.say(Speak(prompt.text, 1.25))
    assert counting.calls == 2, "a different pace is a different recording"


def test_the_persons_own_words_are_never_cached(
    synthesizer: PiperSynthesizer, tmp_path: Path
) -> None:
    counting = CountingSynthesizer(synthesizer, [])
    cache = PromptCache(tmp_path / "tts", synthesizer.voice_id)
    output = SpeechOutput(counting, RecordingSpeaker(), cache)
    words = Speak("You said: my sister's wedding.", cacheable=False)
    output.say(words)
    output.say(words)
    assert counting.calls == 2
    assert not (tmp_path / "tts").exists() or not any((tmp_path / "tts").iterdir())


def test_a_damaged_cache_file_is_replaced(synthesizer: PiperSynthesizer, tmp_path: Path) -> None:
    cache = PromptCache(tmp_path / "tts", synthesizer.voice_id)
    prompt = Speak("Well done for checking in.")
    cache.folder.mkdir()
    cache.path(prompt.text, prompt.pace).write_bytes(b"RIFF garbage")
    speaker = RecordingSpeaker()
    SpeechOutput(synthesizer, speaker, cache).say(prompt)
    assert speaker.audio().seconds > 0.5
    assert cache.get(prompt.text, prompt.pace) is not None


def test_a_speaker_failure_stops_synthesis_and_reaches_the_caller(
    synthesizer: PiperSynthesizer,
) -> None:
    def unplugged(chunk: AudioChunk) -> None:
        raise AudioDeviceError("The speaker went away.")

    output = SpeechOutput(synthesizer, RecordingSpeaker(on_chunk=unplugged))
    with pytest.raises(AudioDeviceError, match="went away"):
        output.say(Speak(FIVE_SENTENCES, cacheable=False))
    assert not [t for t in threading.enumerate() if t.name == "tts-producer"]


def test_warm_renders_each_prompt_once(synthesizer: PiperSynthesizer, tmp_path: Path) -> None:
    cache = PromptCache(tmp_path / "tts", synthesizer.voice_id)
    texts = ["Let's begin.", "Take a breath.", "Let's begin."]
    first = warm(texts, synthesizer, cache, 1.0)
    again = warm(texts, synthesizer, cache, 1.0)
    assert (first.rendered, first.already) == (2, 0)
    assert (again.rendered, again.already) == (0, 2)
    counting = CountingSynthesizer(synthesizer, [])
    SpeechOutput(counting, RecordingSpeaker(), cache).say(Speak("Take a breath."))
    assert counting.calls == 0, "warmed prompts play from the cache"


def test_voice_warm_prerenders_every_regions_crisis_lines_but_nothing_personal() -> None:
    prompts = set(fixed_prompts())
    for region in REGIONS:  # the crisis answer must never wait for synthesis
        missing = set(safety.crisis_response(region)) - prompts
        assert not missing, f"{region}: {sorted(missing)[:2]}"
    assert not any("Sam" in text.split() for text in prompts)
    assert not is_fixed_prompt("Nice to meet you, Sam.")


def test_a_missing_voice_file_is_a_model_error(tmp_path: Path) -> None:
    voice = PiperSynthesizer.from_setting(str(tmp_path / "en_GB-nobody.onnx"))
    with pytest.raises(ModelError, match="does not exist"):
        voice.load()


def test_a_corrupt_voice_is_a_model_error(tmp_path: Path) -> None:
    model = tmp_path / "broken.onnx"
    model.write_bytes(b"this is not an onnx model")
    Path(f"{model}.json").write_bytes(default_voice()[1].read_bytes())
    with pytest.raises(ModelError, match="damaged"):
        PiperSynthesizer(model).load()


def test_a_broken_voice_config_is_a_model_error(tmp_path: Path) -> None:
    model = tmp_path / "voice.onnx"
    model.write_bytes(b"x")
    Path(f"{model}.json").write_text("{}")
    with pytest.raises(ModelError, match="not a valid Piper config"):
        PiperSynthesizer(model).load()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", []),
        ("Hello there, friend.", ["Hello there, friend."]),
        (
            "Okay. Let's take a breath. How strong is it now?",
            ["Okay. Let's take a breath.", "How strong is it now?"],
        ),
        (
            "Call Dr. Smith today if you can. Then rest.",
            ["Call Dr. Smith today if you can. Then rest."],
        ),
        (
            'She said "stop drinking." I listened to her.',
            ['She said "stop drinking."', "I listened to her."],
        ),
        ("  Spaces\n  and   lines are   fine.  ", ["Spaces and lines are fine."]),
    ],
)
def test_sentence_splitting(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected
