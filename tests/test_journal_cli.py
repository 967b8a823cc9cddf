"""`voice-coach journal ...` run as a person would: a fresh process, real files."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import select
import stat
import subprocess
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import REPO, CliResult
from journal_damage import damage_index

from voice_coach.journal.port import SessionStatus
from voice_coach.journal.store import Journal

Cli = Callable[..., CliResult]
NOW = datetime.now().astimezone().replace(microsecond=0)


def journal_file(home: Path) -> Path:
    return home / "data" / "journal.sqlite3"


def ok(result: CliResult) -> CliResult:
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture
def filled(coach_home: Path) -> Path:
    with Journal.open(journal_file(coach_home)) as journal:
        cba = journal.start_session("cost_benefit", NOW - timedelta(days=1))
        journal.record_answer(
            cba, "benefit", "What do you get from it?", "Calm 😌 — für mich", None, NOW
        )
        journal.end_session(cba, SessionStatus.COMPLETED, NOW - timedelta(days=1))
        surf = journal.start_session("urge_surfing", NOW - timedelta(hours=2))
        journal.save_urge(surf, NOW - timedelta(hours=2), intensity_before=7, intensity_after=2)
        journal.end_session(surf, SessionStatus.COMPLETED, NOW - timedelta(hours=1))
        journal.set_profile("sober_since", (NOW - timedelta(days=12)).date().isoformat())
    return journal_file(coach_home)


def test_path_honours_home_and_data_dir(cli: Cli, coach_home: Path, tmp_path: Path) -> None:
    assert ok(cli("journal", "path")).stdout.strip() == str(journal_file(coach_home))
    other = tmp_path / "elsewhere"
    result = ok(cli("--data-dir", str(other), "journal", "path"))
    assert result.stdout.strip() == str(other / "journal.sqlite3")


def test_export_json_to_stdout(cli: Cli, filled: Path) -> None:
    data = json.loads(ok(cli("journal", "export", "--format", "json")).stdout)
    assert data["sessions"][0]["answers"][0]["text"] == "Calm 😌 — für mich"
    assert data["urges"][0]["intensity_after"] == 2


def test_export_csv_and_markdown(cli: Cli, filled: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(ok(cli("journal", "export", "--format", "csv")).stdout)))
    assert [(r["exercise"], r["answer_text"]) for r in rows] == [
        ("cost_benefit", "Calm 😌 — für mich")
    ]
    urges = ok(cli("journal", "export", "--format", "csv", "--table", "urges")).stdout
    (urge,) = csv.DictReader(io.StringIO(urges))
    assert urge["intensity_before"] == "7"
    md = ok(cli("journal", "export", "--format", "md")).stdout
    assert "**What do you get from it?**" in md
    assert "> Calm 😌 — für mich" in md


def test_export_out_file_is_private(cli: Cli, filled: Path, tmp_path: Path) -> None:
    out = tmp_path / "journal.md"
    result = ok(cli("journal", "export", "--format", "md", "--out", str(out)))
    assert result.stdout == ""
    assert str(out) in result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "Calm 😌" in out.read_text(encoding="utf-8")


def test_export_refuses_to_overwrite_the_journal(cli: Cli, filled: Path) -> None:
    before = filled.read_bytes()
    result = cli("journal", "export", "--out", str(filled))
    assert result.returncode == 1
    assert "Refusing to export over the journal" in result.stderr
    assert "Traceback" not in result.stderr
    assert filled.read_bytes() == before


def test_export_bad_options_are_explained(cli: Cli, filled: Path) -> None:
    result = cli("journal", "export", "--format", "md", "--table", "urges")
    assert result.returncode == 1
    assert "--table only applies to --format csv" in result.stderr
    result = cli("journal", "export", "--format", "xml")
    assert result.returncode == 2  # argparse lists the choices
    assert "json" in result.stderr and "Traceback" not in result.stderr


def test_export_without_a_journal_is_empty_and_creates_nothing(cli: Cli, coach_home: Path) -> None:
    result = ok(cli("journal", "export"))
    assert json.loads(result.stdout)["sessions"] == []
    assert "no journal" in result.stderr
    assert not journal_file(coach_home).exists()


def test_export_salvages_a_damaged_journal(cli: Cli, filled: Path) -> None:
    damage_index(filled)
    before = filled.read_bytes()
    result = ok(cli("journal", "export"))
    assert json.loads(result.stdout)["sessions"][0]["answers"][0]["text"] == "Calm 😌 — für mich"
    assert "is damaged" in result.stderr and "not changed" in result.stderr
    assert filled.read_bytes() == before


def test_garbage_journal_gives_one_clear_message(cli: Cli, coach_home: Path) -> None:
    path = journal_file(coach_home)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x00garbage" * 500)
    for command in (("journal", "summary"), ("journal", "export", "--format", "md")):
        result = cli(*command)
        assert result.returncode == 1
        assert "Traceback" not in result.stderr
        assert str(path) in result.stderr and "NOT modified" in result.stderr
    assert path.read_bytes() == b"\x00garbage" * 500


def test_summary(cli: Cli, filled: Path) -> None:
    text = ok(cli("journal", "summary")).stdout
    assert "2 sessions, 2 completed:" in text
    assert "Urges logged: 1; average intensity before 7.0, after 2.0" in text
    assert "Days since last use: 12" in text


def test_summary_without_a_journal(cli: Cli, coach_home: Path) -> None:
    assert "No journal yet" in ok(cli("journal", "summary")).stdout
    assert not journal_file(coach_home).exists()


def test_delete_with_yes_removes_the_files_and_says_so(cli: Cli, filled: Path) -> None:
    wal = filled.with_name(filled.name + "-wal")
    wal.write_bytes(b"")  # as left behind by a crash
    result = ok(cli("journal", "delete", "--yes"))
    assert f"Deleted {filled}" in result.stdout
    assert f"Deleted {wal}" in result.stdout
    assert not filled.exists() and not wal.exists()
    assert "nothing to delete" in ok(cli("journal", "delete", "--yes")).stdout


def test_delete_without_a_terminal_or_yes_refuses(cli: Cli, filled: Path) -> None:
    result = cli("journal", "delete", input="delete\n")  # stdin is a pipe, not a terminal
    assert result.returncode == 1
    assert "Add --yes" in result.stderr
    assert "Traceback" not in result.stderr
    assert filled.exists()


def test_delete_refuses_while_another_voice_coach_has_it_open(cli: Cli, filled: Path) -> None:
    with Journal.open(filled):
        result = cli("journal", "delete", "--yes")
    assert result.returncode == 1
    assert "another Voice Coach may be running" in result.stderr
    assert filled.exists()


def _delete_on_a_terminal(home: Path, typed: str) -> tuple[int, str]:
    """Run `journal delete` with a pseudo-terminal as stdin/stdout and type `typed`."""
    master, slave = pty.openpty()
    env = dict(os.environ, VOICE_COACH_HOME=str(home), PYTHONPATH=str(REPO))
    proc = subprocess.Popen(
        [sys.executable, "-m", "voice_coach", "journal", "delete"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        close_fds=True,
    )
    os.close(slave)
    output = b""
    try:
        while b"confirm" not in output:
            ready, _, _ = select.select([master], [], [], 60)
            if not ready:
                break
            output += os.read(master, 4096)
        os.write(master, typed.encode() + b"\n")
        while True:
            ready, _, _ = select.select([master], [], [], 60)
            try:
                chunk = os.read(master, 4096) if ready else b""
            except OSError:  # the terminal closed when the process exited
                chunk = b""
            if not chunk:
                break
            output += chunk
    finally:
        code = proc.wait(timeout=60)
        os.close(master)
    return code, output.decode("utf-8", "replace")


def test_delete_on_a_terminal_needs_the_word_delete(coach_home: Path, filled: Path) -> None:
    code, output = _delete_on_a_terminal(coach_home, "yes")
    assert code == 1
    assert "Nothing was deleted" in output
    assert filled.exists()

    code, output = _delete_on_a_terminal(coach_home, "delete")
    assert code == 0, output
    assert f"Deleted {filled}" in output
    assert "Traceback" not in output
    assert not filled.exists()


def test_journal_without_an_action_prints_help(cli: Cli) -> None:
    result = ok(cli("journal"))
    for action in ("export", "delete", "summary", "path"):
        assert action in result.stdout
