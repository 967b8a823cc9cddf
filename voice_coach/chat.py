"""Text mode: the dialogue engine on standard input and output.

One coach utterance per output line; one input line per utterance, an empty
line standing for silence. With `fast`, timed pauses pass instantly on a
manual clock, so scripts and tests run a ten-minute exercise in a blink.
"""

from __future__ import annotations

import sys
from typing import TextIO

from voice_coach.clock import ManualClock
from voice_coach.dialogue.engine import Coach
from voice_coach.dialogue.turn import TEXT, TEXT_FAST, converse
from voice_coach.messages import Event, Listen, Reply, Silence, Tick, Utterance, Wait
from voice_coach.text_input import EOF as _EOF
from voice_coach.text_input import LineReader

QUIT_WORDS = frozenset({"quit", "exit", "/quit", "/exit"})
"""Typed alone, these leave text mode from anywhere (an exercise is stopped, answers kept)."""

FAST_STEP_SECONDS = 1.0
"""How far the manual clock moves per answer in fast mode (keeps timestamps ordered)."""


class ChatSession:
    """Drive a coach from lines of text until end of input or goodbye."""

    def __init__(
        self,
        coach: Coach,
        stdin: TextIO,
        stdout: TextIO,
        clock: ManualClock | None = None,
        prompt: TextIO | None = None,
    ) -> None:
        self._coach = coach
        self._in = LineReader(stdin)
        self._out = stdout
        self._clock = clock
        """Present in fast mode: waits advance it instead of sleeping."""
        self._prompt = prompt
        """Where to show a `you>` prompt (a terminal), or None."""

    def run(self) -> None:
        converse(self._coach, self, TEXT if self._clock is None else TEXT_FAST)

    # ----- the Transport of the turn protocol ---------------------------------

    def say(self, reply: Reply) -> Event | None:
        for speak in reply.speech:
            self._out.write(speak.shown + "\n")
        self._out.flush()
        return None

    def handled(self, reply: Reply) -> None:
        pass

    def next_event(self, step: Listen | Wait, timeout: float) -> Event | None:
        event = self._read_event(step, timeout)
        if isinstance(event, Utterance) and _is_quit(event.text):
            self._coach.close()  # an exercise in progress ends as stopped, answers kept
            return Utterance("goodbye")
        return event

    def _read_event(self, step: Listen | Wait, timeout: float) -> Event | None:
        if isinstance(step, Wait):
            if self._clock is not None:
                self._clock.advance(step.seconds)
                return Tick()
            line = self._read_line(step.seconds, show_prompt=False)
            if line == _EOF:  # Ctrl-D (or the end of piped input) leaves, even mid-pause
                return None
            return Tick() if line is None else Utterance(line)
        if self._clock is not None:
            self._clock.advance(FAST_STEP_SECONDS)
        line = self._read_line(timeout)
        if line is None:
            return Silence()
        if line == _EOF:
            return None
        return Utterance(line) if line else Silence()

    def _read_line(self, timeout: float, show_prompt: bool = True) -> str | None:
        """A line, `None` when the timeout passed first, or `_EOF`."""
        if show_prompt and self._prompt is not None:
            self._prompt.write("you> ")
            self._prompt.flush()
        line = self._in.readline(timeout)
        if line is None and show_prompt and self._prompt is not None:
            self._prompt.write("\n")
        return line


def _is_quit(text: str) -> bool:
    return text.strip().lower().rstrip(".!") in QUIT_WORDS


def run_chat(coach: Coach, fast_clock: ManualClock | None) -> None:
    """Text mode on this process's terminal or pipes."""
    prompt = sys.stderr if sys.stdin.isatty() else None
    ChatSession(coach, sys.stdin, sys.stdout, fast_clock, prompt).run()
