"""`python -m benchmarks --pi`: the speed sections on one core, with a Raspberry Pi 4 estimate.

No Pi is at hand, so this is how the Pi targets are judged. The run is pinned
to one core (`taskset -c 0`, inherited by every child process) with one
thread per library (`OMP_NUM_THREADS=1`, ONNX Runtime through
`VOICE_COACH_TTS_THREADS=1`; PocketSphinx is single-threaded), so nothing here
gets help a Pi core would not. Each figure is then scaled by the per-core
ratio of the work it is made of (`RATIOS`, with their sources); waits that are
set in seconds (the endpoint silence) are not scaled, and memory is the same
on a Pi (the aarch64 wheels hold the same models).

Speeds are CPU time where the work is in this process (recognition and
synthesis RTF), which the other programs on a shared machine disturb less
than wall time; turn latency and start-up are wall time by nature, so the
report gives the load average beside them.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.common import RunSize, cache_root

PINNED_ENV = "VOICE_COACH_PI_PROXY"
"""Set in the re-executed, pinned process (so it does not re-execute again)."""
ONE_THREAD = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "VOICE_COACH_TTS_THREADS": "1",
}


@dataclass(frozen=True)
class Ratio:
    """How many times slower a Pi 4 core is than a core here, for one kind of work."""

    factor: float
    source: str


RATIOS: dict[str, Ratio] = {
    "onnxruntime": Ratio(
        8.4,
        "Piper medium voice (en_US-lessac-medium, the same size as our en_US-joe-medium) on a "
        "Pi 4 Model B: RTF 0.774 at 1 thread (k2-fsa sherpa-onnx documentation, rtf.rst); "
        "a medium voice here at 1 thread: CPU-time RTF 0.092 (shared/notes/raspberry-pi.md, "
        "2026-12-01); 0.774 / 0.092 = 8.4",
    ),
    "pocketsphinx": Ratio(
        7.0,
        "assumed: no published Pi 4 PocketSphinx timing was found; the notes' 5-8x range for "
        "scalar C code on a 1.5 GHz Cortex-A72 against a core here, upper middle for margin "
        "(below onnxruntime's 8.4x, whose kernels gain more from x86 vector units)",
    ),
    "python": Ratio(
        7.0,
        "assumed: the brief's rule that a Pi 4 core is 6-8x slower than a core here, middle "
        "of it, for pure-Python work (imports, matcher, dialogue, audio plumbing)",
    ),
    "memory": Ratio(
        1.0,
        "the aarch64 wheels load the same models (PocketSphinx en-us, Piper joe-medium); "
        "resident memory is not scaled",
    ),
}

PI4_TARGETS = {
    "first_audio_cached_ms": 400,
    "first_audio_uncached_ms": 800,
    "rtf_command": 0.3,
    "rtf_dictation": 0.6,
    "rtf_piper": 0.5,
    "startup_s": 6.0,
    "peak_rss_mb": 250,
}
HERE_TARGETS = {
    "first_audio_cached_ms": 200,
    "first_audio_uncached_ms": 300,
    "rtf_command": 0.04,
    "rtf_dictation": 0.08,
    "rtf_piper": 0.06,
    "startup_s": 1.0,
    "peak_rss_mb": 250,
}

PI_SYNTH_EXTRA = ("You said you'd sleep better without it, and that matters.",)
"""Piper on one core also reads a line back in the second person (the latency section's
`SYNTH_TEXTS` plus this)."""


def pin_command(argv: Sequence[str]) -> tuple[list[str], dict[str, str]] | None:
    """The command and environment that re-run this benchmark pinned; None if already pinned."""
    if os.environ.get(PINNED_ENV):
        return None
    env = {**os.environ, **ONE_THREAD, PINNED_ENV: "1"}
    taskset = shutil.which("taskset")
    command = [sys.executable, "-m", "benchmarks", *argv]
    if taskset:
        return [taskset, "-c", str(first_cpu()), *command], env
    return command, env


def first_cpu() -> int:
    return min(os.sched_getaffinity(0))


def ensure_pinned() -> list[int]:
    """Pin this process to one core if `taskset` did not (children inherit it)."""
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) > 1:
        os.sched_setaffinity(0, {cpus[0]})
        cpus = [cpus[0]]
    for key, value in ONE_THREAD.items():
        os.environ.setdefault(key, value)
    return cpus


# ----- measurements -----------------------------------------------------------------


def _cpu_rtf(work: Any, audio_seconds: float) -> float:
    return round(work / audio_seconds, 4) if audio_seconds else float("nan")


def recognition_rtf(texts: Sequence[str]) -> list[dict[str, Any]]:
    """PocketSphinx CPU-time RTF per listening kind, on clean Piper speech."""
    from benchmarks.corpus import Phrase, Renderer
    from benchmarks.latency import decode_files
    from voice_coach.messages import Listen, ListenFor
    from voice_coach.paths import resolve_paths
    from voice_coach.recognition.grammar import Grammars, listen_with
    from voice_coach.recognition.select import create_recognizer
    from voice_coach.recognition.wavfile import read_wav
    from voice_coach.settings import Settings
    from voice_coach.understanding import Understanding

    renderer = Renderer(cache_root())
    files = [read_wav(renderer.render(Phrase(t, None), "piper@1.0")) for t in texts]
    grammars = Grammars(Understanding.load())
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        recognizer = create_recognizer(Settings(), resolve_paths(tmp), "pocketsphinx")
        for kind in (ListenFor.COMMAND, ListenFor.NUMBER, ListenFor.YES_NO, ListenFor.FREE):
            grammar = listen_with(recognizer, grammars, Listen(kind, 20.0))
            wall, cpu, audio = decode_files(recognizer, files)
            rows.append(
                {
                    "kind": kind.value,
                    "mode": grammar.mode,
                    "cpu_rtf": _cpu_rtf(cpu, audio),
                    "wall_rtf": _cpu_rtf(wall, audio),
                    "audio_s": round(audio, 2),
                }
            )
    return rows


def piper_rtf(texts: Sequence[str]) -> dict[str, Any]:
    """Piper (bundled voice), one thread: CPU time over audio duration, median over prompts."""
    from voice_coach.speech.piper_voice import PiperSynthesizer

    synth = PiperSynthesizer.from_setting("")
    synth.load()
    list(synth.synthesize("Warming up."))
    cpu_ratios: list[float] = []
    wall_ratios: list[float] = []
    for text in texts:
        cpu, wall = time.process_time(), time.perf_counter()
        seconds = sum(c.seconds for c in synth.synthesize(text))
        cpu_ratios.append((time.process_time() - cpu) / seconds)
        wall_ratios.append((time.perf_counter() - wall) / seconds)
    return {
        "voice": synth.model_path.name,
        "threads": synth.threads,
        "cpu_rtf": round(statistics.median(cpu_ratios), 4),
        "wall_rtf": round(statistics.median(wall_ratios), 4),
        "prompts": len(texts),
    }


def latency(turns: int) -> dict[str, Any]:
    """Turn latency through the real `VoiceLoop` (wall time), uncached and cached."""
    from benchmarks.latency import turn_latency

    measured = turn_latency(turns)
    return {k: measured[k] for k in ("silence_timeout_s", "uncached", "cached")}


# ----- the estimate -----------------------------------------------------------------


def _p50(summary: dict[str, Any], key: str) -> float | None:
    value = summary.get(key, {}).get("p50_ms")
    return None if value is None else float(value)


def first_audio_estimate(stages: dict[str, Any], uncached: bool) -> dict[str, Any] | None:
    """End of speech → first audio on a Pi 4: the silence wait as it is, each stage scaled.

    endpoint (a wait in seconds: 1×) + final search (PocketSphinx) + intent (Python) +
    first audio (Piper when uncached, else Python and the cache read).
    """
    parts = {
        "speech_end_to_endpoint": 1.0,
        "endpoint_to_transcript": RATIOS["pocketsphinx"].factor,
        "transcript_to_intent": RATIOS["python"].factor,
        "intent_to_first_audio": RATIOS["onnxruntime" if uncached else "python"].factor,
    }
    here = _p50(stages, "speech_end_to_first_audio")
    measured = {name: _p50(stages, name) for name in parts}
    if here is None or any(v is None for v in measured.values()):
        return None
    pi = sum(float(measured[name] or 0.0) * factor for name, factor in parts.items())
    return {"here_ms": here, "pi4_ms": round(pi), "stages_ms": measured, "factors": parts}


def estimates(section: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per target: measured here (one core), the ratio, the Pi 4 estimate, met?"""
    rows: list[dict[str, Any]] = []

    def row(key: str, what: str, here: float | None, factor: float, ratio: str) -> None:
        pi = None if here is None else round(here * factor, 3)
        rows.append(
            {
                "key": key,
                "what": what,
                "here": here,
                "ratio": ratio,
                "pi4": pi,
                "target_here": HERE_TARGETS[key],
                "target_pi4": PI4_TARGETS[key],
                "met_here": None if here is None else here <= HERE_TARGETS[key],
                "met_pi4": None if pi is None else pi <= PI4_TARGETS[key],
            }
        )

    lat = section.get("latency", {})
    for key, kind, uncached in (
        ("first_audio_cached_ms", "cached", False),
        ("first_audio_uncached_ms", "uncached", True),
    ):
        est = first_audio_estimate(lat.get(kind, {}), uncached) if "error" not in lat else None
        here = est["here_ms"] if est else None
        factor = (est["pi4_ms"] / est["here_ms"]) if est and est["here_ms"] else 1.0
        what = f"end of speech → first audio, {kind}, median (ms)"
        row(key, what, here, factor, "per stage (silence 1×, search 7×, Python 7×, Piper 8.4×)")
        if est:
            rows[-1]["pi4"] = est["pi4_ms"]
            rows[-1]["met_pi4"] = est["pi4_ms"] <= PI4_TARGETS[key]
    rec = {r["kind"]: r for r in section.get("recognition", [])}
    command = [rec[k]["cpu_rtf"] for k in ("command", "number", "yes_no") if k in rec]
    ps = RATIOS["pocketsphinx"].factor
    row(
        "rtf_command",
        "recognition CPU RTF, command (worst of top level / rating / yes-no)",
        max(command) if command else None,
        ps,
        f"pocketsphinx {ps:g}×",
    )
    row(
        "rtf_dictation",
        "recognition CPU RTF, dictation",
        rec.get("free", {}).get("cpu_rtf"),
        ps,
        f"pocketsphinx {ps:g}×",
    )
    ort = RATIOS["onnxruntime"].factor
    row(
        "rtf_piper",
        "Piper CPU RTF, 1 thread, median",
        section.get("piper", {}).get("cpu_rtf"),
        ort,
        f"onnxruntime {ort:g}×",
    )
    pipe = section.get("footprint", {})
    py = RATIOS["python"].factor
    row(
        "startup_s",
        "start-up to greeting (s, wall)",
        pipe.get("startup_to_greeting_s", pipe.get("startup_to_listening_s")),
        py,
        f"mixed work ≈ {py:g}× (Python, PocketSphinx 7×, Piper load 8.4×)",
    )
    row(
        "peak_rss_mb",
        "peak RSS, run pipeline (MB)",
        pipe.get("peak_rss_mb"),
        1.0,
        "1× (same models)",
    )
    return rows


