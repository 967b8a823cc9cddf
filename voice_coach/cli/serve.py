"""`voice-coach serve`: offer the coach to Home Assistant and Wyoming satellites."""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import logging
import sys
from collections.abc import Iterable
from urllib.parse import urlparse

from voice_coach.cli.common import paths_from, settings_from
from voice_coach.clock import Clock
from voice_coach.dialogue.engine import Coach
from voice_coach.errors import ConfigError
from voice_coach.exercises import registry
from voice_coach.fixed_prompts import is_fixed_prompt
from voice_coach.journal.store import Journal
from voice_coach.messages import AudioChunk
from voice_coach.recognition.grammar import Grammars
from voice_coach.recognition.select import create_recognizer
from voice_coach.speech.cache import PromptCache, cache_dir
from voice_coach.speech.output import SpeechOutput
from voice_coach.speech.piper_voice import PiperSynthesizer
from voice_coach.understanding import Understanding
from voice_coach.wyoming.service import CoachService, serve
from voice_coach.wyoming.sessions import ConversationSessions

log = logging.getLogger(__name__)

DEFAULT_URI = "tcp://127.0.0.1:10700"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "serve",
        help="offer the coach to Home Assistant and satellites over the Wyoming protocol",
        description=(
            "Run the coach as a Wyoming service: handle (conversation agent), asr (its own "
            "recognizer) and tts (its Piper voice). Listens on 127.0.0.1 only unless --uri "
            "names another address. Your journal stays on this device."
        ),
    )
    parser.add_argument(
        "--uri",
        default=DEFAULT_URI,
        help=f"tcp://HOST:PORT, unix://PATH or stdio:// (default {DEFAULT_URI})",
    )
    parser.set_defaults(func=run)


class _NoSpeaker:
    """The service renders audio for clients; it never plays it here."""

    def play(self, chunks: Iterable[AudioChunk]) -> None:
        for _ in chunks:
            pass


def check_uri(uri: str) -> str:
    """The address to listen on, as the user will read it; ConfigError when malformed."""
    parsed = urlparse(uri)
    if parsed.scheme == "stdio":
        return "standard input and output"
    if parsed.scheme == "unix":
        if not parsed.path:
            raise ConfigError("--uri unix:// needs a socket path, e.g. unix:///run/user/1000/vc")
        return parsed.path
    if parsed.scheme == "tcp":
        try:
            port = parsed.port
        except ValueError:
            port = None
        if not parsed.hostname or port is None:
            raise ConfigError(f"--uri {uri}: use tcp://HOST:PORT, e.g. {DEFAULT_URI}")
        return f"{parsed.hostname}:{port}"
    raise ConfigError(f"--uri {uri}: use tcp://HOST:PORT, unix://PATH or stdio://")


def is_loopback(uri: str) -> bool:
    parsed = urlparse(uri)
    if parsed.scheme != "tcp":
        return True
    host = parsed.hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run(args: argparse.Namespace) -> int:
    uri = args.uri
    where = check_uri(uri)
    paths = paths_from(args)
    settings = settings_from(args)
    understanding = Understanding.load()
    journal = Journal.open(paths.journal_file)

    def make_coach(clock: Clock) -> Coach:
        return Coach(understanding, journal, settings, clock, registry())

    def make_speech() -> SpeechOutput:
        synthesizer = PiperSynthesizer.from_setting(settings.voice)
        cache = PromptCache(cache_dir(paths), synthesizer.voice_id, allowed=is_fixed_prompt)
        return SpeechOutput(synthesizer, _NoSpeaker(), cache)

    sessions = ConversationSessions(make_coach)
    service = CoachService(
        sessions,
        Grammars(understanding),
        lambda: create_recognizer(settings, paths),
        make_speech,
    )
    stdio = uri.startswith("stdio://")

    def ready() -> None:
        if stdio:
            return
        print(f"Voice Coach is serving Wyoming on {where}. Press Ctrl-C to stop.",
              file=sys.stderr, flush=True)
        if not is_loopback(uri):
            print("Note: other devices on your network can reach it; what they send and "
                  "the coach's replies cross the network unencrypted.", file=sys.stderr,
                  flush=True)

    async def main() -> None:
        await asyncio.to_thread(service.warm_up)
        await serve(uri, service, ready)

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        print("Voice Coach stopped serving. Your journal is saved.", file=sys.stderr)
    except OSError as exc:
        raise ConfigError(f"Cannot listen on {where}: {exc.strerror or exc}. Is another "
                          "service using it? Choose another --uri.") from None
    finally:
        sessions.close_all()
        journal.close()
    return 0
