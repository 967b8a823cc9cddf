"""Remote engines over Wyoming: the coach uses its own `voice-coach serve` as a home server.

Recognition (`engine = "wyoming://HOST:PORT"`) and speech (`voice = ...`) go to
the service while it answers; when it is killed mid-utterance, refuses
connections or hangs, the embedded engine takes over at once (the utterance is
not lost, nothing hangs), the coach says so once, and it switches back when the
service returns.
"""

from __future__ import annotations

import signal
import socket
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from audio_fixtures import Render, transcribe
from wyoming_fixtures import Served, free_port, start_serve

from voice_coach.audio_io.convert import AudioConverter, concatenate
from voice_coach.errors import ConfigError
from voice_coach.messages import Listen, ListenFor
from voice_coach.paths import resolve_paths
from voice_coach.recognition.grammar import Grammars, listen_with
from voice_coach.recognition.remote import FallbackRecognizer, RemoteRecognizer
from voice_coach.recognition.select import create_recognizer
from voice_coach.remote import RETRY_SECONDS, Notices, Switch
from voice_coach.settings import Settings, from_text
from voice_coach.speech.remote import FallbackSynthesizer, RemoteSynthesizer
from voice_coach.understanding import Understanding

RATING = Listen(ListenFor.NUMBER, 0.0)


@pytest.fixture(scope="module")
def grammars() -> Grammars:
    return Grammars(Understanding.load())


@pytest.fixture
def home(named_home: Path) -> Path:
    return named_home


@pytest.fixture
def server(home: Path) -> Iterator[Served]:
    served = start_serve(home)
    yield served
    served.stop()


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def speech_of(render: Render, text: str) -> bytes:
    quiet = b"\x00\x00" * 4800
    return quiet + AudioConverter(16000).convert(render(text)).samples + quiet


def decode(recognizer, audio: bytes) -> str:  # type: ignore[no-untyped-def]
    recognizer.reset()
    for start in range(0, len(audio), 3200):
        recognizer.accept(audio[start : start + 3200])
    return str(recognizer.finish().text)


def fallback(port: int, reply_seconds: float = 10.0) -> tuple[FallbackRecognizer, Notices, Clock]:
    notices, clock = Notices(), Clock()
    settings = Settings()
    paths = resolve_paths(None)
    recognizer = FallbackRecognizer(
        RemoteRecognizer("127.0.0.1", port, reply_seconds),
        lambda: create_recognizer(settings, paths, "pocketsphinx"),
        Switch("speech recognizer", "127.0.0.1", port, notices),
        clock,
    )
    return recognizer, notices, clock


def test_the_engine_setting_picks_the_remote_recognizer(
    server: Served, render: Render, grammars: Grammars, home: Path,
) -> None:
    settings = replace(Settings(), engine=f"wyoming://127.0.0.1:{server.port}")
    recognizer = create_recognizer(settings, resolve_paths(None))
    listen_with(recognizer, grammars, RATING)
    assert decode(recognizer, speech_of(render, "eight out of ten")) == "eight out of ten"
    assert recognizer.name == "wyoming"


def test_the_state_grammar_travels_to_the_coach_server(
    server: Served, render: Render, grammars: Grammars,
) -> None:
    """In a rating, "seven" can only come out as a number or a control word."""
    recognizer, notices, _ = fallback(server.port)
    listen_with(recognizer, grammars, RATING)
    assert decode(recognizer, speech_of(render, "seven")) == "seven"
    listen_with(recognizer, grammars, Listen(ListenFor.YES_NO, 0.0))
    assert decode(recognizer, speech_of(render, "yes please")) in ("yes please", "yes")
    assert recognizer.name == "wyoming" and notices.take() == []


def test_killed_mid_utterance_falls_back_without_losing_it_and_comes_back(
    home: Path, render: Render, grammars: Grammars,
) -> None:
    port = free_port()
    served = start_serve(home, port=port)
    recognizer, notices, clock = fallback(port)
    listen_with(recognizer, grammars, RATING)
    audio = speech_of(render, "eight out of ten")
    recognizer.reset()
    half = len(audio) // 2 // 3200 * 3200
    for start in range(0, half, 3200):
        recognizer.accept(audio[start : start + 3200])
    served.process.send_signal(signal.SIGKILL)
    served.process.wait()
    result: list[str] = []

    def rest() -> None:
        for start in range(half, len(audio), 3200):
            recognizer.accept(audio[start : start + 3200])
        result.append(recognizer.finish().text)

    worker = threading.Thread(target=rest)
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive(), "recognition hung after the server died"
    assert result == ["eight out of ten"]  # the embedded engine heard the whole utterance
    assert recognizer.name == "pocketsphinx"
    (said,) = notices.take()
    assert "can't reach the speech recognizer" in said
    # Still down: the next utterance is embedded, and nothing more is said.
    assert decode(recognizer, audio) == "eight out of ten" and notices.take() == []
    # The server returns; after the retry interval the coach uses it again and says so.
    served = start_serve(home, port=port)
    try:
        clock.now += RETRY_SECONDS + 1
        assert decode(recognizer, audio) == "eight out of ten"
        recognizer.reset()
        assert recognizer.name == "wyoming"
        assert any("is back" in n for n in notices.take())
    finally:
        served.stop()


def test_a_service_that_hangs_counts_as_gone(
    render: Render, grammars: Grammars,
) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    held: list[socket.socket] = []
    accepting = threading.Thread(target=lambda: held.append(listener.accept()[0]), daemon=True)
    accepting.start()
    recognizer, notices, _ = fallback(listener.getsockname()[1], reply_seconds=1.0)
    listen_with(recognizer, grammars, RATING)
    try:
        assert decode(recognizer, speech_of(render, "seven")) == "seven"
        assert recognizer.name == "pocketsphinx" and len(notices.take()) == 1
    finally:
        for conn in held:
            conn.close()
        listener.close()


def test_nothing_listening_falls_back_at_once(
    render: Render, grammars: Grammars,
) -> None:
    recognizer, notices, _ = fallback(free_port())
    listen_with(recognizer, grammars, RATING)
    assert decode(recognizer, speech_of(render, "seven")) == "seven"
    assert len(notices.take()) == 1


def test_the_remote_voice_speaks_and_falls_back_to_piper(home: Path) -> None:
    port = free_port()
    served = start_serve(home, port=port)
    notices, clock = Notices(), Clock()
    from voice_coach.speech.piper_voice import PiperSynthesizer

    def bundled() -> PiperSynthesizer:
        voice = PiperSynthesizer.from_setting("")
        voice.load()
        return voice

    voice = FallbackSynthesizer(RemoteSynthesizer("127.0.0.1", port), bundled,
                                Switch("voice", "127.0.0.1", port, notices), clock)
    text = "How strong is the urge right now?"
    try:
        remote = concatenate(list(voice.synthesize(text)))
        heard = transcribe(remote)
        assert "urge" in heard and "strong" in heard and notices.take() == []
    finally:
        served.stop()
    local = concatenate(list(voice.synthesize(text)))
    assert "strong" in transcribe(local)
    assert len(notices.take()) == 1


def test_a_malformed_address_names_the_key() -> None:
    with pytest.raises(ConfigError, match=r"engine = 'wyoming://nohost'.*HOST:PORT"):
        from_text('engine = "wyoming://nohost"\n', "config.toml")
    assert from_text('voice = "wyoming://homeserver.local:10200"\n').voice == "wyoming://homeserver.local:10200"
