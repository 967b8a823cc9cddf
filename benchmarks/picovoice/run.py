"""Run the benchmark: every utterance, clean and at each SNR, through recognizer + understanding.

Each worker process loads the coach's own pieces once — `create_recognizer`
in command mode with the coffee sentences, `Understanding` over the coffee
intents (plus the shipped crisis safety net, which the understanding layer
insists on) — then decodes utterances in 0.1 s chunks as from a microphone.
Every (utterance, SNR) pair gets its own noise segment from a fixed seed.

Decoding order is fixed and deliberate, because PocketSphinx's running
cepstral mean carries over from one utterance to the next: each condition
(clean, each SNR) is decoded by its own fresh process, recordings in name
order. Names are random ids, so each utterance follows another speaker at the
same noise level: a household where the coach hears a new voice each time,
harder than one person speaking again and again. Two workers run two
conditions at a time; results do not depend on scheduling.

    .venv/bin/python -m benchmarks.picovoice.run [--limit N] [--out FILE]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import front_end_settings
from benchmarks.picovoice.data import DATA_DIR, Utterance, load_utterances, read_audio, to_pcm16
from benchmarks.picovoice.noise import mix, noise_segment
from benchmarks.picovoice.score import is_correct, to_benchmark
from benchmarks.workers import run_pieces
from voice_coach.paths import resolve_paths
from voice_coach.recognition import Recognizer
from voice_coach.recognition.select import create_recognizer
from voice_coach.recognition.wavfile import chunks
from voice_coach.resources import intents_dir
from voice_coach.settings import Settings, from_dict
from voice_coach.understanding import Understanding
from voice_coach.understanding.intents import Intents

log = logging.getLogger(__name__)

INTENTS_DIR = Path(__file__).resolve().parent / "intents"
COFFEE_INTENT = "order_drink"
SNRS: tuple[float | None, ...] = (None, 24, 21, 18, 15, 12, 9, 6)
"""None is the clean recording; the rest are kitchen-noise SNRs in dB."""
SEED = 20220601
"""Seed of every noise segment choice (mixed with the utterance index and the SNR)."""
ORDER = "one fresh process per condition, recordings in name order"
"""How utterances are decoded (the recognizer's state carries from one to the next)."""
MAX_EXAMPLES = 12
"""Wrong answers kept per condition in the result, for reading what went wrong."""

PUBLISHED: dict[str, Any] = {
    "source": "Picovoice/speech-to-intent-benchmark (commit 47b1ca6), README table",
    "noise": "kitchen",
    "snrs": [6, 9, 12, 15, 18, 21, 24],
    "engines": {
        "Picovoice Rhino": [0.96, 0.97, 0.98, 0.99, 0.99, 0.99, 0.99],
        "Microsoft LUIS": [0.86, 0.89, 0.90, 0.91, 0.92, 0.93, 0.93],
        "IBM Watson": [0.72, 0.84, 0.89, 0.93, 0.95, 0.95, 0.96],
        "Amazon Lex": [0.80, 0.84, 0.85, 0.87, 0.87, 0.87, 0.88],
        "Google Dialogflow": [0.70, 0.78, 0.78, 0.80, 0.81, 0.82, 0.83],
    },
    "mean_cafe_and_kitchen": {
        "Picovoice Rhino": 0.976,
        "Microsoft LUIS": 0.899,
        "IBM Watson": 0.868,
        "Amazon Lex": 0.845,
        "Google Dialogflow": 0.776,
    },
}
"""The published command acceptance rates, as data, so a report can put ours beside them."""


def load_understanding(folder: Path = INTENTS_DIR) -> Understanding:
    """The coffee intents through our loader, with the coach's crisis intent (always on)."""
    shipped = Intents.from_files(intents_dir("en"))
    safety = Intents({"crisis": shipped.intents["crisis"]}, shipped.lists, shipped.rules)
    return Understanding(Intents.merge([Intents.from_files(folder), safety]))


@dataclass(frozen=True)
class _Task:
    index: int
    utterance: Utterance
    snr: float | None


@dataclass(frozen=True)
class _Outcome:
    index: int
    snr: float | None
    transcript: str
    intent: str | None
    slots: dict[str, str]
    audio_seconds: float
    decode_seconds: float
    understand_seconds: float


class _Worker:
    """One process's recognizer, understanding and noise, loaded once."""

    def __init__(
        self, engine: str, data_dir: Path, verify: bool, front_end: str, grammar: str
    ) -> None:
        self.understanding = load_understanding()
        sentences = self.understanding.sentences([COFFEE_INTENT])
        # A fresh data folder: no voice state saved by the person using this machine.
        # It still sees the installed models (a worker that cannot load its engine would
        # make the pool start a new one forever).
        paths = resolve_paths(tempfile.mkdtemp(prefix="vc-picovoice-"))
        installed = resolve_paths().models_dir
        if installed.is_dir():
            paths.data_dir.mkdir(parents=True, exist_ok=True)
            paths.models_dir.symlink_to(installed, target_is_directory=True)
        self.recognizer: Recognizer = create_recognizer(
            from_dict({**front_end_settings(front_end), "command_grammar": grammar}),
            paths,
            engine,
            verify=verify,
        )
        self.recognizer.set_mode(
            "command", phrases=sentences, graph=self.understanding.graph([COFFEE_INTENT])
        )
        self.noise = read_audio(Path(data_dir) / "kitchen-noise.flac")
        self.sentence_count = len(sentences)

    def run(self, task: _Task) -> _Outcome:
        speech = read_audio(task.utterance.path)
        if task.snr is not None:
            rng = np.random.default_rng([SEED, task.index, round(task.snr * 10)])
            speech = mix(speech, noise_segment(self.noise, len(speech), rng), task.snr)
        pcm = to_pcm16(speech)
        start = time.perf_counter()
        for chunk in chunks(pcm):
            self.recognizer.accept(chunk)
        transcript = self.recognizer.finish()
        decoded = time.perf_counter()
        match = self.understanding.recognize(transcript.text)
        understood = time.perf_counter()
        intent, slots = to_benchmark(match.intent, match.slots)
        return _Outcome(
            task.index,
            task.snr,
            transcript.text,
            intent,
            slots,
            len(pcm) / 2 / 16000,
            decoded - start,
            understood - decoded,
        )


_worker: _Worker | None = None


def _init_worker(engine: str, data_dir: Path, verify: bool, front_end: str, grammar: str) -> None:
    global _worker
    logging.getLogger("voice_coach").setLevel(logging.WARNING)
    _worker = _Worker(engine, data_dir, verify, front_end, grammar)


def _run_task(task: _Task) -> _Outcome:
    if _worker is None:
        raise RuntimeError("worker not initialised")
    return _worker.run(task)


def run_picovoice(
    engine: str = "pocketsphinx",
    snrs: Sequence[float | None] = SNRS,
    limit: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    *,
    workers: int = 2,
    verify: bool = False,
    data_dir: Path = DATA_DIR,
    front_end: str | None = None,
    command_grammar: str | None = None,
) -> dict[str, Any]:
    """Score `engine` on the benchmark; per-SNR acceptance rates, counts, RTF, published figures.

    `limit` takes the first N utterances (sorted by name) for a quick run.
    `verify` turns on the recognizer's open-vocabulary rejection check, as the
    coach runs it; off by default because every utterance here is in scope
    and the check doubles the decoding time. `progress(done, total)` is
    called after each decoded utterance.
    """
    started = time.perf_counter()
    front_end = front_end or Settings().front_end
    command_grammar = command_grammar or Settings().command_grammar
    utterances = load_utterances(data_dir, limit)
    tasks = [_Task(i, u, snr) for i, u in enumerate(utterances) for snr in snrs]
    total = len(tasks)
    pieces = [[t for t in tasks if t.snr == snr] for snr in snrs]
    processes = max(1, min(workers, len(pieces)))
    outcomes = run_pieces(
        pieces,
        _run_task,
        processes,
        method="fork",
        initializer=_init_worker,
        initargs=(engine, Path(data_dir), verify, front_end, command_grammar),
        progress=None if progress is None else lambda done: progress(done, total),
    )
    wall = time.perf_counter() - started
    conditions = [_condition(snr, utterances, outcomes) for snr in snrs]
    return {
        "benchmark": "picovoice-speech-to-intent",
        "engine": engine,
        "verify": verify,
        "utterances": len(utterances),
        "conditions": conditions,
        "published": PUBLISHED,
        "wall_seconds": round(wall, 1),
        "workers": processes,
        "seed": SEED,
        "order": ORDER,
        "front_end": front_end,
        "command_grammar": command_grammar,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {"platform": platform.platform(), "cpus": os.cpu_count()},
    }


def _condition(
    snr: float | None, utterances: Sequence[Utterance], outcomes: Sequence[_Outcome]
) -> dict[str, Any]:
    mine = sorted((o for o in outcomes if o.snr == snr), key=lambda o: o.index)
    correct = 0
    not_understood = 0
    examples: list[dict[str, Any]] = []
    right: list[str] = []
    for o in mine:
        u = utterances[o.index]
        ok = is_correct(u.intent, u.slots, o.intent, o.slots)
        correct += ok
        if ok:
            right.append(u.name)
        not_understood += o.intent is None
        if not ok and len(examples) < MAX_EXAMPLES:
            examples.append(
                {"file": u.name, "heard": o.transcript, "got": o.slots, "expected": u.slots}
            )
    audio = sum(o.audio_seconds for o in mine)
    decode = sum(o.decode_seconds for o in mine)
    return {
        "snr": snr,
        "label": "clean" if snr is None else f"{snr:g} dB",
        "total": len(mine),
        "correct": correct,
        "not_understood": not_understood,
        "accuracy": round(correct / len(mine), 4) if mine else None,
        "audio_seconds": round(audio, 1),
        "decode_seconds": round(decode, 1),
        "rtf": round(decode / audio, 4) if audio else None,
        "understand_ms_mean": round(1000 * sum(o.understand_seconds for o in mine) / len(mine), 1)
        if mine
        else None,
        "wrong_examples": examples,
        "correct_files": right,
    }


def table(result: dict[str, Any]) -> str:
    """Ours beside the published engines, one row per engine, SNRs as columns (Markdown)."""
    snrs = result["published"]["snrs"]
    ours = {c["snr"]: c["accuracy"] for c in result["conditions"]}
    head = ["engine", *(f"{s} dB" for s in snrs), "clean"]
    rows = [f"| {' | '.join(head)} |", "|" + "---|" * len(head)]

    def cell(value: float | None) -> str:
        return "" if value is None else f"{value:.2f}"

    name = f"Voice Coach ({result['engine']})"
    rows.append(
        f"| {name} | "
        + " | ".join(cell(ours.get(s)) for s in snrs)
        + f" | {cell(ours.get(None))} |"
    )
    for engine, values in result["published"]["engines"].items():
        rows.append(f"| {engine} | " + " | ".join(cell(v) for v in values) + " |  |")
    return "\n".join(rows)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--engine", default="pocketsphinx", help="pocketsphinx, vosk or auto")
    parser.add_argument("--limit", type=int, default=None, help="only the first N utterances")
    parser.add_argument("--snrs", default=None, help="comma list, 'clean' for no noise")
    parser.add_argument("--verify", action="store_true", help="keep the rejection check on")
    parser.add_argument("--out", type=Path, default=None, help="write the JSON result here")
    parser.add_argument(
        "--front-end", default=None, help="rnnoise, webrtc, speex or none; NAME:MIX sets raw_mix"
    )
    parser.add_argument("--workers", type=int, default=2, help="decoding processes")
    parser.add_argument(
        "--command-grammar", default=None, help="compiled or expanded (PocketSphinx)"
    )
    args = parser.parse_args(argv)
    snrs: Sequence[float | None] = SNRS
    if args.snrs:
        snrs = [None if s == "clean" else float(s) for s in args.snrs.split(",")]
    last = [0.0]

    def report(done: int, total: int) -> None:
        if time.perf_counter() - last[0] > 30 or done == total:
            last[0] = time.perf_counter()
            print(f"{done}/{total}", file=sys.stderr, flush=True)

    result = run_picovoice(
        args.engine,
        snrs,
        args.limit,
        report,
        verify=args.verify,
        front_end=args.front_end,
        workers=args.workers,
        command_grammar=args.command_grammar,
    )
    text = json.dumps(result, indent=2)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n", encoding="utf-8")
    print(table(result))
    print(f"wall time {result['wall_seconds']} s with {result['workers']} workers")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
