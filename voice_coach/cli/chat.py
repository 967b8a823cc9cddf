"""`voice-coach chat`: the coach in text mode."""

from __future__ import annotations

import argparse
from datetime import datetime

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
            "silence. The coach's replies are printed one per line. Leave at any point with "
            "quit, exit or Ctrl-D (an exercise in progress is stopped, your answers kept), or "
            "say goodbye."
        ),
    )
    parser.add_argument(
        "--fast",
        action="store_true",
        help="skip real-time pauses (for scripts and tests)",
    )
    parser.add_argument(
        "--at",
        metavar="YYYY-MM-DDTHH:MM",
        type=_local_time,
        help="with --fast: start the coach's clock at this local time (reproducible scripts)",
    )
    parser.set_defaults(func=run)


def _local_time(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text).astimezone()
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a time like 2026-03-01T14:30"
        ) from None


def run(args: argparse.Namespace) -> int:
    paths = paths_from(args)
    settings = settings_from(args)
    # `run` falls back to text mode with its own arguments, which have no --at/--fast.
    at, fast = getattr(args, "at", None), getattr(args, "fast", False)
    if at is not None and not fast:
        raise SystemExit("voice-coach chat: --at works only with --fast.")
    fast_clock = ManualClock(at) if fast else None
    with open_coach(paths, settings, fast_clock or SystemClock()) as coach:
        run_chat(coach, fast_clock)
    return 0
