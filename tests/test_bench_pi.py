"""`python -m benchmarks --pi`: a small run, pinned to one core, writes a well-formed report.

Figures depend on the machine and are not checked; the report's shape, the
pinning and the stated ratios are.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from benchmarks.pi import HERE_TARGETS, RATIOS, first_audio_estimate

ROOT = Path(__file__).resolve().parent.parent


def test_a_small_pi_proxy_run_writes_the_targets_table(tmp_path: Path) -> None:
    env = {**os.environ, "VOICE_COACH_BENCH_CACHE": str(tmp_path / "cache")}
    env["VOICE_COACH_BENCH_LIMIT"] = "1"
    env.pop("VOICE_COACH_PI_PROXY", None)
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--pi", "--quick", "--out", str(tmp_path / "out")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    reports = sorted((tmp_path / "out").iterdir())
    assert reports[0].name.endswith("-pi.json") and reports[1].name.endswith("-pi.md")
    report = json.loads(reports[0].read_text())
    section = report["sections"]["pi"]
    assert len(section["pinned_cpus"]) == 1
    assert section["threads_env"]["VOICE_COACH_TTS_THREADS"] == "1"
    assert section["piper"]["threads"] == 1
    for name in ("recognition", "piper", "latency", "endpointing", "footprint", "memory"):
        assert "error" not in section[name], section[name]
    rows = {row["key"]: row for row in section["estimates"]}
    assert set(rows) == set(HERE_TARGETS)
    for row in rows.values():
        assert row["here"] is not None and row["here"] > 0, row
        assert row["pi4"] >= row["here"], row  # a Pi core is never faster
    assert rows["peak_rss_mb"]["pi4"] == rows["peak_rss_mb"]["here"]
    parts = [step["part"] for step in section["memory"]["steps"]]
    assert any("Piper" in p for p in parts) and any("PocketSphinx" in p for p in parts)
    markdown = reports[1].read_text()
    assert "| measure | here (1 core) | target here | met | ratio | Pi 4 estimate |" in markdown
    for ratio in RATIOS.values():
        assert ratio.source[:40] in markdown
    assert "load average" in markdown.lower()
    assert "| state | speech | phrases | ended early | wrong cuts |" in markdown
    assert all(0 <= r["wrong_cut_pct"] <= 100 for r in section["endpointing"]["summary"])


def test_the_silence_wait_is_not_scaled_but_the_work_is() -> None:
    stages = {
        "speech_end_to_endpoint": {"p50_ms": 400.0},
        "endpoint_to_transcript": {"p50_ms": 30.0},
        "transcript_to_intent": {"p50_ms": 10.0},
        "intent_to_first_audio": {"p50_ms": 100.0},
        "speech_end_to_first_audio": {"p50_ms": 540.0},
    }
    cached = first_audio_estimate(stages, uncached=False)
    uncached = first_audio_estimate(stages, uncached=True)
    assert cached is not None and uncached is not None
    assert cached["pi4_ms"] == 400 + 30 * 7 + 10 * 7 + 100 * 7
    assert uncached["pi4_ms"] == round(400 + 30 * 7 + 10 * 7 + 100 * 8.4)
