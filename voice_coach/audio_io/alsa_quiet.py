"""Keep alsa-lib's own messages ("ALSA lib pcm.c: underrun occurred") off the person's screen.

alsa-lib prints straight to stderr from C, through PortAudio, whenever a
stream recovers from an underrun (the synthesiser fell behind for a moment,
which the speaker already survives). `snd_lib_error_set_handler` is
alsa-lib's documented hook for this: the handler here sends each message to
the debug log and counts them, so `-vv` still shows them.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging

log = logging.getLogger(__name__)

_HANDLER_TYPE = ctypes.CFUNCTYPE(
    None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p
)
_count = [0]
_keep: list[object] = []
"""A live reference to the handler: alsa-lib keeps only the pointer."""


def _to_log(file: bytes | None, line: int, function: bytes | None, err: int,
            fmt: bytes | None) -> None:
    _count[0] += 1
    log.debug("ALSA %s: %s", (function or b"?").decode(errors="replace"),
              (fmt or b"").decode(errors="replace"))


def quiet_alsa() -> bool:
    """Route alsa-lib's messages to the debug log; False when alsa-lib is not there."""
    if _keep:
        return True
    name = ctypes.util.find_library("asound") or "libasound.so.2"
    try:
        asound = ctypes.CDLL(name)
    except OSError:
        return False
    handler = _HANDLER_TYPE(_to_log)
    asound.snd_lib_error_set_handler(handler)
    _keep.append(handler)
    return True


def messages_seen() -> int:
    """How many alsa-lib messages went to the log instead of the screen."""
    return _count[0]
