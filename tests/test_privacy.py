"""Every file private, delete means delete, exports that cannot attack, logs without words."""

from __future__ import annotations

import csv
import io
import os
import stat
from datetime import datetime
from pathlib import Path

import pytest
from conftest import Cli

from voice_coach.app import open_coach
from voice_coach.audio_io.doubles import RecordingSpeaker
from voice_coach.clock import ManualClock
from voice_coach.dialogue import replies
from voice_coach.fixed_prompts import fixed_prompt_set, is_fixed_prompt
from voice_coach.journal import export
from voice_coach.journal.store import Journal
from voice_coach.messages import Speak, Utterance
from voice_coach.paths import resolve_paths
from voice_coach.settings import from_file
from voice_coach.speech.cache import PromptCache, cache_dir, remove_legacy
from voice_coach.speech.output import SpeechOutput
from voice_coach.speech.piper_voice import PiperSynthesizer

NAME = "Zelda"
GOAL = "stop drinking by the summer"
SESSION = [
    NAME, "I want to set a goal", GOAL, "my health matters", "pour it out", "my sister",
    "I feel better", "evening reflection", "it went well with the goal", "a walk", "the bar",
    "call my sister", "goodbye",
]
"""A first evening: the name, a change plan with a goal, an evening reflection."""

pytestmark = pytest.mark.cold_cache
"""These tests check every file the coach writes into an empty home."""


def private_modes(root: Path) -> list[str]:
    """Every file and folder under `root` whose mode is not 0600 / 0700."""
    loose = []
    for path in root.rglob("*"):
        mode = stat.S_IMODE(path.lstat().st_mode)
        want = 0o700 if path.is_dir() else 0o600
        if mode != want:
            loose.append(f"{oct(mode)} {path.relative_to(root)}")
    return loose


def realistic_session(cli: Cli, home: Path, tmp_path: Path) -> None:
    """What a person does in a first week, through the real commands."""
    os.umask(0o022)  # the usual login umask: the coach must not depend on a strict one
    assert cli("config", "set", "focus", "alcohol").returncode == 0
    chat = cli("chat", "--fast", input="\n".join(SESSION) + "\n")
    assert chat.returncode == 0, chat.stderr
    for fmt in ("json", "csv", "md"):
        out = home / f"export.{fmt}"
        assert cli("journal", "export", "--format", fmt, "--out", str(out)).returncode == 0
    wav = tmp_path / "hello.wav"
    assert cli("say", "I'm having an urge.", "--out", str(wav)).returncode == 0
    assert cli("say", "Take a breath.", "--cache", "--out", str(tmp_path / "b.wav")).returncode == 0
    assert cli("recognize", str(wav)).returncode == 0  # builds and caches a grammar
    assert cli("voice", "warm", "--text", "Let's breathe together.").returncode == 0


def test_every_file_and_folder_the_coach_writes_is_private(
    cli: Cli, coach_home: Path, tmp_path: Path,
) -> None:
    realistic_session(cli, coach_home, tmp_path)
    written = sorted(str(p.relative_to(coach_home)) for p in coach_home.rglob("*"))
    for expected in ("config.toml", "data/journal.sqlite3", "cache/prompts", "cache/grammars",
                     "export.csv"):
        assert expected in written, written
    assert private_modes(coach_home) == []


def test_the_readme_lists_every_place_the_coach_writes(
    cli: Cli, coach_home: Path, tmp_path: Path,
) -> None:
    """README "Your data" names each folder and file a first week leaves behind."""
    realistic_session(cli, coach_home, tmp_path)
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Your data"):].split("\n\n")[2]
    base = {"config.toml": "~/.config/voice-coach/", "data": "~/.local/share/voice-coach/",
            "cache": "~/.cache/voice-coach/"}
    unlisted = []
    for top in sorted(coach_home.iterdir()):
        if top.name not in base:
            continue  # the exports, written where the test asked
        entries = [top] if top.is_file() else sorted(top.iterdir())
        for entry in entries:
            where = base[top.name] + entry.name
            if f"`{where}" not in table:
                unlisted.append(where)
    assert unlisted == [], f"written but not in README's Your data: {unlisted}"


def test_personal_sentences_never_reach_the_speech_cache(
    tmp_path: Path, synthesizer: PiperSynthesizer
) -> None:
    """The voice loop's cache keeps fixed prompts only, whatever the engine marked cacheable."""
    paths = resolve_paths()
    clock = ManualClock(datetime(2026, 3, 2, 20, 0).astimezone())
    spoken: list[Speak] = []
    with open_coach(paths, from_file(paths.config_file), clock) as coach:
        reply = coach.start()
        spoken += reply.speech
        for line in SESSION:
            clock.advance(5)
            reply = coach.handle(Utterance(line))
            spoken += reply.speech
    personal = [s for s in spoken if NAME in s.text or "summer" in s.text or "sister" in s.text]
    assert personal, "the session reads the person's words back"
    fixed_prompt_set()  # built in the background in real use; here, before the first sentence
    assert is_fixed_prompt(replies.HOW_CAN_I_HELP)
    cache = PromptCache(cache_dir(paths), synthesizer.voice_id, allowed=is_fixed_prompt)
    output = SpeechOutput(synthesizer, RecordingSpeaker(), cache)
    for speak in spoken:
        output.say(Speak(speak.text, speak.pace, cacheable=True))  # as if all were marked so
    files = {p.name for p in cache.folder.glob("*.wav")}
    assert files, "fixed prompts are cached"
    for speak in personal:
        assert cache.path(speak.text, speak.pace).name not in files, speak.text
    fixed = {cache.path(s.text, s.pace).name for s in spoken if is_fixed_prompt(s.text)}
    assert files <= fixed


