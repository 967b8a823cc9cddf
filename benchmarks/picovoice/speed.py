"""Decode speed of the ways PocketSphinx can decode the coffee grammar, timed side by side.

The benchmark's own RTFs depend on how loaded the machine is while each
condition runs, so they cannot compare two runs made at different times. Here
one process loads one recognizer per way and decodes each recording with every
one in turn, so all of them see the same load:

* the LM of the sampled sentences (no graph given: a listed set over JSGF_LIMIT);
* the exact template graph as the grammar, rejection check off;
* the same with the check on, as the coach runs it.

    .venv/bin/python -m benchmarks.picovoice.speed [--limit 20]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchmarks.picovoice.data import DATA_DIR, load_utterances, read_audio, to_pcm16
from benchmarks.picovoice.run import COFFEE_INTENT, load_understanding
from voice_coach.recognition.pocketsphinx_engine import PocketSphinxRecognizer
from voice_coach.recognition.wavfile import chunks


def measure(limit: int, data_dir: Path = DATA_DIR) -> dict[str, dict[str, float]]:
    """Per way: build seconds (`set_mode`) and the median and mean RTF over `limit` clean
    recordings, in name order."""
    understanding = load_understanding()
    sentences = understanding.sentences([COFFEE_INTENT])
    graph = understanding.graph([COFFEE_INTENT])
    ways = {
        "LM of the sampled sentences": (False, None),
        "graph FSG, check off": (False, graph),
        "graph FSG + graph-counted check": (True, graph),
    }
    recognizers: dict[str, PocketSphinxRecognizer] = {}
    built: dict[str, float] = {}
    for name, (verify, given) in ways.items():
        recognizer = PocketSphinxRecognizer(verify=verify, cache_dir=Path(tempfile.mkdtemp()))
        start = time.perf_counter()
        recognizer.set_mode("command", sentences, graph=given)
        built[name] = time.perf_counter() - start
        recognizers[name] = recognizer
    rtf: dict[str, list[float]] = {name: [] for name in ways}
    for utterance in load_utterances(data_dir, limit):
        pcm = to_pcm16(read_audio(utterance.path))
        for name, recognizer in recognizers.items():
            start = time.perf_counter()
            for chunk in chunks(pcm):
                recognizer.accept(chunk)
            recognizer.finish()
            rtf[name].append((time.perf_counter() - start) / (len(pcm) / 2 / 16000))
    return {
        name: {
            "build_s": round(built[name], 2),
            "rtf_median": round(statistics.median(values), 3),
            "rtf_mean": round(statistics.mean(values), 3),
            "utterances": len(values),
        }
        for name, values in rtf.items()
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--limit", type=int, default=20, help="the first N recordings")
    args = parser.parse_args(argv)
    for name, figures in measure(args.limit).items():
        print(
            f"{name}: build {figures['build_s']:.2f} s, RTF median {figures['rtf_median']:.3f},"
            f" mean {figures['rtf_mean']:.3f}, n={figures['utterances']:.0f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
