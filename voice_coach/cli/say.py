"""`voice-coach say`: speak a sentence with the configured voice, or write it to a WAV file."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from voice_coach.audio_io.wav import write_wav
from voice_coach.cli.common import paths_from, settings_from
from voice_coach.errors import AudioFileError, VoiceCoachError
from voice_coach.messages import Speak
from voice_coach.speech.cache import PromptCache, cache_dir
from voice_coach.speech.output import SpeechOutput
from voice_coach.speech.piper_voice import PiperSynthesizer

log = logging.getLogger(__name__)


def pace_value(text: str) -> float:
    """An argparse type: a pace from 0.5 (faster) to 2.0 (slower)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number (try 1.2)") from None
    if not 0.5 <= value <= 2.0:
        raise argparse.ArgumentTypeError(f"{value:g} is outside 0.5–2.0 (1.0 is normal)")
    return value


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "say",
        help="speak a sentence with the coach's voice (tests your speaker)",
        description=(
            "Speak TEXT through the speaker (settings: output_device, voice, pace), or write "
            'it to a WAV file with --out. Example: voice-coach say "Hello there" --pace 1.3'
        ),
    )
    parser.add_argument("text", nargs="+", metavar="TEXT", help="what to say")
    parser.add_argument("--out", metavar="FILE.wav", type=Path, help="write a WAV file instead")
    parser.add_argument(
        "--pace", type=pace_value, help="1.0 normal, larger is slower (default: settings)"
    )
    parser.add_argument(
        "--cache",
        action="store_true",
        help="use and fill the prompt cache (off by default: your text is not stored)",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    text = " ".join(args.text).strip()
    if not text:
        raise VoiceCoachError('Nothing to say: give the text in quotes, e.g. voice-coach say "Hi".')
    pace = args.pace if args.pace is not None else settings.pace
    synthesizer = PiperSynthesizer.from_setting(settings.voice)
    synthesizer.load()
    cache = PromptCache(cache_dir(paths_from(args)), synthesizer.voice_id) if args.cache else None
    speak = Speak(text, pace, cacheable=args.cache)
    if args.out is not None:
        out: Path = args.out
        chunks = SpeechOutput(synthesizer, _NoSpeaker(), cache).render(speak)
        try:
            frames = write_wav(out, chunks)
        except OSError as exc:
            raise AudioFileError(
                f"Cannot write {out} ({exc.strerror or exc}); choose a folder you can write to."
            ) from None
        print(f"Wrote {out} ({frames / synthesizer.sample_rate:.1f} s).")
        return 0
    from voice_coach.audio_io.speaker import SoundDeviceSpeaker  # needs PortAudio

    SpeechOutput(synthesizer, SoundDeviceSpeaker(settings.output_device), cache).say(speak)
    return 0


class _NoSpeaker:
    """`--out` renders without a sound card: nothing is ever played."""

    def play(self, chunks: object) -> None:
        raise RuntimeError("rendering to a file never plays")
