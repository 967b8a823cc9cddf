"""Section 3b: start-up time to listening, peak memory of the run pipeline, journal writes.

Start-up is measured like `voice-coach run` starts: to the moment everything is
loaded and the greeting can begin (the first grammar is built while it plays,
and is reported as its own phase).

Start-up and memory are measured in a fresh child process (`python -m
benchmarks.footprint --child`) that sets up what `voice-coach run` sets up —
recognizer, voice, prompt cache, understanding, journal — and runs the real
`VoiceLoop` over a few recorded requests. The parent times the child from
launch (interpreter start and imports included) until the top-level grammar
is active; the child reports each set-up phase. The greeting (played before
the loop first listens) is not counted.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, RunSize, peak_rss_mb, summary_ms

READY = "READY"
CHILD_TIMEOUT = 300.0


def run_child(engine: str) -> None:
    """The child: set up like `voice-coach run`, report readiness, run a few turns, exit."""
    launched = time.monotonic()
    from voice_coach.app import open_coach
    from voice_coach.audio_io.doubles import RecordingSpeaker, WavMicrophone
    from voice_coach.clock import SystemClock
    from voice_coach.messages import Listen, ListenFor
    from voice_coach.paths import resolve_paths
    from voice_coach.recognition.grammar import listen_with
    from voice_coach.settings import Settings
    from voice_coach.voice_loop import VoiceLoop
    from voice_coach.voice_setup import load_voice_parts

    audio = Path(sys.argv[-1])
    phases: dict[str, float] = {"imports": time.monotonic() - launched}

    def phase(name: str, since: float) -> float:
        now = time.monotonic()
        phases[name] = round(now - since, 3)
        return now

    with tempfile.TemporaryDirectory() as tmp:
        mark = time.monotonic()
        paths = resolve_paths(tmp)
        settings = Settings(name="Sam", engine=engine)
        # The same start-up as `voice-coach run`: voice loaded beside recognizer and intents.
        parts = load_voice_parts(settings, paths, RecordingSpeaker())
        mark = phase("recognizer_voice_and_intents", mark)
        with open_coach(paths, settings, SystemClock()) as coach:
            phase("journal_and_coach", mark)
            # `run` speaks its greeting here while the first grammar is built; ready to talk.
            print(f"{READY} {time.monotonic() - launched:.3f} {json.dumps(phases)}", flush=True)
            mark = time.monotonic()
            listen_with(
                parts.recognizer, parts.grammars, Listen(ListenFor.COMMAND, math.inf, idle=True)
            )
            phase("first_grammar_during_greeting", mark)
            print(f"PHASES {json.dumps(phases)}", flush=True)
            microphone = WavMicrophone(audio, lead_silence=0.5, trail_silence=1.5)
            VoiceLoop(
                coach, microphone, parts.speech, parts.recognizer, parts.grammars, settings
            ).run()
    print(json.dumps({"peak_rss_mb": peak_rss_mb()}), flush=True)


def measure_pipeline(engine: str = "pocketsphinx") -> dict[str, Any]:
    """Launch the child; returns start-up seconds and its peak resident memory."""
    from benchmarks.common import cache_root
    from benchmarks.corpus import Phrase, Renderer

    request = Renderer(cache_root()).render(
        Phrase("i'm having a really strong urge", None), "piper@1.0"
    )
    started = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.footprint", "--child", engine, str(request)],
        cwd=ROOT.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    ready: float | None = None
    inside: float | None = None
    phases: dict[str, float] = {}
    result: dict[str, Any] = {}
    for line in child.stdout or ():
        if line.startswith(READY) and ready is None:
            ready = time.monotonic() - started
            inside = float(line.split()[1])
            phases = json.loads(line.split(" ", 2)[2])
        elif line.startswith("PHASES "):
            phases = json.loads(line.split(" ", 1)[1])
        elif line.startswith("{"):
            result = json.loads(line)
    child.wait(timeout=CHILD_TIMEOUT)
    if child.returncode != 0:
        return {"error": child.stderr.read()[-500:] if child.stderr else "failed"}
    return {
        "engine": engine,
        "startup_to_listening_s": round(ready, 2) if ready is not None else None,
        "startup_after_interpreter_s": round(inside, 2) if inside is not None else None,
        "startup_phases_s": phases,
        "peak_rss_mb": result.get("peak_rss_mb"),
        "targets": {"startup_to_listening_s": 3.0, "peak_rss_mb": 400},
    }


def journal_latency(writes: int) -> dict[str, Any]:
    """Time single journal writes (each its own transaction, as the coach does them)."""
    from voice_coach.journal.store import Journal

    times: list[float] = []
    with tempfile.TemporaryDirectory() as tmp, Journal.open(Path(tmp) / "journal.db") as journal:
        session = journal.start_session("check_in", datetime.now())
        for index in range(writes):
            started = time.perf_counter()
            journal.record_answer(session, f"q{index}", "How are you?", "fine", 5.0, datetime.now())
            times.append(time.perf_counter() - started)
        journal.end_session(session, "completed", datetime.now())
    return summary_ms(times)


def run_footprint(size: RunSize) -> dict[str, Any]:
    writes = size.cap(50 if size.quick else 500) or 50
    return {"pipeline": measure_pipeline(), "journal_write": journal_latency(writes)}


def main() -> None:
    parser = argparse.ArgumentParser(description="child process of the footprint benchmark")
    parser.add_argument("--child", metavar="ENGINE", required=True)
    parser.add_argument("audio")
    args = parser.parse_args()
    run_child(args.child)


if __name__ == "__main__":
    main()
