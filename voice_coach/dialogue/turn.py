"""The one turn protocol: how text mode, the voice loop and the benchmarks take turns with a Coach.

The engine decides what is said; this loop decides when. It has a reply carried
out, lets the coach make its own offers while the top level is idle, passes on
what happened next (an utterance, a silence, a tick when a `Wait` is over,
speech that was not understood) and stops when the input ends. A `Transport`
does only the input and output, under its own `TimingPolicy`.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Protocol

from voice_coach.dialogue.engine import Coach
from voice_coach.messages import Event, Listen, Reply, Utterance, Wait

log = logging.getLogger(__name__)


class NothingYet:
    """Returned by `Transport.next_event` at the idle top level when nothing was heard for a
    while: the protocol checks whether an offer is due, then listens again."""


NOTHING_YET = NothingYet()


@dataclass(frozen=True)
class TimingPolicy:
    """How a transport keeps time."""

    answer_timeout: float | None = None
    """Seconds to wait for an answer before a `Silence`; None: each `Listen`'s own timeout
    (voice), `math.inf`: never (typed input, where a half-typed line is not a silence)."""
    offers: bool = True
    """Let the coach make its unprompted offers (the evening reflection) when idle."""
    end_on_goodbye: bool = True
    """Goodbye ends the conversation (text mode); voice mode goes back to listening."""

    def timeout(self, listen: Listen) -> float:
        return listen.timeout if self.answer_timeout is None else self.answer_timeout


VOICE = TimingPolicy(answer_timeout=None, offers=True, end_on_goodbye=False)
"""The hands-free loop: the coach's own timeouts; always on."""
TEXT = TimingPolicy(answer_timeout=math.inf, offers=True, end_on_goodbye=True)
"""Text mode: typing takes as long as it takes; an empty line is the silence."""
TEXT_FAST = TimingPolicy(answer_timeout=math.inf, offers=False, end_on_goodbye=True)
"""`chat --fast` on a manual clock: no offers (its clock is not the time of day)."""


class Transport(Protocol):
    """The input and output of one kind of conversation (a terminal, a microphone...)."""

    def say(self, reply: Reply) -> Event | None:
        """Carry out the reply's speech; return what interrupted it (barge-in), else None."""
        ...

    def next_event(self, step: Listen | Wait, timeout: float) -> Event | NothingYet | None:
        """What happened next. For a `Wait`, a `Tick` once `step.seconds` passed; for a
        `Listen`, what was said or a `Silence` after `timeout`. None when the input ended."""
        ...

    def handled(self, reply: Reply) -> None:
        """Told each reply to something the person said (logs, timings)."""
        ...


def converse(coach: Coach, transport: Transport, policy: TimingPolicy) -> None:
    """Take turns until the input ends (or, with `policy.end_on_goodbye`, until goodbye)."""
    reply = coach.start()
    while True:
        interruption = transport.say(reply)
        if interruption is not None:
            reply = _handle(coach, transport, interruption)
            continue
        if reply.ended and policy.end_on_goodbye:
            return
        step = reply.next
        while True:
            if policy.offers and isinstance(step, Listen) and step.idle:
                offer = coach.proactive()
                if offer is not None:
                    reply = offer
                    break
            timeout = policy.timeout(step) if isinstance(step, Listen) else step.seconds
            event = transport.next_event(step, timeout)
            if event is None:
                return
            if isinstance(event, NothingYet):
                continue
            reply = _handle(coach, transport, event)
            break


def _handle(coach: Coach, transport: Transport, event: Event) -> Reply:
    reply = coach.handle(event)
    if isinstance(event, Utterance):
        transport.handled(reply)
    return reply
