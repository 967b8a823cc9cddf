"""The one turn protocol (`dialogue.turn.converse`) with the real coach, driven by a script."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from voice_coach.clock import ManualClock
from voice_coach.dialogue.engine import Coach
from voice_coach.dialogue.turn import NOTHING_YET, TEXT, TEXT_FAST, VOICE, NothingYet, converse
from voice_coach.exercises import registry
from voice_coach.journal.store import Journal
from voice_coach.messages import Event, Listen, Reply, Silence, Tick, Utterance, Wait
from voice_coach.settings import Settings
from voice_coach.understanding import Understanding


class Scripted:
    """A transport that answers each `Listen` from a list (a `Wait` gets its `Tick` once the
    clock has moved on) and records every turn it was asked for."""

    def __init__(self, events: list[Event | NothingYet], clock: ManualClock) -> None:
        self.events = list(events)
        self.clock = clock
        self.said: list[str] = []
        self.asked: list[tuple[Listen | Wait, float]] = []

    def say(self, reply: Reply) -> Event | None:
        self.said.extend(s.text for s in reply.speech)
        return None

    def next_event(self, step: Listen | Wait, timeout: float) -> Event | NothingYet | None:
        self.asked.append((step, timeout))
        if isinstance(step, Wait):
            self.clock.advance(step.seconds)
            return Tick()
        return self.events.pop(0) if self.events else None

    def handled(self, reply: Reply) -> None:
        pass


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal.open(tmp_path / "journal.sqlite3") as opened:
        opened.set_profile("first_run_done", "yes")
        yield opened


def coach_at(journal: Journal, when: datetime) -> tuple[Coach, ManualClock]:
    clock = ManualClock(when)
    settings = Settings(name="Sam", evening_reflection_time="21:00")
    return Coach(Understanding.load(), journal, settings, clock, registry()), clock


def test_at_half_past_nine_the_offer_comes_first_and_a_request_still_starts(
    journal: Journal,
) -> None:
    coach, clock = coach_at(journal, datetime(2026, 11, 26, 21, 30).astimezone())
    transport = Scripted([Utterance("I'm having an urge"), Utterance("stop")], clock)
    converse(coach, transport, VOICE)
    assert any("evening reflection" in line for line in transport.said)
    offer_listen = transport.asked[0][0]
    assert isinstance(offer_listen, Listen) and offer_listen.requests
    assert [s.exercise for s in journal.snapshot().sessions] == ["urge_help"]


def test_an_offer_falls_due_while_idle_and_is_made_between_listening_rounds(
    journal: Journal,
) -> None:
    coach, clock = coach_at(journal, datetime(2026, 11, 26, 20, 59, 50).astimezone())

    class Late(Scripted):
        def next_event(self, step: Listen | Wait, timeout: float) -> Event | NothingYet | None:
            self.clock.advance(30)  # a round of idle listening heard nothing
            return super().next_event(step, timeout)

    transport = Late([NOTHING_YET, Utterance("no"), Utterance("goodbye")], clock)
    converse(coach, transport, TEXT)
    assert transport.said[0].startswith("Hi") or "Sam" in transport.said[0]
    assert any("evening reflection" in line for line in transport.said[1:])
    assert "No problem. Sleep well, and I'm here if you need me." in transport.said


def test_waits_become_ticks_and_goodbye_ends_text_mode_but_not_voice(journal: Journal) -> None:
    coach, clock = coach_at(journal, datetime(2026, 11, 26, 14, 0).astimezone())
    lines = ["let's breathe", "box", "one", "no", "no", "goodbye", "hello"]
    transport = Scripted([Utterance(line) for line in lines], clock)
    converse(coach, transport, TEXT)
    assert any(isinstance(step, Wait) for step, _ in transport.asked)
    assert transport.events == [Utterance("hello")]  # text mode stopped at goodbye
    assert [s.status for s in journal.snapshot().sessions] == ["completed"]
    coach, clock = coach_at(journal, datetime(2026, 11, 27, 14, 0).astimezone())
    voice = Scripted([Utterance("goodbye"), Utterance("hello")], clock)
    converse(coach, voice, VOICE)
    assert voice.events == []  # voice mode listened on after goodbye


def test_text_mode_has_no_answer_timeout_and_fast_text_mode_makes_no_offers(
    journal: Journal,
) -> None:
    coach, clock = coach_at(journal, datetime(2026, 11, 26, 14, 0).astimezone())
    transport = Scripted([Utterance("quick check in"), Silence()], clock)
    converse(coach, transport, TEXT)
    question = [(step, timeout) for step, timeout in transport.asked if not step.idle]  # type: ignore[union-attr]
    assert question and all(timeout == math.inf for _, timeout in question)
    voice_coach, voice_clock = coach_at(journal, datetime(2026, 11, 26, 14, 0).astimezone())
    voice = Scripted([Utterance("quick check in"), Silence()], voice_clock)
    converse(voice_coach, voice, VOICE)
    assert all(timeout == 20.0 for step, timeout in voice.asked if not step.idle)  # type: ignore[union-attr]
    late, late_clock = coach_at(journal, datetime(2026, 11, 28, 22, 0).astimezone())
    fast = Scripted([Utterance("goodbye")], late_clock)
    converse(late, fast, TEXT_FAST)
    assert not any("evening reflection" in line for line in fast.said)
