"""The command line as a person meets it: help everywhere, clear errors, no tracebacks."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from conftest import Cli

from voice_coach.cli import build_parser
from voice_coach.dialogue.prompts import all_prompts
from voice_coach.dialogue.safety import crisis_response


def _subcommands(parser: argparse.ArgumentParser, prefix: str = "") -> list[tuple[str, str]]:
    found = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            for name, sub in action.choices.items():
                found.append((f"{prefix}{name}", helps.get(name) or ""))
                found += _subcommands(sub, f"{prefix}{name} ")
    return found


def test_every_command_has_help_text() -> None:
    commands = _subcommands(build_parser())
    assert len(commands) > 20
    missing = [name for name, text in commands if not text.strip()]
    assert not missing, f"commands without help: {missing}"


def test_config_show_set_and_path(cli: Cli, coach_home: Path) -> None:
    assert cli("config", "path").stdout.strip() == str(coach_home / "config.toml")
    shown = cli("config", "show")
    assert shown.returncode == 0 and 'crisis_region = "US"' in shown.stdout
    assert "Which crisis lines to give" in shown.stdout
    changed = cli("config", "set", "crisis_region", "uk")
    assert changed.returncode == 0 and 'crisis_region = "UK"' in changed.stdout
    assert 'crisis_region = "UK"' in (coach_home / "config.toml").read_text()


def test_a_bad_value_names_the_key_and_what_is_allowed(cli: Cli, coach_home: Path) -> None:
    result = cli("config", "set", "pace", "9")
    assert result.returncode == 2
    assert "pace" in result.stderr and "0.5 to 2" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (coach_home / "config.toml").exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("pace = 'fast'\n", "pace = 'fast' must be a number"),
        ("focus = 'cake'\n", "focus = 'cake' must be one of alcohol, drugs, smoking"),
        ("colour = 'blue'\n", "unknown key 'colour'"),
        ("this is not toml\n", "is not valid TOML"),
    ],
)
def test_a_corrupt_config_stops_the_coach_with_file_and_key(  # type: ignore[no-untyped-def]
    cli, coach_home: Path, content: str, expected: str
) -> None:
    (coach_home / "config.toml").write_text(content)
    result = cli("chat", "--fast", input="hello\n")
    assert result.returncode == 2
    assert str(coach_home / "config.toml") in result.stderr
    assert expected in result.stderr
    assert result.stdout == ""  # never started half-configured
    assert "Traceback" not in result.stderr


def test_chat_survives_hostile_input(cli: Cli, named_home: Path) -> None:
    lines = [
        "",
        "x" * 100_000,
        "\x00\x01\x02 binary \xff garbage",
        "🙂🙂🙂",
        "ich habe ein Verlangen nach Alkohol",
        "我想喝酒",
        "I'm having an urge",
        "eleven out of ten",
        "minus three",
        "ten",
        "yes no maybe",
        "stop",
    ]
    result = cli("chat", "--fast", input="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "eleven is off the scale" in result.stdout.lower() or "off the scale" in result.stdout
    assert "Everything you said is saved" in result.stdout


def test_service_unit_runs_the_coach_and_restarts_on_failure(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    installed = cli("service", "install")
    assert installed.returncode == 0 and "systemctl --user enable --now" in installed.stdout
    unit = (tmp_path / "config" / "systemd" / "user" / "voice-coach.service").read_text()
    assert "-m voice_coach run --service" in unit
    assert "Restart=on-failure" in unit and "WantedBy=default.target" in unit
    assert "Removed" in cli("service", "uninstall").stdout
    assert not (tmp_path / "config" / "systemd" / "user" / "voice-coach.service").exists()


def test_voice_warm_prompt_list_covers_exercises_and_crisis_lines() -> None:
    prompts = all_prompts()
    assert len(prompts) > 200
    for line in crisis_response("US") + crisis_response("UK"):
        assert line in prompts
    assert "How strong is the urge right now, from zero to ten?" in prompts
    assert not [p for p in prompts if "{" in p or "None" in p]
