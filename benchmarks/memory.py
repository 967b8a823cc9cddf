"""Where `voice-coach run`'s memory goes: resident memory after each part is loaded.

A fresh child process (`python -m benchmarks.memory --child`) loads the parts
of voice mode one at a time, in the order `voice-coach run` loads them, and
reports its resident set (VmRSS) and peak (VmHWM) after each. The difference
from the previous step is that part's share. Shared libraries count when first
touched, so "numpy" includes the numpy C libraries and "onnxruntime import"
the runtime's own code; the voice's weights land in "Piper voice".
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, RunSize

CHILD_TIMEOUT = 300.0


def _status() -> tuple[float, float]:
    """(VmRSS, VmHWM) of this process in MB."""
    rss = hwm = 0.0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            rss = int(line.split()[1]) / 1024
        elif line.startswith("VmHWM:"):
            hwm = int(line.split()[1]) / 1024
    return round(rss, 1), round(hwm, 1)


def run_child() -> None:
    """Load each part in turn; print one JSON line per step."""
    steps: list[dict[str, Any]] = []

    def step(name: str, started: float) -> None:
        rss, hwm = _status()
        took = round(time.monotonic() - started, 3)
        steps.append({"part": name, "rss_mb": rss, "peak_mb": hwm, "seconds": took})

    mark = time.monotonic()
    import voice_coach.settings  # noqa: F401  (the interpreter plus our own small modules)

    step("Python + voice_coach modules", mark)
    mark = time.monotonic()
    import numpy  # noqa: F401

    step("numpy", mark)
    mark = time.monotonic()
    import onnxruntime  # type: ignore[import-untyped,unused-ignore]  # noqa: F401

    step("onnxruntime import", mark)
    from voice_coach.paths import resolve_paths
    from voice_coach.settings import Settings
    from voice_coach.speech.piper_voice import PiperSynthesizer

    mark = time.monotonic()
    synth = PiperSynthesizer.from_setting("")
    synth.load()
    step("Piper voice (session)", mark)
    mark = time.monotonic()
    list(synth.synthesize("On a scale from zero to ten, how strong is the urge right now?"))
    step("Piper first synthesis (working memory)", mark)
    with tempfile.TemporaryDirectory() as tmp:
        paths = resolve_paths(tmp)
        settings = Settings(name="Sam", engine="pocketsphinx")
        from voice_coach.recognition.select import create_recognizer

        mark = time.monotonic()
        recognizer = create_recognizer(settings, paths, "pocketsphinx")
        step("PocketSphinx decoders", mark)
        from voice_coach.understanding import Understanding

        mark = time.monotonic()
        understanding = Understanding.load().wait()  # it loads on a background thread
        step("intents: matcher index", mark)
        from voice_coach.messages import Listen, ListenFor
        from voice_coach.recognition.grammar import Grammars, listen_with

        mark = time.monotonic()
        grammars = Grammars(understanding)
        listen_with(recognizer, grammars, Listen(ListenFor.COMMAND, 30.0, idle=True))
        step("top-level grammar (expanded sentences + command LM)", mark)
        mark = time.monotonic()
        for kind in (ListenFor.NUMBER, ListenFor.YES_NO, ListenFor.FREE):
            listen_with(recognizer, grammars, Listen(kind, 30.0))
        step("answer grammars (number, yes/no, dictation)", mark)
        mark = time.monotonic()
        understanding.recognize("i'm having a really strong urge")
        understanding.recognize("seven", allowed={"number"})
        step("first matches", mark)
    print(json.dumps({"steps": steps}), flush=True)


def measure_memory() -> dict[str, Any]:
    """Run the child; each part's share of resident memory, and the peak."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.memory", "--child"],
        cwd=ROOT.parent,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
    )
    if done.returncode != 0:
        return {"error": done.stderr[-500:]}
    steps = json.loads(done.stdout.strip().splitlines()[-1])["steps"]
    previous = 0.0
    for row in steps:
        row["share_mb"] = round(row["rss_mb"] - previous, 1)
        previous = row["rss_mb"]
    return {"steps": steps, "final_rss_mb": steps[-1]["rss_mb"], "peak_mb": steps[-1]["peak_mb"]}


def run_memory(size: RunSize) -> dict[str, Any]:
    return measure_memory()


if __name__ == "__main__":
    if "--child" in sys.argv:
        run_child()
    else:
        print(json.dumps(measure_memory(), indent=2))
