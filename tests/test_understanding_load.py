"""`Understanding.load()` returns at once and loads on a background thread: the crisis check
still judges the very first thing a person says, before anything is matched."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from conftest import Cli

from voice_coach.understanding import CRISIS, Understanding

CRISIS_LINE = "I want to kill myself"


def fresh() -> Understanding:
    """A new `Understanding.load("en")`, not the one this process already loaded."""
    return Understanding.load.__wrapped__("en")


def test_load_returns_before_the_crisis_rules_are_loaded_and_the_first_line_still_gets_them(
) -> None:
    understanding = fresh()
    # Reading the rules takes a large fraction of a second; load() has returned long before.
    assert not understanding._safety.done()
    match = understanding.recognize(CRISIS_LINE)
    assert match.intent == CRISIS and match.slots == {"kind": "suicidal"}


def test_a_first_request_waits_for_the_matcher_and_is_understood() -> None:
    understanding = fresh()
    assert understanding.recognize("I'm having a really bad craving").intent == "urge_help"
    assert understanding.recognize("seven", allowed={"number"}).slots == {"value": 7}
    assert understanding.wait() is understanding


def test_the_first_answer_in_an_exercise_is_checked_for_crisis() -> None:
    understanding = fresh()
    match = understanding.recognize("i took all my pills", allowed={"number", "stop"})
    assert match.intent == CRISIS and match.slots == {"kind": "overdose"}


@pytest.mark.cold_cache
def test_crisis_as_the_very_first_chat_line_after_install_gets_the_crisis_answer(
    cli: Cli, named_home: Path
) -> None:
    said = cli("chat", "--fast", input=f"{CRISIS_LINE}\n")
    assert said.returncode == 0, said.stderr
    assert "call or text 988" in said.stdout
    # First use: the caches are built, and the person is told rather than left in silence.
    assert "Preparing the safety check for first use (about 2 s)" in said.stderr


@pytest.mark.cold_cache
def test_intent_command_gives_crisis_for_a_first_crisis_line_and_keeps_the_caches(
    cli: Cli, coach_home: Path
) -> None:
    said = cli("intent", CRISIS_LINE, "--json")
    assert said.returncode == 0, said.stderr
    assert '"intent": "crisis"' in said.stdout
    # The process ended after the crisis answer, but the background load was let finish:
    # the next start reads the caches and prints nothing about preparing.
    again = cli("intent", "hello")
    assert again.stdout.startswith("greeting")
    assert "Preparing" not in again.stderr


def test_a_warm_start_says_nothing_about_preparing(cli: Cli) -> None:
    said = cli("intent", "hello")
    assert said.returncode == 0 and said.stdout.startswith("greeting")
    assert said.stderr == ""


def _crisis_in_child(queue: multiprocessing.Queue[str | None]) -> None:
    queue.put(Understanding.load("en").recognize(CRISIS_LINE).intent)


def test_a_process_forked_while_loading_still_gets_the_crisis_check() -> None:
    """The benchmarks fork decoding workers; a fork must never leave a half-loaded copy."""
    Understanding.load.cache_clear()
    Understanding.load("en")  # loading now, on a thread the child will not have
    context = multiprocessing.get_context("fork")
    queue: multiprocessing.Queue[str | None] = context.Queue()
    child = context.Process(target=_crisis_in_child, args=(queue,))
    child.start()
    assert queue.get(timeout=120) == CRISIS
    child.join(timeout=60)
    assert child.exitcode == 0