def test_the_old_prompt_cache_is_removed(coach_home: Path) -> None:
    old = coach_home / "cache" / "tts"
    old.mkdir(parents=True)
    (old / "nice-to-meet-you-zelda.wav").write_bytes(b"RIFF")
    assert remove_legacy(resolve_paths())
    assert not old.exists()


def test_forget_deletes_journal_profile_settings_and_caches(
    cli: Cli, coach_home: Path, tmp_path: Path,
) -> None:
    realistic_session(cli, coach_home, tmp_path)
    (coach_home / "data" / "models" / "vosk-model-x").mkdir(parents=True)
    (coach_home / "cache" / "tts").mkdir()  # an older version's cache
    (coach_home / "cache" / "tts" / "old.wav").write_bytes(b"RIFF")
    refused = cli("forget")
    assert refused.returncode == 1 and "--yes" in refused.stderr
    assert (coach_home / "data" / "journal.sqlite3").exists()
    got = cli("forget", "--yes")
    assert got.returncode == 0, got.stderr
    for said in ("your journal", "your settings", "the cache", "Kept the speech models"):
        assert said in got.stdout, got.stdout
    left = sorted(str(p.relative_to(coach_home)) for p in coach_home.rglob("*"))
    exports = [f"export.{fmt}" for fmt in ("csv", "json", "md")]
    assert left == ["data", "data/models", "data/models/vosk-model-x", *exports]
    assert "Exports you saved" in got.stdout
    again = cli("forget", "--yes")
    assert "nothing to delete" in again.stdout
    assert cli("forget", "--yes", "--models").returncode == 0
    assert not (coach_home / "data").exists()


def test_forget_refuses_while_the_coach_runs(cli: Cli, coach_home: Path) -> None:
    assert cli("config", "set", "name", "Sam").returncode == 0
    paths = resolve_paths()
    with Journal.open(paths.journal_file):
        got = cli("forget", "--yes")
    assert got.returncode == 1 and "locked" in got.stderr
    assert paths.journal_file.exists() and paths.config_file.exists()


FORMULAS = ["=HYPERLINK(\"http://x\",\"y\")", "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3",
            "\tindented", "\rreturn"]


def test_csv_export_neutralises_formula_prefixes(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "j.sqlite3") as journal:
        at = datetime(2026, 3, 2, 20, 0).astimezone()
        session = journal.start_session("evening_reflection", at)
        for number, text in enumerate(FORMULAS):
            journal.record_answer(session, f"k{number}", "=question?", text, -1.0, at)
        journal.end_session(session, "completed", at)
        dump = journal.snapshot()
    rows = list(csv.DictReader(io.StringIO(export.to_csv(dump))))
    assert [row["answer_text"] for row in rows] == ["'" + text for text in FORMULAS]
    assert all(row["question"] == "'=question?" for row in rows)
    assert all(row["answer_number"] == "-1.0" for row in rows), "numbers stay numbers"


def test_markdown_export_escapes_fences_and_entities(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "j.sqlite3") as journal:
        at = datetime(2026, 3, 2, 20, 0).astimezone()
        session = journal.start_session("evening_reflection", at)
        answer = "```\n~~~python\n&lt;b&gt; & <i>x</i>"
        journal.record_answer(session, "a", "How?", answer, None, at)
        dump = journal.snapshot()
    text = export.to_markdown(dump, at)
    quoted = [line[2:] for line in text.splitlines() if line.startswith("> ")]
    assert not any(line.lstrip().startswith(("```", "~~~")) for line in text.splitlines())
    assert "&amp;lt;b&amp;gt; &amp; \\<i\\>x\\</i\\>" in quoted


@pytest.mark.parametrize("command", ["say", "chat"])
def test_debug_logs_hold_no_answers_unless_asked(cli: Cli, coach_home: Path, command: str) -> None:
    secret = "xylophone marmalade"
    if command == "say":
        got = cli("-vv", "say", f"You said {secret}.", "--out", str(coach_home / "s.wav"))
    else:
        got = cli("-vv", "chat", "--fast", input=f"Sam\nI'm having an urge\n{secret}\ngoodbye\n")
    assert got.returncode == 0, got.stderr
    assert " INFO " in got.stderr or " DEBUG " in got.stderr, "verbose logging was on"
    assert "xylophone" not in got.stderr
