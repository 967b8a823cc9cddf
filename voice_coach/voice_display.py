"""What voice mode shows: a live status line on a terminal, plain state logs as a service.

On a terminal the person sees what the coach is doing (loading, listening,
hearing "partial words", thinking, speaking), every sentence the coach says,
and (unless `show_transcripts = false`) what it heard. A question nobody
answered says so. As a service the same moments are logged at info level as
states only: never a word the person said, nor the coach's read-backs of them.
The voice loop calls these hooks and knows nothing about terminals.
"""

from __future__ import annotations

import logging
import shutil
import sys
from typing import Protocol, TextIO

log = logging.getLogger(__name__)

IDLE_HINT = 'say "I\'m having an urge", "let\'s breathe" or "what can you do" any time'


class VoiceDisplay:
    """The moments of a voice turn, as the loop sees them; this base shows none of them.

    Each display overrides the moments it shows (the service log shows states only).
    """

    def loading(self, what: str) -> None:
        """A model or voice is loading (before the first greeting)."""

    def listening(self, expecting: str, timeout: float, idle: bool) -> None:
        """The microphone is open for `expecting` (a `ListenFor` value); `idle` at the top."""

    def hearing(self, partial: str) -> None:
        """Speech is coming in; `partial` is the recognizer's words so far (may be "")."""

    def thinking(self) -> None:
        """The utterance ended; the coach is deciding what to say."""

    def speaking(self, text: str) -> None:
        """The coach starts saying `text` (one sentence)."""

    def heard(self, text: str) -> None:
        """The final transcript of what the person said."""

    def timed_out(self, seconds: float) -> None:
        """Nobody answered within `seconds`."""

    def notice(self, text: str) -> None:
        """A message for the person that is not speech (a fallback, a warning)."""

    def stopped(self) -> None:
        """The voice loop has ended."""


class _Decoder(Protocol):
    def accept(self, chunk: bytes, /) -> object: ...


class HearingSink:
    """Passes speech to the recognizer and shows its partial words as they change."""

    def __init__(self, recognizer: _Decoder, display: VoiceDisplay) -> None:
        self.recognizer = recognizer
        self.display = display
        self._started = False

    def accept(self, chunk: bytes, /) -> object:
        partial = self.recognizer.accept(chunk)
        if not self._started:
            self._started = True
            self.display.hearing("")
        text = getattr(partial, "text", "")
        if isinstance(text, str) and text:
            self.display.hearing(text)
        return partial


class NoDisplay(VoiceDisplay):
    """Shows nothing (benchmarks, tests that watch the audio only)."""


class LogDisplay(VoiceDisplay):
    """For `run --service` (systemd's journal): states at info level, no words at all."""

    def __init__(self) -> None:
        self._last = ""

    def _state(self, state: str) -> None:
        if state != self._last:
            self._last = state
            log.info("state: %s", state)

    def loading(self, what: str) -> None:
        self._state("loading")

    def listening(self, expecting: str, timeout: float, idle: bool) -> None:
        self._state("waiting for a request" if idle else f"listening for {expecting}")

    def hearing(self, partial: str) -> None:
        self._state("hearing speech")

    def thinking(self) -> None:
        self._state("thinking")

    def speaking(self, text: str) -> None:
        self._state("speaking")

    def timed_out(self, seconds: float) -> None:
        log.info("state: no answer after %.0f s", seconds)
        self._last = ""

    def notice(self, text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    def stopped(self) -> None:
        self._state("stopped")


class TerminalDisplay(VoiceDisplay):
    """A status line kept at the bottom, with the conversation printed above it."""

    def __init__(self, out: TextIO = sys.stdout, show_transcripts: bool = True,
                 color: bool | None = None) -> None:
        self.out = out
        self.show_transcripts = show_transcripts
        self._status = ""
        self._color = out.isatty() if color is None else color

    def _width(self) -> int:
        return max(20, shutil.get_terminal_size((80, 24)).columns - 1)

    def _set(self, status: str) -> None:
        self._status = status
        text = status[: self._width()]
        if self._color:
            text = f"\033[2m{text}\033[0m"
        self.out.write(f"\r\033[K{text}")
        self.out.flush()

    def _line(self, text: str) -> None:
        """Print a line above the status line, then put the status back."""
        self.out.write(f"\r\033[K{text}\n")
        status, self._status = self._status, ""
        if status:
            self._set(status)
        else:
            self.out.flush()

    def loading(self, what: str) -> None:
        self._set(f"Loading {what}…")

    def listening(self, expecting: str, timeout: float, idle: bool) -> None:
        if idle:
            self._set(f"● Listening — {IDLE_HINT}. Ctrl-C to stop.")
        elif expecting == "pause":
            self._set("● Listening (say stop or pause whenever you like)")
        else:
            wait = f"I'll wait {timeout:.0f} s"
            self._set(f"● Listening for your answer ({_what(expecting)}; {wait})")

    def hearing(self, partial: str) -> None:
        if partial and self.show_transcripts:
            self._set(f"◐ Hearing “{partial}”")
        else:
            self._set("◐ Hearing you…")

    def thinking(self) -> None:
        self._set("… Thinking")

    def speaking(self, text: str) -> None:
        self._status = ""
        self._line(f"Coach: {text}")
        self._set("♪ Speaking (Ctrl-C to stop)")

    def heard(self, text: str) -> None:
        if self.show_transcripts:
            self._line(f"You:   {text}")
        else:
            self._line("You:   (heard; show_transcripts is off)")

    def timed_out(self, seconds: float) -> None:
        self._line(f"(No answer after {seconds:.0f} s.)")

    def notice(self, text: str) -> None:
        self._line(text)

    def stopped(self) -> None:
        self.out.write("\r\033[K")
        self.out.flush()


def _what(expecting: str) -> str:
    return {
        "number": "a number from 0 to 10",
        "yes_no": "yes or no",
        "choice": "one of the options",
        "free": "in your own words",
        "command": "a request",
    }.get(expecting, expecting)


def choose_display(service: bool, show_transcripts: bool, out: TextIO = sys.stdout) -> VoiceDisplay:
    """The terminal display on a terminal, state logs otherwise (a service, a pipe)."""
    if not service and out.isatty():
        return TerminalDisplay(out, show_transcripts)
    return LogDisplay()
