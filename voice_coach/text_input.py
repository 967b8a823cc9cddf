"""Lines typed or piped into text mode: UTF-8 that never crashes, a timeout that sees every line.

Reading the file descriptor ourselves matters twice. Python's text layer reads
ahead: with piped input, lines already sitting in its buffer are invisible to
`select()`, so a real-time chat took answers it had for silence. And a byte
that is not UTF-8 raised `UnicodeDecodeError` and lost the lines before it;
here it becomes U+FFFD and everything else is kept.
"""

from __future__ import annotations

import codecs
import math
import os
import select
from typing import TextIO

EOF = "\x00EOF"
"""Returned by `readline` at the end of input."""
_BLOCK = 65536


class LineReader:
    """`readline(timeout)` over a stream: a line, None when the timeout passed first, or EOF."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        try:
            self._fd: int | None = stream.fileno()
        except (OSError, ValueError, AttributeError):
            self._fd = None  # a StringIO (tests): lines are always ready
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._pending = ""
        self._ended = False

    def readline(self, timeout: float = math.inf) -> str | None:
        """The next line without its line ending; None after `timeout` seconds; EOF at the end."""
        if self._fd is None:
            raw = self._stream.readline()
            return EOF if raw == "" else raw.rstrip("\r\n")
        while "\n" not in self._pending and not self._ended:
            if math.isfinite(timeout):
                readable, _, _ = select.select([self._fd], [], [], max(0.0, timeout))
                if not readable:
                    return None
            block = os.read(self._fd, _BLOCK)
            if not block:
                self._ended = True
                self._pending += self._decoder.decode(b"", final=True)
            else:
                self._pending += self._decoder.decode(block)
        if "\n" in self._pending:
            line, self._pending = self._pending.split("\n", 1)
            return line.rstrip("\r")
        if self._pending:
            line, self._pending = self._pending, ""
            return line.rstrip("\r")
        return EOF
