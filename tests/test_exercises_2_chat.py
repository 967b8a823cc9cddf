"""Helper-2 exercises end to end: `chat --fast` in a fresh process, then the journal export."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from conftest import CliResult

Cli = Callable[..., CliResult]


def chat(cli: Cli, lines: list[str]) -> list[str]:
    result = cli("chat", "--fast", input="\n".join(lines) + "\n")
    assert result.returncode == 0, result.stderr
    return result.lines


def export(cli: Cli) -> dict[str, Any]:
    result = cli("journal", "export", "--format", "json")
    assert result.returncode == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def answers(session: dict[str, Any]) -> dict[str, str]:
    return {a["key"]: a["text"] for a in session["answers"]}


def test_balance_pie_plan_is_kept_and_asked_about_in_the_evening(
    cli: Cli, named_home: Path,
) -> None:
    out = chat(cli, [
        "how balanced is my life", "7", "3", "6", "3", "2", "8", "skip", "5",
        "fun", "yes", "play football on Sundays", "eight", "5", "I used to love it",
        "call Dan", "skip", "three weeks running", "hangovers", "skip",
    ])

    text = "\n".join(out)
    assert "Your lowest two are fun and recreation, at two, and friends and social life, " \
        "at three." in text
    assert "Your goal: play football on Sundays." in text
    assert "Who can help" not in text  # skipped, so not read back

    sessions = export(cli)["sessions"]
    balance = next(s for s in sessions if s["exercise"] == "balance")
    assert balance["status"] == "completed"
    assert answers(balance)["area_fun"] == "2"
    assert next(a for a in balance["answers"] if a["key"] == "area_fun")["number"] == 2
    plan = next(s for s in sessions if s["exercise"] == "plan")
    assert answers(plan)["goal"] == "play football on Sundays"
    assert answers(plan)["area"] == "fun and recreation"

    evening = chat(cli, ["evening reflection", "6", "no", "skip", "skip"])
    assert "Your first step was: call Dan. How did that go?" in evening


def test_values_then_remind_me_why_reads_them_in_order(cli: Cli, named_home: Path) -> None:
    chat(cli, ["my values", "my kids", "health", "honesty", "skip", "skip",
               "I miss bedtimes", "I feel rough", "I hide things"])

    out = chat(cli, ["remind me why", "my kids"])

    text = "\n".join(out)
    assert "your kids, health and honesty" in text
    assert "Your kids. Hold on to that today." in text
    sessions = export(cli)["sessions"]
    values = answers(next(s for s in sessions if s["exercise"] == "values"))
    assert values["effect_3"] == "I hide things"
    assert "value_4" not in values
