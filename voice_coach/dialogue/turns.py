"""Lines into a `Reply`: the pace they are spoken at, and what to listen for next.

Every reply the engine gives is built here, so the choice of `Listen` for each
situation (a question, an offer, the idle top level, a pause) is made once.
"""

from __future__ import annotations

import math

from voice_coach.exercises.script import Ask
from voice_coach.messages import Listen, ListenFor, Reply, Speak, Wait
from voice_coach.settings import Settings

IDLE_TIMEOUT = math.inf
MAX_PACE = 2.0


class Turns:
    """Builds replies at the current pace ("slower" makes every later line slower)."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self.pace = settings.pace
        """1.0 is normal; "slower" raises it by a quarter, up to `MAX_PACE`."""

    def slow_down(self) -> None:
        self.pace = min(MAX_PACE, round(self.pace * 1.25, 2))

    def listen_for(self, ask: Ask) -> Listen:
        """Listen for the answer to a question (its options feed a CHOICE grammar)."""
        phrases = tuple(p for c in ask.choices for p in (c.phrases or (c.value,)))
        return Listen(ask.kind, self._settings.answer_timeout, phrases)

    def offer_listen(self) -> Listen:
        """An offer is answered yes or no, but any request (and crisis) is still heard."""
        return Listen(ListenFor.YES_NO, self._settings.answer_timeout, requests=True)

    def idle_listen(self) -> Listen:
        """The top level between exercises: any request, no timeout."""
        return Listen(ListenFor.COMMAND, IDLE_TIMEOUT, idle=True)

    def paused_listen(self) -> Listen:
        """Paused by the person: "resume", "stop" (and crisis) matter, for as long as it takes."""
        return Listen(ListenFor.COMMAND, IDLE_TIMEOUT)

    def free_listen(self) -> Listen:
        return Listen(ListenFor.FREE, self._settings.answer_timeout)

    def reply(
        self,
        lines: list[str] | tuple[str, ...],
        next_step: Listen | Wait,
        state: str,
        intent: str | None = None,
        ended: bool = False,
        cacheable: bool = True,
    ) -> Reply:
        speech = tuple(Speak(line, self.pace, cacheable) for line in lines if line)
        return Reply(speech, next_step, ended, state, intent)
