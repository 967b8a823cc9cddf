"""`voice-coach run`: the hands-free coach — the product's main command."""

from __future__ import annotations

import argparse
import logging
import sys
import time

from voice_coach.app import open_coach
from voice_coach.cli.common import paths_from, settings_from
from voice_coach.clock import SystemClock
from voice_coach.errors import AudioDeviceError
from voice_coach.paths import Paths
from voice_coach.settings import Settings
from voice_coach.voice_display import VoiceDisplay

log = logging.getLogger(__name__)

ENGINE_NAMES = {"pocketsphinx": "PocketSphinx", "vosk": "Vosk"}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "run",
        help="start the hands-free coach (microphone and speaker)",
        description=(
            "Listen through the microphone and answer through the speaker until Ctrl-C. "
            "Settings: input_device, output_device, engine, listening_mode, wake_phrase. "
            "With no microphone or speaker it offers text mode instead."
        ),
    )
    parser.add_argument(
        "--service",
        action="store_true",
        help="run unattended (systemd): never ask questions, exit non-zero on audio problems",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    paths = paths_from(args)
    interactive = sys.stdin.isatty() and not args.service
    started = time.monotonic()
    try:
        _check_devices(settings)
    except AudioDeviceError as exc:
        if not interactive:
            raise
        return _offer_text_mode(args, str(exc))
    from voice_coach.voice_display import choose_display

    display = choose_display(args.service, settings.show_transcripts)
    try:
        return _run_voice(settings, paths, interactive, started, display)
    finally:
        display.stopped()


def _check_devices(settings: Settings) -> None:
    """Fail early, in one sentence, when there is nothing to listen or speak with."""
    from voice_coach.audio_io.devices import find_device

    find_device(settings.input_device, "input")
    find_device(settings.output_device, "output")


def _offer_text_mode(args: argparse.Namespace, problem: str) -> int:
    print(f"{problem}", file=sys.stderr)
    print("Would you like to use text mode instead? [Y/n] ", end="", file=sys.stderr, flush=True)
    answer = sys.stdin.readline().strip().lower()
    if answer not in ("", "y", "yes"):
        return 1
    from voice_coach.cli import chat

    args.fast = False
    args.at = None  # chat's own options, at their defaults
    return chat.run(args)


def _run_voice(
    settings: Settings, paths: Paths, interactive: bool, started: float, display: VoiceDisplay
) -> int:
    from voice_coach.audio_io.alsa_quiet import quiet_alsa
    from voice_coach.audio_io.microphone import SoundDeviceMicrophone
    from voice_coach.audio_io.speaker import SoundDeviceSpeaker
    from voice_coach.voice_loop import VoiceLoop
    from voice_coach.voice_setup import load_voice_parts

    quiet_alsa()
    display.loading("the voice and speech recognition (a few seconds)")
    parts = load_voice_parts(settings, paths, SoundDeviceSpeaker(settings.output_device))
    recognizer = parts.recognizer
    push = _enter_key if settings.listening_mode == "push-to-talk" and interactive else None
    first = [True]

    def on_listening(state: str, expecting: str) -> None:
        if first[0]:
            first[0] = False
            log.info("ready to listen after %.2f s", time.monotonic() - started)
            display.notice(_banner(settings, recognizer.name))
        log.info("listening (%s) for %s", state, expecting)

    with open_coach(paths, settings, SystemClock()) as coach:
        loop = VoiceLoop(
            coach,
            SoundDeviceMicrophone(settings.input_device),
            parts.speech,
            recognizer,
            parts.grammars,
            settings,
            push_to_talk=push,
            on_listening=on_listening,
            display=display,
            warm_up=parts.warm_up,
        )
        loop.run()
    return 0


def _banner(settings: Settings, engine: str) -> str:
    how = {
        "always-on": "just talk to me",
        "wake-phrase": f'say "{settings.wake_phrase}" first',
        "push-to-talk": "press Enter, then talk",
    }[settings.listening_mode]
    name = ENGINE_NAMES.get(engine, engine)
    return f"Voice Coach is listening ({name}; {how}). Press Ctrl-C to stop."


def _enter_key() -> bool:
    print("Press Enter to talk.", file=sys.stderr, flush=True)
    return sys.stdin.readline() != ""
