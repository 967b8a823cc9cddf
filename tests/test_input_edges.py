"""Input edges: bad bytes, piped answers in real time, control words inside answers, absurd
ratings, settings that cannot round-trip, long answers and emoji — nothing crashes, nothing lost."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, Cli

from voice_coach.journal.store import Journal
from voice_coach.paths import resolve_paths
from voice_coach.settings import from_file


def answers(home: Path) -> list[tuple[str, str, float | None]]:
    """(key, text, number) of every stored answer, in order."""
    with Journal.open(resolve_paths().journal_file, create=False) as journal:
        dump = journal.snapshot()
    return [(a.key, a.text, a.number) for s in dump.sessions for a in s.answers]


def statuses(home: Path) -> list[str]:
    with Journal.open(resolve_paths().journal_file, create=False) as journal:
        return [s.status for s in journal.snapshot().sessions]


def chat_bytes(
    home: Path, data: bytes, *args: str, timeout: float = 120
) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, VOICE_COACH_HOME=str(home), PYTHONPATH=str(REPO), LANG="C.UTF-8",
               LC_ALL="C.UTF-8")
    return subprocess.run([sys.executable, "-m", "voice_coach", "chat", *args], input=data,
                          capture_output=True, env=env, cwd=REPO, timeout=timeout)


URGE = b"Sam\nI'm having an urge\n"


def test_invalid_utf8_is_replaced_and_nothing_before_it_is_lost(coach_home: Path) -> None:
    data = URGE + b"7\nthe \xff\xfe party \xc3\n\xe2\x82 stop\nstop\n"
    got = chat_bytes(coach_home, data, "--fast")
    assert got.returncode == 0, got.stderr.decode()
    assert b"Traceback" not in got.stderr
    stored = answers(coach_home)
    assert stored[0][1:] == ("7", 7.0)
    assert stored[1][1] == "the \ufffd\ufffd party \ufffd"


def test_piped_answers_in_real_time_are_never_taken_for_silence(coach_home: Path) -> None:
    """Without --fast the coach waits for answers in real time; piped ones are all there."""
    lines = URGE + b"6\nthe bar after work\nquit\n"
    got = chat_bytes(coach_home, lines, timeout=60)
    assert got.returncode == 0, got.stderr.decode()
    assert [(k, t) for k, t, _ in answers(coach_home)] == [
        ("intensity_before", "6"), ("trigger", "the bar after work")]
    assert statuses(coach_home) == ["stopped"]


def test_control_words_inside_a_free_answer_are_the_answer(cli: Cli, coach_home: Path) -> None:
    for said in ("a second drink", "second", "it helps me forget", "helps"):
        got = cli("chat", "--fast", input=f"Sam\nI'm having an urge\n5\n{said}\nstop\n")
        assert got.returncode == 0, got.stderr
        assert answers(coach_home)[-1][1] == said, got.stdout
    alone = cli("chat", "--fast", input="I'm having an urge\n5\nstop\ngoodbye\n")
    assert "stop" not in [t for _, t, _ in answers(coach_home)], "a bare 'stop' still stops"
    assert alone.returncode == 0


def test_quit_or_exit_leaves_an_exercise_keeping_answers(cli: Cli, coach_home: Path) -> None:
    for word in ("quit", "Exit."):
        script = f"Sam\nI'm having an urge\n4\n{word}\nthis is never read\n"
        got = cli("chat", "--fast", input=script)
        assert got.returncode == 0, got.stderr
        assert got.stdout.rstrip().splitlines()[-1].startswith("Take care")
    texts = [t for _, t, _ in answers(coach_home)]
    assert texts == ["4", "4"], "quit is not stored as the trigger"
    assert statuses(coach_home) == ["stopped", "stopped"]


def test_absurd_ratings_are_refused(cli: Cli, coach_home: Path) -> None:
    absurd = {"9" * 5000: "Just a number", " ".join(["nine"] * 5000): "Just a number",
              "1e309": "Just a number", "1,000": "1,000 is off the scale",
              "2.5e1": "Just a number", "100": "100 is off the scale"}
    for said, retry in absurd.items():
        got = cli("chat", "--fast", input=f"Sam\nI'm having an urge\n{said}\n3\nstop\n")
        assert got.returncode == 0, got.stderr
        assert retry in got.stdout, (said[:20], got.stdout)
        assert answers(coach_home)[-1][1:] == ("3", 3.0), "the retry's answer is the rating"
    numbers = [n for _, _, n in answers(coach_home)]
    assert numbers == [3.0] * len(absurd), "no absurd number was ever stored"


def test_a_long_answer_is_kept_whole_with_its_emoji(cli: Cli, coach_home: Path) -> None:
    family = "👨\u200d👩\u200d👧"
    long = ("I walked past the shop and thought about it for a long time. " * 1700)[:100_000]
    got = cli("chat", "--fast", input=f"Sam\nI'm having an urge\n5\n{family} {long}\nstop\n")
    assert got.returncode == 0, got.stderr
    stored = answers(coach_home)[-1][1]
    assert stored == f"{family} {long}".strip()
    assert len(stored) > 100_000


@pytest.mark.cold_cache  # checks that nothing but config.toml is left in the home
def test_config_set_refuses_what_cannot_round_trip(cli: Cli, coach_home: Path) -> None:
    assert cli("config", "set", "name", "Sam").returncode == 0
    before = (coach_home / "config.toml").read_bytes()
    for bad in ("Sam\nSmith", "Sam\x7f", "tab\there", "\x1b[31mred"):
        got = cli("config", "set", "name", bad)
        assert got.returncode == 2, got.stderr
        assert "one line of text" in got.stderr and "Traceback" not in got.stderr
        assert (coach_home / "config.toml").read_bytes() == before
    assert cli("config", "show").returncode == 0, "the file still reads"
    odd = 'Zoë "Z" \\ O\'Brien #1 ✨'
    assert cli("config", "set", "name", odd).returncode == 0
    assert cli("config", "set", "wake_phrase", "hey coach").returncode == 0
    assert from_file(coach_home / "config.toml").name == odd
    assert sorted(p.name for p in coach_home.iterdir()) == ["config.toml"], "no temp file left"
