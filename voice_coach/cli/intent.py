"""`voice-coach intent`: what the coach understands from a sentence (for testing templates).

Reads TEXT, or one utterance per line from stdin, and prints the intent, the
confidence and the slots — as JSON lines with --json, for scripts and tests.
"""

from __future__ import annotations

import argparse
import io
import json
import sys

from voice_coach.errors import VoiceCoachError
from voice_coach.understanding import IntentMatch, Understanding


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "intent",
        help="show which intent a sentence is understood as",
        description=(
            "Print the intent, confidence (0-1) and slots the coach understands from TEXT. "
            "Without TEXT, read one utterance per line from standard input. "
            'Example: voice-coach intent "I\'m having a strong craving" --json'
        ),
    )
    parser.add_argument("text", nargs="?", metavar="TEXT", help="the sentence (default: stdin)")
    parser.add_argument(
        "--json", action="store_true", help='one JSON object per line: {"text", "intent", ...}'
    )
    parser.add_argument(
        "--allowed",
        metavar="INTENTS",
        help="comma-separated intents that may win (crisis is always checked), e.g. number,stop",
    )
    parser.set_defaults(func=run)


def _format(match: IntentMatch, as_json: bool) -> str:
    if as_json:
        return json.dumps(
            {
                "text": match.text,
                "intent": match.intent,
                "confidence": round(match.confidence, 3),
                "slots": match.slots,
            }
        )
    slots = " " + json.dumps(match.slots) if match.slots else ""
    if match.intent is None:
        return f"(no intent; best score {match.confidence:.3f}){slots}"
    return f"{match.intent} ({match.confidence:.3f}){slots}"


def run(args: argparse.Namespace) -> int:
    understanding = Understanding.load("en")
    allowed = None
    if args.allowed is not None:
        allowed = {name.strip() for name in args.allowed.split(",") if name.strip()}
        unknown = sorted(allowed - set(understanding.intent_names))
        if unknown:
            raise VoiceCoachError(
                f"Unknown intent(s) for --allowed: {', '.join(unknown)}. "
                f"Known intents: {', '.join(understanding.intent_names)}."
            )
    if args.text is not None:
        print(_format(understanding.recognize(args.text, allowed), args.json))
        return 0
    # Undecodable bytes become U+FFFD instead of stopping the whole stream.
    lines = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace")
    for line in lines:
        print(_format(understanding.recognize(line.rstrip("\r\n"), allowed), args.json))
        sys.stdout.flush()
    return 0
