"""A running `voice-coach run` and a recording of what it says, for the end-to-end voice tests."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

from audio_fixtures import REPO

from voice_coach.audio_io.microphone import SoundDeviceMicrophone
from voice_coach.messages import AudioChunk

REPLY_WORDS = ("urge", "urges", "wave", "strong", "ten", "pass", "zero")


class CoachProcess:
    """`voice-coach -v run --service` in a subprocess, its log lines readable as they come."""

    def __init__(self, home: Path, extra_env: dict[str, str] | None = None) -> None:
        config = home / "config.toml"
        settings = config.read_text(encoding="utf-8") if config.exists() else ""
        # A test that rewrites config.toml and drops PINNED_SETTINGS (conftest) passes by
        # day and fails after 21:00, when the evening offer opens the conversation.
        assert "evening_reflection_time" in settings, (
            f"{config} must set evening_reflection_time (conftest.PINNED_SETTINGS, or a time "
            "when the test is about the offer): otherwise the test depends on the hour"
        )
        env = dict(os.environ, VOICE_COACH_HOME=str(home), PYTHONPATH=str(REPO))
        env.update(extra_env or {})
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "voice_coach", "-v", "run", "--service"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True, env=env, cwd=REPO,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stderr is not None
        for line in self.proc.stderr:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                if self.proc.poll() is not None:
                    break
                continue
            self.seen.append(line)
            if text in line:
                return
        raise AssertionError(f"never logged {text!r}; log so far:\n{''.join(self.seen)}")


class Recorder:
    """Records the virtual microphone (the speaker's monitor) in the background."""

    def __init__(self) -> None:
        self.chunks: list[AudioChunk] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Recorder:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        with SoundDeviceMicrophone() as mic:
            for chunk in mic.chunks():
                self.chunks.append(chunk)
                if self._stop.is_set():
                    return

    def audio_after(self, moment: float) -> bytes:
        return b"".join(c.samples for c in self.chunks if c.time >= moment)
