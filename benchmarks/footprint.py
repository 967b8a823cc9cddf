"""Section 3b: start-up time to listening, peak memory of the run pipeline, journal writes.

Start-up is measured like `voice-coach run` starts, for a returning person
whose fixed prompts are cached: to the greeting's first audio (the decoders,
the voice and the first grammar then load while it plays) and to the moment
the loop first listens, everything loaded.

Start-up and memory are measured in a fresh child process (`python -m
benchmarks.footprint --child`) that sets up what `voice-coach run` sets up —
recognizer, voice, prompt cache, understanding, journal — and runs the real
`VoiceLoop` over a few recorded requests. The parent times the child from
launch (interpreter start and imports included) to the greeting's first chunk
at the speaker and to the first listen; the child reports each set-up phase.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, RunSize, peak_rss_mb, summary_ms

READY = "READY"
GREETING = "GREETING"
CHILD_TIMEOUT = 300.0


def prepare_home() -> None:
    """A returning person's home (VOICE_COACH_HOME): first run done, the fixed greeting lines
    in the prompt cache and the matcher's index built (what any earlier run leaves behind)."""
    from voice_coach.dialogue import replies
    from voice_coach.dialogue.engine import PROFILE_FIRST_RUN
    from voice_coach.journal.store import Journal
    from voice_coach.paths import resolve_paths
    from voice_coach.settings import Settings
    from voice_coach.speech.cache import PromptCache, cache_dir
    from voice_coach.speech.piper_voice import PiperSynthesizer
    from voice_coach.speech.warm import warm
    from voice_coach.understanding import Understanding

    paths = resolve_paths()
    Understanding.load()
    with Journal.open(paths.journal_file) as journal:
        journal.set_profile(PROFILE_FIRST_RUN, datetime.now().isoformat())
    synthesizer = PiperSynthesizer.from_setting("")
    cache = PromptCache(cache_dir(paths), synthesizer.voice_id)
    warm(replies.greeting(""), synthesizer, cache, Settings().pace)


def run_child(engine: str, name: str) -> None:
    """The child: start like `voice-coach run`, report the greeting and readiness, run a turn."""
    launched = time.monotonic()
    from voice_coach.app import open_coach
    from voice_coach.audio_io.doubles import RecordingSpeaker, WavMicrophone
    from voice_coach.clock import SystemClock
    from voice_coach.paths import resolve_paths
    from voice_coach.settings import Settings
    from voice_coach.voice_loop import VoiceLoop
    from voice_coach.voice_setup import load_voice_parts

    audio = Path(sys.argv[-1])
    phases: dict[str, float] = {"imports": round(time.monotonic() - launched, 3)}

    def phase(name: str, since: float) -> float:
        now = time.monotonic()
        phases[name] = round(now - since, 3)
        return now

    def on_chunk(_chunk: object) -> None:
        if "first_greeting_audio_since_launch" not in phases:
            at = phases["first_greeting_audio_since_launch"] = round(time.monotonic() - launched, 3)
            # The process's CPU time so far, interpreter start included: disturbed less by the
            # load average than wall time. With a cached first line nothing else has run yet;
            # a rendered one ("Hello, Sam.") shares the time with the loads behind the greeting.
            phases["cpu_to_greeting"] = round(time.process_time(), 3)
            print(f"{GREETING} {at:.3f}", flush=True)

    def on_listening(_state: str, _expecting: str) -> None:
        if "first_listen_since_launch" not in phases:
            at = phases["first_listen_since_launch"] = round(time.monotonic() - launched, 3)
            print(f"{READY} {at:.3f} {json.dumps(phases)}", flush=True)

    mark = time.monotonic()
    paths = resolve_paths()
    settings = Settings(name=name, engine=engine, evening_reflection_time="off")
    # The same start-up as `voice-coach run`: intents and the prompt cache now, the
    # decoders and the voice in the background while the greeting plays.
    parts = load_voice_parts(settings, paths, RecordingSpeaker(on_chunk))
    mark = phase("intents_and_prompt_cache", mark)
    with open_coach(paths, settings, SystemClock()) as coach:
        phase("journal_and_coach", mark)
        microphone = WavMicrophone(audio, lead_silence=0.5, trail_silence=1.5)
        VoiceLoop(
            coach, microphone, parts.speech, parts.recognizer, parts.grammars, settings,
            on_listening=on_listening, warm_up=parts.warm_up,
        ).run()
    print(f"PHASES {json.dumps(phases)}", flush=True)
    print(json.dumps({"peak_rss_mb": peak_rss_mb()}), flush=True)


def measure_pipeline(engine: str = "pocketsphinx", name: str = "Sam") -> dict[str, Any]:
    """Launch the child; returns start-up seconds (to the greeting's first audio, and to
    listening with everything loaded) and its peak resident memory."""
    from benchmarks.common import cache_root
    from benchmarks.corpus import Phrase, Renderer

    request = Renderer(cache_root()).render(
        Phrase("i'm having a really strong urge", None), "piper@1.0"
    )
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, VOICE_COACH_HOME=home)
        command = [sys.executable, "-m", "benchmarks.footprint"]
        subprocess.run(
            [*command, "--prepare", str(request)], cwd=ROOT.parent, env=env, check=True,
            capture_output=True, timeout=CHILD_TIMEOUT,
        )
        started = time.monotonic()
        child = subprocess.Popen(
            [*command, "--child", engine, "--name", name, str(request)],
            cwd=ROOT.parent,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        ready: float | None = None
        greeting: float | None = None
        inside: float | None = None
        phases: dict[str, float] = {}
        result: dict[str, Any] = {}
        for line in child.stdout or ():
            if line.startswith(GREETING) and greeting is None:
                greeting = time.monotonic() - started
            elif line.startswith(READY) and ready is None:
                ready = time.monotonic() - started
                inside = float(line.split()[1])
            elif line.startswith("PHASES "):
                phases = json.loads(line.split(" ", 1)[1])
            elif line.startswith("{"):
                result = json.loads(line)
        child.wait(timeout=CHILD_TIMEOUT)
        if child.returncode != 0:
            return {"error": child.stderr.read()[-500:] if child.stderr else "failed"}
    return {
        "engine": engine,
        "greeting": "named (first line rendered, the rest cached)" if name else "cached",
        "startup_to_greeting_s": round(greeting, 2) if greeting is not None else None,
        "cpu_to_greeting_s": phases.get("cpu_to_greeting"),
        "startup_to_listening_s": round(ready, 2) if ready is not None else None,
        "startup_after_interpreter_s": round(inside, 2) if inside is not None else None,
        "startup_phases_s": phases,
        "peak_rss_mb": result.get("peak_rss_mb"),
        "targets": {"startup_to_greeting_s": 1.0, "startup_to_listening_s": 3.0,
                    "peak_rss_mb": 250},
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
    parser.add_argument("--child", metavar="ENGINE")
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--name", default="")
    parser.add_argument("audio")
    args = parser.parse_args()
    if args.prepare:
        prepare_home()
    else:
        run_child(args.child, args.name)


if __name__ == "__main__":
    main()
