"""`voice-coach chat`: the coach in text mode."""

from __future__ import annotations

import argparse

from voice_coach.app import open_coach
from voice_coach.chat import run_chat
from voice_coach.cli.common import paths_from, settings_from
from voice_coach.clock import ManualClock, SystemClock


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "chat",
        help="talk to the coach by typing (same coach as voice mode)",
        description=(
            "Text mode: type what you would say, one line at a time. An empty line counts as "
            "silence. The coach's replies are printed one per line. End with Ctrl-D or say "
            "goodbye."
        ),
    )
    parser.add_argument(
        "--fast",
        action="store_true",
        help="skip real-time pauses (for scripts and tests)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    paths = paths_from(args)
    settings = settings_from(args)
    fast_clock = ManualClock() if args.fast else None
    with open_coach(paths, settings, fast_clock or SystemClock()) as coach:
        run_chat(coach, fast_clock)
    return 0
