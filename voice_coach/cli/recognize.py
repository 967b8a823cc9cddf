"""`voice-coach recognize`: what the coach hears in WAV files (top-level command mode)."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from voice_coach.cli.common import paths_from, settings_from
from voice_coach.errors import AudioFileError
from voice_coach.messages import ListenFor, Transcript
from voice_coach.recognition import Recognizer
from voice_coach.recognition.grammar import Grammars
from voice_coach.recognition.select import create_recognizer
from voice_coach.recognition.wavfile import chunks, read_wav

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "recognize",
        help="recognise speech in WAV files and show the intent understood",
        description=(
            "Run speech recognition on WAV files (any sample rate or channel count) with the "
            "top-level command grammar, then the same intent matching as live use. "
            "Example: voice-coach recognize hello.wav --json"
        ),
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE.wav", help="WAV files")
    parser.add_argument(
        "--engine",
        choices=("auto", "vosk", "pocketsphinx"),
        help="recognition engine (default: the engine setting; auto = Vosk if a model is "
        "installed, else PocketSphinx)",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per file and line")
    parser.set_defaults(func=run)


def transcribe(recognizer: Recognizer, pcm: bytes) -> Transcript:
    """Stream the audio in 0.1 s chunks, as a microphone would, and return the final transcript."""
    recognizer.reset()
    for chunk in chunks(pcm):
        recognizer.accept(chunk)
    return recognizer.finish()


def run(args: argparse.Namespace) -> int:
    from voice_coach.understanding import Understanding

    settings = settings_from(args)
    understanding = Understanding.load()
    recognizer = create_recognizer(settings, paths_from(args), args.engine)
    grammar = Grammars(understanding).for_listen(ListenFor.COMMAND)
    recognizer.set_mode(grammar.mode, grammar.phrases, grammar.crisis_spellings, grammar.graph)
    failed = 0
    for path in args.files:
        try:
            pcm = read_wav(path)
        except AudioFileError as exc:
            print(f"voice-coach: {exc}", file=sys.stderr)
            failed += 1
            continue
        transcript = transcribe(recognizer, pcm)
        match = understanding.recognize(transcript.text)
        row = {
            "file": str(path),
            "transcript": transcript.text,
            "intent": match.intent,
            "confidence": round(float(match.confidence), 3),
            "slots": dict(match.slots),
            "engine": recognizer.name,
            "asr_confidence": transcript.confidence,
        }
        if args.json:
            print(json.dumps(row, ensure_ascii=False))
        else:
            intent = match.intent or "no intent"
            score = row["confidence"]
            print(f'{path}: "{transcript.text}" -> {intent} ({score:.2f}, {recognizer.name})')
    return 1 if failed else 0
