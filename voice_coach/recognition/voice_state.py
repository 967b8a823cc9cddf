"""The person's acoustic state, kept between sessions: one person, one microphone.

PocketSphinx normalises every utterance by a running cepstral mean (the
average spectrum shape of the voice, room and microphone). Within a session it
carries over from utterance to utterance and settles on the person's voice;
at start it used to begin again from the model's generic value, so the first
few things said each session were heard worst. Here the mean is saved after
every confidently recognised utterance and restored at start.

The file (`data_dir/voice-state.json`, 0600: it is derived from the person's
voice) holds one entry per engine and model; an entry that does not fit the
model (another length, a non-number) is ignored. Vosk has no equivalent
call (Kaldi's online CMVN and i-vectors are internal), so only PocketSphinx
uses it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import math
import os
from pathlib import Path

from voice_coach.paths import ensure_private_dir

log = logging.getLogger(__name__)

FILE_NAME = "voice-state.json"


class VoiceState:
    """Read and write the saved acoustic state (a missing or damaged file is simply empty)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._entries: dict[str, str] | None = None
        self._warned = False

    def _read(self) -> dict[str, str]:
        if self._entries is None:
            self._entries = {}
            if self.path is not None and self.path.is_file():
                try:
                    data = json.loads(self.path.read_text(encoding="utf-8"))
                except (OSError, ValueError, UnicodeDecodeError) as exc:
                    log.info("Ignoring the saved voice state in %s (%s)", self.path, exc)
                    data = {}
                if isinstance(data, dict):
                    self._entries = {str(k): v for k, v in data.items() if isinstance(v, str)}
        return self._entries

    def load(self, key: str, size: int) -> str | None:
        """The saved value for `key` if it is `size` finite numbers, else None."""
        value = self._read().get(key)
        if value is None:
            return None
        try:
            numbers = [float(x) for x in value.split(",")]
        except ValueError:
            return None
        if len(numbers) != size or not all(math.isfinite(x) for x in numbers):
            return None
        return value

    def save(self, key: str, value: str) -> None:
        """Store `value` for `key` atomically, readable only by the user."""
        entries = self._read()
        if self.path is None or entries.get(key) == value:
            return
        entries[key] = value
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        try:
            ensure_private_dir(self.path.parent)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                os.fchmod(out.fileno(), 0o600)
                json.dump(entries, out, indent=1, sort_keys=True)
            tmp.replace(self.path)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            if not self._warned:
                self._warned = True
                log.warning(
                    "Cannot save the voice state in %s (%s); the coach will start from "
                    "the generic voice next time",
                    self.path,
                    exc.strerror or exc,
                )
