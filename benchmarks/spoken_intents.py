"""Spoken intents: held-out phrases rendered by Piper, through recognition and understanding.

Not a test (figures depend on the machine). Run from the repository root:

    .venv/bin/python benchmarks/spoken_intents.py [--engine pocketsphinx] [--snr 10] [-v]

What it does, per phrase of `benchmarks/phrases.yaml` (written independently
of `intents/`): renders it with the product's Piper voice
(`PiperSynthesizer.from_setting("")`), resamples to 16 kHz, pads 0.3 s of
silence either side (what a voice-activity endpointer hands over), and feeds
it in 0.1 s chunks to the recognizer in top-level command mode, exactly as
`voice-coach recognize` does (`voice_coach.cli.recognize.transcribe`), then
`Understanding.recognize` on the transcript. Rendered WAVs are cached under
`.cache/spoken_intents/` (gitignored), keyed by a hash of voice and text.

Noise: pink noise (1/f power, shaped in the frequency domain from seeded
white Gaussian noise, seed = phrase index) added at `--snr` dB, where the SNR
is the RMS of the whole padded utterance over the RMS of the noise, noise
covering the padding too.

Figures printed: intents right (number items must also carry the right
value), out-of-scope false accepts, crisis recall, real-time factor (median
and 90th percentile over phrases, decoding time / audio time, both wall-clock
and CPU time: the CPU figure is what an otherwise idle machine would see), grammar build
and switch times, and "end of speech → intent": the time from the last chunk
being fed to the intent, for utterances of about 2 s (the decoder works while
audio streams in, so only `finish()` and the matcher remain).
"""

from __future__ import annotations

import argparse
import hashlib
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from voice_coach.audio_io.convert import (  # noqa: E402
    AudioConverter,
    concatenate,
    from_float,
)
from voice_coach.audio_io.wav import read_wav_float, write_wav  # noqa: E402
from voice_coach.cli.recognize import transcribe  # noqa: E402
from voice_coach.messages import ListenFor  # noqa: E402
from voice_coach.recognition import Recognizer  # noqa: E402
from voice_coach.recognition.grammar import Grammars  # noqa: E402
from voice_coach.recognition.wavfile import RATE  # noqa: E402
from voice_coach.understanding import Understanding  # noqa: E402

PHRASES = ROOT / "benchmarks" / "phrases.yaml"
CACHE = ROOT / ".cache" / "spoken_intents"
PAD_SECONDS = 0.3
OOS = "out_of_scope"


@dataclass(frozen=True)
class Item:
    expected: str | None
    """The intent, or None for out-of-scope speech."""
    text: str
    value: int | None = None
    """The rating a `number` item must carry."""


def load_items() -> list[Item]:
    data = yaml.safe_load(PHRASES.read_text(encoding="utf-8"))
    items: list[Item] = []
    for intent, entries in data["intents"].items():
        for entry in entries:
            if isinstance(entry, dict):
                items.append(Item(str(intent), str(entry["text"]), int(entry["value"])))
            else:
                items.append(Item(str(intent), str(entry)))
    items += [Item(None, str(text)) for text in data[OOS]]
    return items


def render(items: list[Item]) -> list[np.ndarray[Any, np.dtype[np.float32]]]:
    """16 kHz float audio per item, padded with silence; rendered once and cached."""
    from voice_coach.speech.piper_voice import PiperSynthesizer

    synth = PiperSynthesizer.from_setting("")
    CACHE.mkdir(parents=True, exist_ok=True)
    out = []
    for item in items:
        key = hashlib.sha1(f"{synth.voice_id}|{item.text}".encode()).hexdigest()[:16]
        path = CACHE / f"{key}.wav"
        if not path.exists():
            speech = concatenate(list(synth.synthesize(item.text)))
            write_wav(path, [AudioConverter(RATE).convert(speech)])
        samples, rate = read_wav_float(path)
        pad = np.zeros(int(PAD_SECONDS * rate), dtype=np.float32)
        out.append(np.concatenate([pad, samples, pad]))
    return out


