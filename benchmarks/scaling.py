"""Section 4: how load time, grammar build, matching and memory grow with the sentence count.

Synthetic intents (templates over real dictionary words) are added through
the same loader (`Intents.from_dict` + `Intents.merge`) until the sentences
the templates accept (counted, not listed) are about N times the shipped set.
Each size runs in its own child process (`python -m benchmarks.scaling
--child N`) so its memory is its own.

Understanding (load and match) is measured first, its peak memory read before
anything else runs: that is what issue 10's targets are about (`TARGETS`, at
100×). Then the recognizer builds its top-level grammar: PocketSphinx counts
its n-gram LM off the compiled graph (`recognition/graph_lm.py`), listing no
sentence (`sentences_listed` says so); the last peak includes it. Run a
child twice with the same `VOICE_COACH_HOME` to see the cached LM's time.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from typing import Any

from benchmarks.common import ROOT, Progress, RunSize, peak_rss_mb, percentile

TEMPLATE = (
    "(please|can you|i want to|i'd like to|help me) (start|open|begin|try|do) [the|my|a] "
    "({a}|{b}) (routine|session|exercise|practice|plan|check) [now|today|please|again]"
)
PER_INTENT = 5 * 5 * 4 * 2 * 6 * 5
"""Sentences one synthetic intent expands to."""
CHILD_TIMEOUT = 420.0
MATCH_TEXTS = 40
TARGET_FACTOR = 100
TARGETS = {"load_s": 5.0, "understanding_rss_mb": 500.0, "match_p50_ms": 10.0}
"""Issue 10, at `TARGET_FACTOR` × the shipped sentences: each figure at most this."""


def topic_words(count: int) -> list[str]:
    """Plain dictionary words (PocketSphinx knows them), picked evenly and deterministically."""
    from pocketsphinx import get_model_path

    words: list[str] = []
    with open(f"{get_model_path('en-us')}/cmudict-en-us.dict", encoding="utf-8") as handle:
        for line in handle:
            word = line.split(" ", 1)[0]
            if word.isalpha() and word.islower() and 5 <= len(word) <= 8:
                words.append(word)
    step = max(1, len(words) // max(count, 1))
    return words[::step][:count]


def synthetic(extra_sentences: int) -> dict[str, Any]:
    """An intents document whose expansion adds about `extra_sentences` sentences."""
    intents = max(0, round(extra_sentences / PER_INTENT))
    words = topic_words(2 * intents)
    return {
        "intents": {
            f"synthetic_{i}": {"sentences": [TEMPLATE.format(a=words[2 * i], b=words[2 * i + 1])]}
            for i in range(intents)
        }
    }


def run_child(factor: int) -> dict[str, Any]:
    """Build understanding and the top-level grammar at `factor` × the shipped sentences."""
    from benchmarks.common import cache_root
    from benchmarks.corpus import Phrase, Renderer, load_phrases, spread
    from benchmarks.latency import decode_files
    from voice_coach.messages import Listen, ListenFor
    from voice_coach.paths import resolve_paths
    from voice_coach.recognition.grammar import Grammars, Listed, listen_with
    from voice_coach.recognition.select import create_recognizer
    from voice_coach.recognition.wavfile import read_wav
    from voice_coach.resources import intents_dir
    from voice_coach.settings import Settings
    from voice_coach.understanding import Understanding
    from voice_coach.understanding.intents import Intents

    started = time.perf_counter()
    base = Intents.from_files(intents_dir("en"))
    shipped = Understanding(base).sentence_count()
    extra = Intents.from_dict(synthetic((factor - 1) * shipped), "<synthetic>")
    merged = Intents.merge([base, extra])
    started = time.perf_counter()
    understanding = Understanding(merged)
    sentences = understanding.sentence_count()
    load_s = time.perf_counter() - started

    texts = [p.text for p in spread(load_phrases(), MATCH_TEXTS)]
    match_ms = []
    for text in texts:
        t0 = time.perf_counter()
        understanding.recognize(text)
        match_ms.append((time.perf_counter() - t0) * 1000)
    understanding_rss = peak_rss_mb()
    row: dict[str, Any] = {
        "factor": factor,
        "sentences": sentences,
        "load_s": round(load_s, 2),
        "match_p50_ms": round(percentile(match_ms, 50), 2),
        "match_p95_ms": round(percentile(match_ms, 95), 2),
        "understanding_rss_mb": understanding_rss,
    }
    print(json.dumps(row), flush=True)  # kept if the recognizer's part runs out of time

    recognizer = create_recognizer(Settings(), resolve_paths(), "pocketsphinx")
    started = time.perf_counter()
    grammar = listen_with(recognizer, Grammars(understanding), Listen(ListenFor.COMMAND, 20.0))
    build_s = time.perf_counter() - started

    renderer = Renderer(cache_root())
    files = [
        read_wav(renderer.render(Phrase(phrase.text, None), "piper@1.0"))
        for phrase in spread(load_phrases(), 4)
    ]
    work, _cpu, audio = decode_files(recognizer, files)
    return {
        **row,
        # The top level's sentences are counted off the graph, never listed (`Listed`).
        "grammar_arcs": len(grammar.graph.arcs) if grammar.graph is not None else 0,
        "sentences_listed": not isinstance(grammar.phrases, Listed) or grammar.phrases.listed,
        "grammar_build_s": round(build_s, 2),
        "command_rtf": round(work / audio, 3),
        "peak_rss_mb": peak_rss_mb(),
    }


def run_scaling(size: RunSize) -> dict[str, Any]:
    factors = (1, 2) if size.tiny else (1, 10) if size.quick else (1, 10, 100)
    bar = Progress("scaling", len(factors))
    rows: list[dict[str, Any]] = []
    for factor in factors:
        try:
            done = subprocess.run(
                [sys.executable, "-m", "benchmarks.scaling", "--child", str(factor)],
                cwd=ROOT.parent,
                capture_output=True,
                text=True,
                timeout=CHILD_TIMEOUT,
            )
            if done.returncode == 0:
                rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
            else:
                rows.append({"factor": factor, "error": done.stderr.strip()[-300:]})
        except subprocess.TimeoutExpired as exc:
            late = f"did not finish in {CHILD_TIMEOUT:.0f} s"
            out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else exc.stdout or ""
            lines = out.strip().splitlines()
            if lines:  # understanding was measured; the recognizer's grammar ran out of time
                rows.append({**json.loads(lines[-1]), "grammar_error": late})
            else:
                rows.append({"factor": factor, "error": late})
        bar()
    return {"rows": rows, "template": TEMPLATE, "targets": targets_met(rows)}


def targets_met(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each target of `TARGETS` with the figure measured at `TARGET_FACTOR` (if it ran)."""
    row = next((r for r in rows if r.get("factor") == TARGET_FACTOR and "error" not in r), None)
    return [
        {
            "measure": name,
            "target": limit,
            "value": None if row is None else row[name],
            "met": None if row is None else row[name] <= limit,
        }
        for name, limit in TARGETS.items()
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description="child process of the scaling benchmark")
    parser.add_argument("--child", type=int, required=True, metavar="FACTOR")
    print(json.dumps(run_child(parser.parse_args().child)), flush=True)


if __name__ == "__main__":
    main()