def run_pi(size: RunSize) -> dict[str, Any]:
    """Every speed figure on one core, the memory breakdown and the Pi 4 estimate."""
    from benchmarks.endpoint import run_endpoint
    from benchmarks.footprint import measure_pipeline
    from benchmarks.memory import measure_memory

    cpus = ensure_pinned()
    # after pinning: the latency module loads numpy, which reads the thread settings
    from benchmarks.latency import RTF_TEXTS
    from benchmarks.latency import SYNTH_TEXTS as LATENCY_SYNTH

    synth_texts = (*LATENCY_SYNTH, *PI_SYNTH_EXTRA)
    small = size.tiny or size.quick
    texts = RTF_TEXTS[: size.cap(len(RTF_TEXTS)) or 2] if small else RTF_TEXTS
    synth = synth_texts[: max(2, size.cap(len(synth_texts)) or 2)] if small else synth_texts
    turns = 3 if size.tiny else (4 if size.quick else 12)
    section: dict[str, Any] = {
        "pinned_cpus": cpus,
        "threads_env": {k: os.environ.get(k) for k in ONE_THREAD},
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }
    steps = (
        ("recognition", lambda: recognition_rtf(texts)),
        ("piper", lambda: piper_rtf(synth)),
        ("latency", lambda: latency(turns)),
        ("endpointing", lambda: run_endpoint(size)),
        ("footprint", measure_pipeline),
        ("memory", measure_memory),
    )
    for name, measure in steps:
        print(f"   pi: {name}", file=sys.stderr, flush=True)
        try:
            section[name] = measure()
        except Exception as exc:  # one failed measure must not lose the others
            section[name] = {"error": f"{type(exc).__name__}: {exc}"}
        section.setdefault("load_average_after", {})[name] = [round(x, 2) for x in os.getloadavg()]
    section["ratios"] = {k: {"factor": r.factor, "source": r.source} for k, r in RATIOS.items()}
    section["estimates"] = estimates(section)
    return section


