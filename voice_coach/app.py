"""Assemble a coach from settings: the one place that wires journal, understanding and clock."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from voice_coach.clock import Clock
from voice_coach.dialogue.engine import Coach
from voice_coach.exercises import registry
from voice_coach.journal.store import Journal
from voice_coach.paths import Paths
from voice_coach.settings import Settings
from voice_coach.understanding import Understanding


@contextmanager
def open_coach(paths: Paths, settings: Settings, clock: Clock) -> Iterator[Coach]:
    """A ready coach whose journal is closed (and exercise ended) on the way out."""
    understanding = Understanding.load()
    journal = Journal.open(paths.journal_file)
    journal.close_interrupted_sessions(clock.now())
    coach = Coach(understanding, journal, settings, clock, registry())
    try:
        yield coach
    finally:
        try:
            coach.close()
            # A stop signal can land between a session's INSERT and the engine taking it
            # on: nothing may be left "active" (measured by benchmarks/kill_loop.py).
            journal.close_interrupted_sessions(clock.now())
        finally:
            journal.close()
