"""A crisis is answered first, in every exercise, at every kind of question; nothing is lost."""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest
from conftest import REPO

from voice_coach.clock import ManualClock
from voice_coach.dialogue.engine import Coach
from voice_coach.exercises import registry
from voice_coach.journal.store import Journal
from voice_coach.messages import Listen, ListenFor, Reply, Tick, Utterance, Wait
from voice_coach.settings import Settings
from voice_coach.understanding import Understanding

CRISIS_PHRASES = (
    "I want to kill myself",
    "honestly I don't want to live anymore",
    "I think I took too many pills",
    "I've been cutting myself again",
)


def _answer_for(reply: Reply) -> Utterance | Tick:
    """A plausible answer to whatever the coach is waiting for."""
    step = reply.next
    if isinstance(step, Wait):
        return Tick()
    assert isinstance(step, Listen)
    if step.kind is ListenFor.NUMBER:
        return Utterance("six")
    if step.kind is ListenFor.YES_NO:
        return Utterance("yes")
    if step.kind is ListenFor.CHOICE:
        return Utterance(step.phrases[0])
    return Utterance("my sister called and we argued")


def _walk(coach: Coach, clock: ManualClock, exercise: str, steps: int) -> tuple[Reply, int]:
    """Start `exercise` and answer up to `steps` turns while it is still running."""
    reply = coach.start_exercise(exercise)
    taken = 0
    while taken < steps:
        event = _answer_for(reply)
        if isinstance(reply.next, Wait):
            clock.advance(reply.next.seconds)
        following = coach.handle(event)
        if following.state != exercise:
            break
        reply, taken = following, taken + 1
    return reply, taken


def _coach(path: Path) -> tuple[Coach, ManualClock, Journal]:
    clock = ManualClock(datetime(2026, 11, 26, 15, 0).astimezone())
    journal = Journal.open(path)
    coach = Coach(Understanding.load(), journal, Settings(name="Sam"), clock, registry())
    coach.start()
    return coach, clock, journal


@pytest.mark.parametrize("exercise", sorted(registry()))
@pytest.mark.parametrize("where", ["first question", "deep inside"])
def test_crisis_mid_exercise_gets_the_crisis_response(
    tmp_path: Path, exercise: str, where: str
) -> None:
    steps = 0
    if where == "deep inside":
        # A probe walk finds the last turn before the exercise ends; the real walk stops there.
        probe, probe_clock, probe_journal = _coach(tmp_path / "probe.sqlite3")
        _reply, steps = _walk(probe, probe_clock, exercise, 60)
        probe_journal.close()
    coach, clock, journal = _coach(tmp_path / "journal.sqlite3")
    reply, taken = _walk(coach, clock, exercise, steps)
    assert reply.state == exercise and taken == steps
    answered = journal.latest_answers(exercise)
    crisis_phrase = CRISIS_PHRASES[taken % len(CRISIS_PHRASES)]
    crisis = coach.handle(Utterance(crisis_phrase))
    assert crisis.intent == "crisis"
    assert coach.state == "safety"
    assert "nine one one" in crisis.text
    if "pills" in crisis_phrase:  # an overdose: the emergency number comes first
        assert crisis.speech[0].text.startswith("Please call nine one one")
    else:  # the crisis line within the first two sentences
        assert "nine eight eight" in " ".join(s.text for s in crisis.speech[:2])
    # Every answer given before the crisis is still there, and the session says why it ended.
    assert journal.latest_answers(exercise) == answered
    started = next(s for s in journal.snapshot().sessions if s.exercise == exercise)
    assert started.status == "crisis"
    journal.close()


def test_killing_chat_mid_exercise_keeps_every_answer(named_home: Path) -> None:
    env = dict(os.environ, VOICE_COACH_HOME=str(named_home), PYTHONPATH=str(REPO))
    proc = subprocess.Popen(
        [sys.executable, "-m", "voice_coach", "chat", "--fast"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=REPO,
    )
    assert proc.stdin is not None and proc.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    out = proc.stdout

    def read() -> None:
        for line in out:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()

    def wait_for_question() -> None:
        """Until the coach has answered (its reply ends with the next prompt)."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with contextlib.suppress(queue.Empty):
                line = lines.get(timeout=0.5)
                if "?" in line or "Think about" in line:
                    return
        raise AssertionError("the coach never asked a question")

    def say(line: str) -> None:
        assert proc.stdin is not None
        proc.stdin.write(line + "\n")
        proc.stdin.flush()

    try:
        say("let's do a cost benefit analysis")
        wait_for_question()
        say("it helps me relax after work")
        wait_for_question()
        say("I lose my mornings and my money")
        wait_for_question()
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    with Journal.open(named_home / "data" / "journal.sqlite3") as journal:
        texts = [a.text for s in journal.snapshot().sessions for a in s.answers]
    assert "it helps me relax after work" in texts
    assert "I lose my mornings and my money" in texts
    # The next start marks the unfinished exercise as interrupted, answers untouched.
    restarted = subprocess.run(
        [sys.executable, "-m", "voice_coach", "chat", "--fast"],
        input="", capture_output=True, text=True, env=env, cwd=REPO, timeout=60,
    )
    assert restarted.returncode == 0
    with Journal.open(named_home / "data" / "journal.sqlite3") as journal:
        (session,) = journal.snapshot().sessions
    assert session.status == "interrupted"
    assert len(session.answers) == 2