# ----- report -----------------------------------------------------------------------


def _fmt(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}" if value < 1 else f"{value:.1f}" if value < 100 else f"{value:.0f}"
    return str(value)


def _met(value: bool | None) -> str:
    return "–" if value is None else ("yes" if value else "**no**")


def markdown(report: dict[str, Any]) -> str:
    """The Pi-proxy report: targets table, ratios with sources, memory by part."""
    m = report["machine"]
    section = report["sections"]["pi"]
    lines = [
        f"# Voice Coach Pi-proxy benchmark — {report['started'][:10]}, {m['hostname']}",
        "",
        f"Command: `{report['command']}` ({report['mode']}; {report['seconds']:.0f} s), pinned to "
        f"CPU {section.get('pinned_cpus')} with one thread per library "
        f"({', '.join(f'{k}={v}' for k, v in section.get('threads_env', {}).items())}).  ",
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_mb']} MB RAM, Python {m['python']}; "
        f"load average at start {m['load_average_at_start']}, at end "
        f"{report.get('load_average_at_end')}; commit {m['git_commit']}.",
        "",
        "## Targets: measured here on one core, and the Raspberry Pi 4 estimate",
        "",
        "| measure | here (1 core) | target here | met | ratio | Pi 4 estimate | target Pi 4 "
        "| met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in section.get("estimates", []):
        lines.append(
            f"| {row['what']} | {_fmt(row['here'])} | ≤ {row['target_here']} | "
            f"{_met(row['met_here'])} | {row['ratio']} | {_fmt(row['pi4'])} | "
            f"≤ {row['target_pi4']} | {_met(row['met_pi4'])} |"
        )
    lines += [
        "",
        "Load average after each measure: "
        + ", ".join(f"{k} {v}" for k, v in section.get("load_average_after", {}).items())
        + ".",
        "",
        "## Per-core ratios (a Pi 4 core against one core here) and their sources",
        "",
    ]
    for name, ratio in section.get("ratios", {}).items():
        lines.append(f"- **{name}: {ratio['factor']:g}×** — {ratio['source']}.")
    rec = section.get("recognition")
    if isinstance(rec, list):
        lines += [
            "",
            "## Recognition (PocketSphinx, clean Piper speech)",
            "",
            "| listening for | mode | CPU RTF | wall RTF |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {r['kind']} | {r['mode']} | {r['cpu_rtf']:.3f} | {r['wall_rtf']:.3f} |" for r in rec
        ]
    piper = section.get("piper", {})
    if "cpu_rtf" in piper:
        lines += [
            "",
            f"Piper {piper['voice']}, {piper['threads']} thread(s): CPU RTF "
            f"{piper['cpu_rtf']:.3f}, wall RTF {piper['wall_rtf']:.3f} "
            f"(median of {piper['prompts']} prompts).",
        ]
    lat = section.get("latency", {})
    if "cached" in lat:
        lines += [
            "",
            f"## Turn latency on one core (wall, silence_timeout {lat['silence_timeout_s']} s)",
            "",
            "| stage | cached p50 | uncached p50 |",
            "|---|---|---|",
        ]
        for stage in (
            "speech_end_to_endpoint",
            "endpoint_to_transcript",
            "transcript_to_intent",
            "intent_to_first_audio",
            "speech_end_to_first_audio",
        ):
            lines.append(
                f"| {stage.replace('_', ' ')} | {_fmt(_p50(lat['cached'], stage))} ms | "
                f"{_fmt(_p50(lat['uncached'], stage))} ms |"
            )
    ends = section.get("endpointing", {})
    if "summary" in ends:
        from benchmarks.endpoint import markdown as endpoint_md

        lines += [
            "",
            "## Grammar-aware endpointing on the domain corpus (Piper voice, one core)",
            "",
            "A wrong cut ends the utterance before the person finished.",
            "",
            endpoint_md(ends),
        ]
    foot = section.get("footprint", {})
    if "startup_phases_s" in foot:
        phases = ", ".join(f"{k} {v:.2f} s" for k, v in foot["startup_phases_s"].items())
        lines += ["", f"Start-up phases (one core): {phases}."]
    mem = section.get("memory", {})
    if "steps" in mem:
        lines += [
            "",
            "## Where the memory goes (resident memory after each part loads)",
            "",
            "| part | share | resident after | peak so far |",
            "|---|---|---|---|",
        ]
        lines += [
            f"| {s['part']} | {s['share_mb']:.0f} MB | {s['rss_mb']:.0f} MB | "
            f"{s['peak_mb']:.0f} MB |"
            for s in mem["steps"]
        ]
    for name in ("recognition", "piper", "latency", "endpointing", "footprint", "memory"):
        problem = section.get(name)
        if isinstance(problem, dict) and "error" in problem:
            lines.append(f"\n{name}: failed: {str(problem['error'])[:300]}")
    return "\n".join(lines) + "\n"


def write(report: dict[str, Any], folder: Path) -> tuple[Path, Path]:
    """`<date>-<machine>-pi.json` and `.md` in `folder`."""
    import datetime as dt

    from benchmarks.report import base_name

    folder.mkdir(parents=True, exist_ok=True)
    name = base_name(dt.datetime.fromisoformat(report["started"]), report["machine"]["hostname"])
    json_path, md_path = folder / f"{name}-pi.json", folder / f"{name}-pi.md"
    json_path.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    md_path.write_text(markdown(report), encoding="utf-8")
    return json_path, md_path
