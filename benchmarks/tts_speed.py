"""How fast is speech out? Prints figures; not a test (timings vary by machine and load).

    PYTHONPATH=. .venv/bin/python benchmarks/tts_speed.py [--voice PATH.onnx] [--repeat 5]

Measures: voice load time, synthesis real-time factor (median over prompts),
time to first audio through `SpeechOutput` for an uncached and a cached prompt,
and resident memory with the voice loaded.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from voice_coach.messages import AudioChunk, Speak
from voice_coach.speech.cache import PromptCache
from voice_coach.speech.output import SpeechOutput
from voice_coach.speech.piper_voice import PiperSynthesizer

PROMPTS = (
    "Hello. I'm here with you.",
    "On a scale from zero to ten, how strong is the urge right now?",
    "Let's try urge surfing together. Sit somewhere comfortable, and notice where you "
    "feel the urge in your body. Breathe in slowly. Now breathe out.",
    "What would you say to a friend who felt this way?",
    "Well done for checking in today. That takes real effort.",
)


def resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class FirstAudioSpeaker:
    """Notes when the first chunk arrives; plays nothing."""

    def __init__(self) -> None:
        self.first: float | None = None

    def play(self, chunks: object) -> None:
        for _chunk in chunks:  # type: ignore[attr-defined]
            if self.first is None:
                self.first = time.perf_counter()


def time_to_first_audio(output: SpeechOutput, speaker: FirstAudioSpeaker, speak: Speak) -> float:
    speaker.first = None
    started = time.perf_counter()
    output.say(speak)
    assert speaker.first is not None
    return speaker.first - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voice", default="", help="a Piper .onnx voice (default: bundled)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure")
    args = parser.parse_args()

    before = resident_mb()
    voice = PiperSynthesizer.from_setting(args.voice)
    load = voice.load()
    after_load = resident_mb()
    print(f"voice:                 {voice.model_path.name} ({voice.sample_rate} Hz)")
    print(f"load time:             {load:.2f} s")

    ratios = []
    for _ in range(args.repeat):
        for text in PROMPTS:
            started = time.perf_counter()
            chunks: list[AudioChunk] = list(voice.synthesize(text))
            elapsed = time.perf_counter() - started
            ratios.append(elapsed / sum(c.seconds for c in chunks))
    print(
        f"synthesis RTF:         median {statistics.median(ratios):.3f} "
        f"(min {min(ratios):.3f}, max {max(ratios):.3f}; {len(ratios)} renders)"
    )

    with tempfile.TemporaryDirectory() as folder:
        cache = PromptCache(Path(folder), voice.voice_id)
        speaker = FirstAudioSpeaker()
        output = SpeechOutput(voice, speaker, cache)
        long_prompt = PROMPTS[2]
        uncached = [
            time_to_first_audio(output, speaker, Speak(long_prompt, 1.0, cacheable=False))
            for _ in range(args.repeat)
        ]
        output.say(Speak(long_prompt, 1.0))  # fills the cache
        cached = [
            time_to_first_audio(output, speaker, Speak(long_prompt, 1.0))
            for _ in range(args.repeat)
        ]
        whole = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            list(voice.synthesize(long_prompt))
            whole.append(time.perf_counter() - started)
    print(
        f"first audio, uncached: median {statistics.median(uncached) * 1000:.0f} ms "
        f"(rendering all {len(long_prompt.split())} words first: "
        f"{statistics.median(whole) * 1000:.0f} ms)"
    )
    print(f"first audio, cached:   median {statistics.median(cached) * 1000:.1f} ms")
    print(
        f"resident memory:       {after_load:.0f} MB with the voice loaded "
        f"({after_load - before:+.0f} MB for the voice), {resident_mb():.0f} MB after synthesis"
    )


if __name__ == "__main__":
    main()
