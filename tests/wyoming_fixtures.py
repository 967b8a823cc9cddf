"""A real `voice-coach serve` in its own process, and a real `wyoming` client to talk to it."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from wyoming.asr import Transcribe, Transcript
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.client import AsyncClient
from wyoming.event import Event
from wyoming.handle import Handled

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Served:
    uri: str
    port: int
    process: subprocess.Popen[str]
    home: Path

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_serve(home: Path, uri: str | None = None, port: int | None = None) -> Served:
    """Start `voice-coach serve` and wait until it says it is serving (models loaded)."""
    port = port or free_port()
    uri = uri or f"tcp://127.0.0.1:{port}"
    env = dict(os.environ, VOICE_COACH_HOME=str(home))
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    process = subprocess.Popen(
        [sys.executable, "-m", "voice_coach", "serve", "--uri", uri],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO,
    )
    assert process.stderr is not None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if "serving Wyoming" in line:
            return Served(uri, port, process, home)
        if not line and process.poll() is not None:
            break
    process.kill()
    raise AssertionError(f"voice-coach serve did not start: {process.stderr.read()}")


@pytest.fixture
def served(named_home: Path) -> Iterator[Served]:
    server = start_serve(named_home)
    yield server
    server.stop()


def talk(
    uri: str, *events: Event, until: str | tuple[str, ...], timeout: float = 60
) -> list[Event]:
    """Open a connection, send `events`, read until an event of type `until`; all read events."""

    async def run() -> list[Event]:
        wanted = (until,) if isinstance(until, str) else until
        async with AsyncClient.from_uri(uri) as client:
            for event in events:
                await client.write_event(event)
            got: list[Event] = []
            while True:
                event = await asyncio.wait_for(client.read_event(), timeout)
                assert event is not None, "the service hung up"
                got.append(event)
                if event.type in wanted:
                    return got

    return asyncio.run(run())


def say(uri: str, conversation: str, text: str) -> str:
    """One sentence to the coach as Home Assistant sends it; the coach's reply text."""
    context: dict[str, Any] = {"conversation_id": conversation}
    (handled,) = talk(uri, Transcript(text, context=context).event(), until="handled")
    return Handled.from_event(handled).text or ""


def audio_events(samples: bytes, rate: int, chunk_bytes: int = 2048) -> list[Event]:
    events = [AudioStart(rate=rate, width=2, channels=1).event()]
    for start in range(0, len(samples), chunk_bytes):
        events.append(
            AudioChunk(rate=rate, width=2, channels=1,
                       audio=samples[start : start + chunk_bytes]).event()
        )
    events.append(AudioStop().event())
    return events


def hear(uri: str, samples: bytes, rate: int, context: dict[str, Any] | None = None) -> str:
    """Send audio as a satellite does (with the quiet around speech); the transcript back."""
    quiet = bytes(2 * int(rate * 0.3))
    samples = quiet + samples + quiet
    events = [Transcribe(language="en", context=context).event(), *audio_events(samples, rate)]
    got = talk(uri, *events, until="transcript")
    return Transcript.from_event(got[-1]).text
