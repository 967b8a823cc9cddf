"""The `voice-coach` command: a thin layer over the library, one module per sub-command."""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
import textwrap
from collections.abc import Sequence
from typing import Any

from voice_coach import __version__, shutdown
from voice_coach.errors import VoiceCoachError

# Each module defines `register(subparsers)`, which adds its parser(s) and sets `func`.
COMMAND_MODULES = (
    "run",
    "chat",
    "intent",
    "journal",
    "forget",
    "config",
    "say",
    "devices",
    "voice",
    "recognize",
    "models",
    "service",
    "serve",
    "bench",
)

log = logging.getLogger(__name__)

QUOTING_LOGGERS = ("piper",)
"""Third-party loggers whose debug lines contain the text being spoken."""


class _Formatter(argparse.HelpFormatter):
    """argparse's wrapping, without breaking a name such as vosk-model-small-en-us-0.15."""

    def _split_lines(self, text: str, width: int) -> list[str]:
        return textwrap.wrap(" ".join(text.split()), width, break_on_hyphens=False)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return textwrap.fill(" ".join(text.split()), width, initial_indent=indent,
                             subsequent_indent=indent, break_on_hyphens=False)


class _Parser(argparse.ArgumentParser):
    """Every sub-command's parser gets the same formatter."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)


def command_in(argv: Sequence[str]) -> str | None:
    """The sub-command `argv` names (the first word that is not an option), if it is one."""
    words = iter(argv)
    for word in words:
        if word == "--data-dir":
            next(words, None)
        elif not word.startswith("-"):
            return word if word in COMMAND_MODULES else None
    return None


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line; with `only`, just that sub-command's module is imported.

    Importing every sub-command pulls in the dialogue engine, the voice loop and the
    Wyoming server: `voice-coach intent hello` should not pay for those.
    """
    parser = _Parser(
        prog="voice-coach",
        description=(
            "An offline, hands-free voice companion for SMART Recovery self-help tools. "
            "Everything you say stays on this device. Not a substitute for professional "
            "care or emergency services: in the US call or text 988."
        ),
    )
    parser.add_argument("--version", action="version", version=f"voice-coach {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help="folder for the journal and models (default: $VOICE_COACH_HOME or XDG data dir)",
    )
    parser.add_argument(
        "-v", "--verbose", action="count", default=0, help="more log output (-vv for debug)"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES if only is None else (only,):
        module = importlib.import_module(f"voice_coach.cli.{name}")
        module.register(sub)
    return parser


def _configure_logging(verbosity: int) -> None:
    level = logging.WARNING if verbosity == 0 else logging.INFO if verbosity == 1 else logging.DEBUG
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Piper's debug lines quote every sentence it speaks (answers read back included):
    # the coach's own logs say what happens, and `log_transcripts` decides about words.
    for noisy in QUOTING_LOGGERS:
        logging.getLogger(noisy).setLevel(max(level, logging.INFO))


PRIVATE_UMASK = 0o077
"""Everything the coach creates (journal, config, caches, logs, exports, models) is 0600/0700."""


def main(argv: Sequence[str] | None = None) -> int:
    """The `voice-coach` command (the console script enters here)."""
    try:
        code = _main(argv)
    except KeyboardInterrupt:  # a signal landing between the handlers below
        shutdown.say_stopped()
        code = shutdown.exit_code()
    return shutdown.finished(code)


def _main(argv: Sequence[str] | None) -> int:
    shutdown.install()  # before anything slow: Ctrl-C or SIGTERM at start-up end cleanly too
    os.umask(PRIVATE_UMASK)
    try:
        words = sys.argv[1:] if argv is None else list(argv)
        parser = build_parser(command_in(words))
        args = parser.parse_args(words)
        _configure_logging(args.verbose)
        if not getattr(args, "func", None):
            parser.print_help()
            return 0
        return int(args.func(args) or 0)
    except VoiceCoachError as exc:
        if shutdown.stopping():  # an error caused by stopping half-way is not news
            shutdown.say_stopped()
            return shutdown.exit_code()
        print(f"voice-coach: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        shutdown.say_stopped()
        return shutdown.exit_code()
    except BrokenPipeError:
        return 0
