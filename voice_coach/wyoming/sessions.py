"""One coach session per conversation id: how a handle service drives the pure engine.

Home Assistant's Wyoming conversation agent (homeassistant/components/wyoming/
conversation.py) opens a connection per sentence and sends one `transcript`
whose `context` carries `conversation_id`; an Assist satellite keeps the same id
for follow-up sentences while Home Assistant's chat session lives (five minutes
since last use). So each id gets its own `Coach`, kept between connections, and
the engine is driven exactly as text mode drives it: `Utterance` in, `Reply` out.

What a single spoken turn cannot do is wait: a satellite speaks the reply and
stops listening. A short timed pause (a breath) is passed through at once; a
long one ends the reply with an invitation to go on, and the next sentence that
is not "stop" or a crisis moves the exercise past the pause.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from voice_coach.clock import Clock, SystemClock
from voice_coach.dialogue.engine import Coach
from voice_coach.dialogue.safety import DISCLAIMER
from voice_coach.messages import Listen, ListenFor, Reply, Silence, Tick, Utterance, Wait

log = logging.getLogger(__name__)

SHORT_PAUSE_SECONDS = 12.0
"""Timed pauses up to this long (a breath, a moment to notice) pass straight through in one
spoken turn; longer ones (the minutes of an urge surf) end the turn with a cue."""
READY_CUES = (
    "Take all the time you need, and tell me when you're ready to go on.",
    "Stay with it for a while. Say \"ready\" when you want to go on.",
)
"""Alternated, so the same cue is never said twice in a row."""
SESSION_IDLE_SECONDS = 15 * 60.0
"""A conversation unused this long is closed (Home Assistant itself moves on after 5 minutes)."""
ANONYMOUS = "default"
"""The session used when a client sends no conversation id."""
TOP_LISTEN = Listen(ListenFor.COMMAND, 0.0, idle=True)
"""A new conversation: any request the coach understands."""
WAIT_LISTEN = Listen(ListenFor.COMMAND, 0.0)
"""What to listen for while a pause is open: any request, "I'm ready", "stop" or a crisis."""


class SkippableClock:
    """Wall-clock time that can jump ahead, to end a pause when the person says so."""

    def __init__(self, base: Clock | None = None) -> None:
        self._base = base or SystemClock()
        self._offset = timedelta()

    def now(self) -> datetime:
        return self._base.now() + self._offset

    def skip_to(self, when: datetime) -> None:
        ahead = when - self.now()
        if ahead > timedelta():
            self._offset += ahead


@dataclass(frozen=True)
class TurnResult:
    """What a handle service sends back for one sentence."""

    text: str
    ended: bool
    state: str


@dataclass
class _Session:
    coach: Coach
    clock: SkippableClock
    last: Reply | None = None
    wait_until: datetime | None = None
    cues: int = 0
    used: float = field(default_factory=time.monotonic)


CoachFactory = Callable[[Clock], Coach]


class ConversationSessions:
    """Coaches by conversation id. Thread-safe: one turn at a time across all of them."""

    def __init__(self, make_coach: CoachFactory, idle_seconds: float = SESSION_IDLE_SECONDS):
        self._make_coach = make_coach
        self._idle = idle_seconds
        self._sessions: dict[str, _Session] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._sessions)

    def turn(self, conversation_id: str | None, text: str) -> TurnResult:
        """Answer one sentence of the conversation `conversation_id` (new id: new session)."""
        key = conversation_id or ANONYMOUS
        with self._lock:
            self._expire()
            session = self._sessions.get(key)
            lines: list[str] = []
            if session is None:
                session = self._open(key, lines)
            session.used = time.monotonic()
            reply = self._answer(session, text)
            lines += [s.text for s in reply.speech]
            reply = self._through_short_pauses(session, reply, lines)
            session.last = reply
            if reply.ended:
                self._close(key)
            return TurnResult(" ".join(line for line in lines if line), reply.ended, reply.state)

    def listening_for(self, conversation_id: str | None) -> Listen | None:
        """What the conversation expects next (for the asr grammar); None without an id.

        A conversation not seen yet (or closed) starts at the top level: a request.
        """
        if not conversation_id:
            return None
        with self._lock:
            session = self._sessions.get(conversation_id)
            if session is None or session.last is None:
                return TOP_LISTEN
            step = session.last.next
            return WAIT_LISTEN if isinstance(step, Wait) else step

    def close_all(self) -> None:
        """End every open exercise (service shutdown): answers already given are kept."""
        with self._lock:
            for key in list(self._sessions):
                self._close(key)

    # ----- inside the lock -----------------------------------------------------

    def _open(self, key: str, lines: list[str]) -> _Session:
        clock = SkippableClock()
        coach = self._make_coach(clock)
        session = _Session(coach, clock)
        self._sessions[key] = session
        greeting = coach.start()
        # The person already asked for something: answer that, not a hello. On the very
        # first run the disclaimer still comes first (the name question follows if needed).
        if any(s.text == DISCLAIMER for s in greeting.speech):
            lines.append(DISCLAIMER)
        log.info("conversation opened (%d open)", len(self._sessions))
        return session

    def _answer(self, session: _Session, text: str) -> Reply:
        coach = session.coach
        if not text.strip():
            return coach.handle(Silence())
        if session.wait_until is not None and not (coach.is_crisis(text) or coach.is_stop(text)):
            # "I'm ready" (or anything else) after a pause: the pause is over.
            session.clock.skip_to(session.wait_until)
            session.wait_until = None
            return coach.handle(Tick())
        return coach.handle(Utterance(text))

    def _through_short_pauses(self, session: _Session, reply: Reply, lines: list[str]) -> Reply:
        session.wait_until = None
        while isinstance(reply.next, Wait) and not reply.ended:
            until = session.clock.now() + timedelta(seconds=reply.next.seconds)
            if reply.next.seconds > SHORT_PAUSE_SECONDS:
                session.wait_until = until
                lines.append(READY_CUES[session.cues % len(READY_CUES)])
                session.cues += 1
                return reply
            session.clock.skip_to(until)
            reply = session.coach.handle(Tick())
            lines += [s.text for s in reply.speech]
        return reply

    def _expire(self) -> None:
        now = time.monotonic()
        for key, session in list(self._sessions.items()):
            if now - session.used > self._idle:
                log.info("conversation closed after %.0f s unused", now - session.used)
                self._close(key)

    def _close(self, key: str) -> None:
        session = self._sessions.pop(key, None)
        if session is not None:
            try:
                session.coach.close()
            except Exception:
                log.exception("closing a conversation failed")
