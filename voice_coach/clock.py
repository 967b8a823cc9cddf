"""Time as a dependency, so exercises with minutes-long pauses run instantly in tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Anything that can tell the current local time."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real wall clock (local time, timezone-aware)."""

    def now(self) -> datetime:
        return datetime.now().astimezone()


class ManualClock:
    """A clock that moves only when told: `--fast` chat mode and tests use it."""

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime.now().astimezone()

    def now(self) -> datetime:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)

    def set(self, when: datetime) -> None:
        self._now = when