def pink_noise(n: int, seed: int) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Unit-RMS pink noise: white Gaussian noise with its spectrum scaled by 1/sqrt(f)."""
    rng = np.random.default_rng(seed)
    spectrum = np.fft.rfft(rng.standard_normal(n))
    freqs = np.fft.rfftfreq(n)
    freqs[0] = freqs[1]
    noise = np.fft.irfft(spectrum / np.sqrt(freqs), n)
    return noise / np.sqrt(np.mean(noise**2))


def add_noise(samples: np.ndarray[Any, Any], snr_db: float, seed: int) -> np.ndarray[Any, Any]:
    rms = float(np.sqrt(np.mean(samples.astype(np.float64) ** 2)))
    noise = pink_noise(len(samples), seed) * rms / (10 ** (snr_db / 20))
    return (samples + noise).astype(np.float32)


@dataclass
class Result:
    item: Item
    transcript: str
    intent: str | None
    value: int | None
    seconds: float
    """Audio duration."""
    decode: float
    """Time spent in accept() and finish()."""
    tail: float
    """End of speech to intent: finish() plus the matcher."""
    cpu: float
    """CPU time of accept() and finish(): the work, whatever else the machine runs."""

    @property
    def right(self) -> bool:
        if self.item.expected is None:
            return self.intent is None
        return self.intent == self.item.expected and (
            self.item.value is None or self.value == self.item.value
        )


def run(
    rec: Recognizer, u: Understanding, items: list[Item], audio: list[Any], snr: float | None
) -> list[Result]:
    g = Grammars(u).for_listen(ListenFor.COMMAND)
    rec.set_mode(g.mode, g.phrases, g.never_reject)
    results = []
    for index, (item, samples) in enumerate(zip(items, audio, strict=True)):
        if snr is not None:
            samples = add_noise(samples, snr, seed=index)
        pcm = from_float(samples, RATE).samples
        timer = _TimedRecognizer(rec)
        transcript = transcribe(timer, pcm)  # type: ignore[arg-type]
        start = time.perf_counter()
        match = u.recognize(transcript.text)
        matched = time.perf_counter() - start
        value = match.slots.get("value")
        results.append(
            Result(
                item,
                transcript.text,
                match.intent,
                value if isinstance(value, int) else None,
                len(pcm) / (2 * RATE),
                timer.accepting + timer.finishing,
                timer.finishing + matched,
                timer.cpu,
            )
        )
    return results


class _TimedRecognizer:
    """Wraps a recognizer to time its accept() and finish() calls separately."""

    def __init__(self, rec: Recognizer) -> None:
        self.rec = rec
        self.accepting = 0.0
        self.finishing = 0.0
        self.cpu = 0.0

    def reset(self) -> None:
        self.rec.reset()

    def accept(self, chunk: bytes) -> Any:
        start, cpu = time.perf_counter(), time.process_time()
        out = self.rec.accept(chunk)
        self.accepting += time.perf_counter() - start
        self.cpu += time.process_time() - cpu
        return out

    def finish(self) -> Any:
        start, cpu = time.perf_counter(), time.process_time()
        out = self.rec.finish()
        self.finishing += time.perf_counter() - start
        self.cpu += time.process_time() - cpu
        return out


def report(label: str, results: list[Result], verbose: bool) -> None:
    scoped = [r for r in results if r.item.expected is not None]
    oos = [r for r in results if r.item.expected is None]
    crisis = [r for r in results if r.item.expected == "crisis"]
    # A crisis heard in out-of-scope or other speech is a false alarm, counted separately.
    alarms = [r for r in results if r.item.expected != "crisis" and r.intent == "crisis"]
    rtf = sorted(r.decode / r.seconds for r in results)
    right = sum(r.right for r in scoped)
    if verbose:
        for r in results:
            if not r.right:
                print(
                    f"  BAD {r.item.expected!s:18} {r.item.text[:40]:40} -> "
                    f"{r.transcript[:40]:40} {r.intent}"
                )
    print(f"{label}:")
    print(f"  intents right   {right}/{len(scoped)} = {right / len(scoped):.1%}")
    fa = sum(r.intent is not None for r in oos)
    print(f"  out-of-scope false accepts {fa}/{len(oos)} = {fa / len(oos):.1%}")
    caught = sum(r.intent == "crisis" for r in crisis)
    print(
        f"  crisis recall   {caught}/{len(crisis)} = {caught / len(crisis):.1%}"
        f"  (false crisis alarms on other speech: {len(alarms)})"
    )
    cpu = sorted(r.cpu / r.seconds for r in results)
    for name, values in (("wall clock", rtf), ("CPU time", cpu)):
        p90 = values[int(0.9 * len(values))]
        print(f"  RTF ({name:10}) median {statistics.median(values):.3f}, p90 {p90:.3f}")
    near2 = [r.tail for r in results if 1.6 <= r.seconds <= 2.4]
    if near2:
        print(
            f"  end of speech -> intent, {len(near2)} utterances of 1.6-2.4 s: "
            f"median {statistics.median(near2) * 1000:.0f} ms, max {max(near2) * 1000:.0f} ms"
        )


def grammar_times(rec: Recognizer, u: Understanding) -> None:
    grammars = Grammars(u)
    for state in (ListenFor.COMMAND, ListenFor.NUMBER, ListenFor.YES_NO, ListenFor.COMMAND):
        start = time.perf_counter()
        g = grammars.for_listen(state)
        rec.set_mode(g.mode, g.phrases, g.never_reject)
        took = time.perf_counter() - start
        print(f"  set_mode {state.value:8} ({len(g.phrases):5} sentences): {took * 1000:7.1f} ms")


def state_rtf(rec: Recognizer, u: Understanding, audio: list[Any]) -> None:
    """RTF of the small per-state grammars, on the same audio (accuracy not scored)."""
    grammars = Grammars(u)
    for state in (ListenFor.NUMBER, ListenFor.YES_NO):
        g = grammars.for_listen(state)
        rec.set_mode(g.mode, g.phrases, g.never_reject)
        rtf, cpu = [], []
        for samples in audio[:60]:
            pcm = from_float(samples, RATE).samples
            start, cpu_start = time.perf_counter(), time.process_time()
            transcribe(rec, pcm)
            rtf.append((time.perf_counter() - start) / (len(pcm) / (2 * RATE)))
            cpu.append((time.process_time() - cpu_start) / (len(pcm) / (2 * RATE)))
        print(
            f"  {state.value:8} grammar (with the rejection check) RTF median "
            f"{statistics.median(rtf):.3f} wall clock, {statistics.median(cpu):.3f} CPU"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--engine", default="pocketsphinx", choices=("pocketsphinx", "vosk"))
    parser.add_argument("--snr", type=float, default=10.0, help="pink-noise SNR in dB")
    parser.add_argument("--clean-only", action="store_true", help="skip the noisy run")
    parser.add_argument("-v", "--verbose", action="store_true", help="list the misses")
    args = parser.parse_args()
    from voice_coach.paths import resolve_paths
    from voice_coach.recognition.select import create_recognizer
    from voice_coach.settings import Settings

    items = load_items()
    start = time.perf_counter()
    audio = render(items)
    print(f"{len(items)} phrases rendered/loaded in {time.perf_counter() - start:.1f} s")
    u = Understanding.load()
    start = time.perf_counter()
    rec = create_recognizer(Settings(), resolve_paths(), args.engine)
    print(f"{rec.name} load: {time.perf_counter() - start:.2f} s")
    grammar_times(rec, u)
    report("clean Piper speech", run(rec, u, items, audio, None), args.verbose)
    if not args.clean_only:
        report(
            f"pink noise, {args.snr:g} dB SNR", run(rec, u, items, audio, args.snr), args.verbose
        )
    state_rtf(rec, u, audio)


if __name__ == "__main__":
    main()
