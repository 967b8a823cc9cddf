"""Section 5: the cost of starting — `voice-coach intent hello` and loading the understanding.

`Understanding.load()` returns at once and loads on a background thread; the
"load" figure waits for it (`.wait()`): the time until everything is usable.

Each figure is the median of fresh processes (nothing warm in memory), with the
matcher's index cached on disk ("warm", the normal case after the first start)
and with the cache folder emptied first ("cold": the first start, or after the
templates changed). Quote them with the load average: this machine is shared.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, RunSize

REPO = ROOT.parent
TARGET_INTENT_S = 0.5
"""`voice-coach intent hello` on this machine, idle, with the index cached (issue 14)."""
LOAD_SNIPPET = (
    "import time; t = time.perf_counter(); "
    "from voice_coach.understanding import Understanding; Understanding.load().wait(); "
    "print(time.perf_counter() - t)"
)


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ, VOICE_COACH_HOME=str(home))
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def _wall(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, cwd=REPO, check=True, capture_output=True)
    return time.perf_counter() - start


def _inside(env: dict[str, str]) -> float:
    done = subprocess.run([sys.executable, "-c", LOAD_SNIPPET], env=env, cwd=REPO, check=True,
                          capture_output=True, text=True)
    return float(done.stdout.strip())


def run_startup(size: RunSize) -> dict[str, Any]:
    runs = size.cap(2 if size.tiny else 5 if size.quick else 9) or 1
    intent = [sys.executable, "-m", "voice_coach", "intent", "hello"]
    figures: dict[str, list[float]] = {k: [] for k in
                                       ("intent_cold", "intent_warm", "load_cold", "load_warm")}
    load_before = [round(x, 2) for x in os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="vc-startup-") as folder:
        home = Path(folder)
        env = _env(home)
        cache = home / "cache" / "understanding"
        for _ in range(runs):
            shutil.rmtree(cache, ignore_errors=True)
            figures["intent_cold"].append(_wall(intent, env))
            figures["intent_warm"].append(_wall(intent, env))
            shutil.rmtree(cache, ignore_errors=True)
            figures["load_cold"].append(_inside(env))
            figures["load_warm"].append(_inside(env))
        index_bytes = sum(p.stat().st_size for p in cache.glob("*.json"))
    medians = {k: round(statistics.median(v), 3) for k, v in figures.items()}
    return {
        "runs": runs,
        "median_s": medians,
        "warm_over_cold": {
            "intent": round(medians["intent_warm"] / medians["intent_cold"], 2),
            "load": round(medians["load_warm"] / medians["load_cold"], 2),
        },
        "index_kb": round(index_bytes / 1024),
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "targets": {"intent_warm_s": TARGET_INTENT_S},
    }


def startup_md(section: dict[str, Any] | None) -> str:
    if not section:
        return "_Not run._"
    if "error" in section:
        return f"_Failed: {section['error']}_"
    m = section["median_s"]
    return "\n".join([
        f"Median of {section['runs']} fresh processes each; load average "
        f"{section['load_average_before']} before, {section['load_average_after']} after.",
        "",
        "| | index cached (warm) | index rebuilt (cold) | warm / cold |",
        "|---|---:|---:|---:|",
        f"| `voice-coach intent hello`, wall | {m['intent_warm']:.2f} s | "
        f"{m['intent_cold']:.2f} s | {section['warm_over_cold']['intent']:.2f} |",
        f"| `Understanding.load()` (imports included) | {m['load_warm']:.2f} s | "
        f"{m['load_cold']:.2f} s | {section['warm_over_cold']['load']:.2f} |",
        "",
        f"Target: intent ≤ {section['targets']['intent_warm_s']} s warm on an idle machine. "
        f"Index on disk: {section['index_kb']} KB.",
    ])


if __name__ == "__main__":
    import json

    print(json.dumps(run_startup(RunSize(quick=True, limit=None)), indent=2))
