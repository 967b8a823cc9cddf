"""Does the saved voice state help the first utterances of a session?

For each benchmark voice: a first session hears `--train` phrases of that
voice (the coach saves its cepstral mean after each accepted one, as it does
for a person); then `--sessions` new sessions each hear `--first` other
phrases of the same voice, started either from the model's generic state
(as before) or from the saved one (a copy per session, so sessions do not
learn from each other). Phrases are the domain corpus (`phrases.yaml`),
heard in the dialogue state they belong to, through `create_recognizer`
with the coach's settings — the code path the coach runs.

    .venv/bin/python -m benchmarks.voice_state [--condition reverb] [--front-end none]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.common import cache_root
from benchmarks.corpus import Renderer, degrade, load_phrases
from benchmarks.domain import allowed_intents, listen_for
from voice_coach.messages import Listen
from voice_coach.paths import resolve_paths
from voice_coach.recognition.grammar import Grammars, listen_with
from voice_coach.recognition.select import create_recognizer
from voice_coach.recognition.voice_state import FILE_NAME
from voice_coach.recognition.wavfile import chunks, read_wav
from voice_coach.settings import Settings
from voice_coach.understanding import Understanding

VOICES = ("piper@1.0", "espeak:en-us", "espeak:en-gb+f3", "espeak:en-us+m3")


def _hear(
    recognizer: Any, grammars: Grammars, understanding: Understanding, phrase: Any, path: Path
) -> bool:
    kind = listen_for(phrase)
    listen_with(recognizer, grammars, Listen(kind, 20.0))
    for chunk in chunks(read_wav(path)):
        recognizer.accept(chunk)
    match = understanding.recognize(recognizer.finish().text, allowed_intents(kind))
    right = bool(match.intent == phrase.intent)
    if right and phrase.value is not None:
        right = match.slots.get("value") == phrase.value
    return right


def run(args: argparse.Namespace) -> dict[str, Any]:
    settings = Settings(engine="pocketsphinx", front_end=args.front_end or Settings().front_end)
    understanding = Understanding.load()
    grammars = Grammars(understanding)
    phrases = [p for p in load_phrases() if p.intent is not None]
    random.Random(args.seed).shuffle(phrases)
    phrases = phrases[: args.train + args.sessions * args.first]
    cache = cache_root()
    renderer = Renderer(cache)
    result: dict[str, Any] = {"settings": {k: str(v) for k, v in vars(args).items()}, "voices": {}}
    for voice in args.voices.split(","):
        paths = [renderer.render(p, voice) for p in phrases]
        if args.condition != "clean":
            paths = [
                degrade(cache, path, args.condition, i, paths[:i] + paths[i + 1 :])
                for i, path in enumerate(paths)
            ]
        work = Path(tempfile.mkdtemp(prefix="vc-voice-state-"))
        trained = resolve_paths(work / "trained")
        recognizer = create_recognizer(settings, trained)
        train_right = sum(
            _hear(recognizer, grammars, understanding, phrases[i], paths[i])
            for i in range(args.train)
        )
        saved = trained.data_dir / FILE_NAME
        counts = {"generic": 0, "restored": 0}
        total = 0
        for session in range(args.sessions):
            start = args.train + session * args.first
            picked = range(start, start + args.first)
            for variant in counts:
                home = resolve_paths(work / f"{variant}{session}")
                if variant == "restored" and saved.is_file():
                    home.data_dir.mkdir(parents=True)
                    shutil.copy(saved, home.data_dir / FILE_NAME)
                rec = create_recognizer(settings, home)
                counts[variant] += sum(
                    _hear(rec, grammars, understanding, phrases[i], paths[i]) for i in picked
                )
            total += args.first
        shutil.rmtree(work, ignore_errors=True)
        result["voices"][voice] = {
            "train_right": train_right,
            "first_utterances": total,
            "generic_right": counts["generic"],
            "restored_right": counts["restored"],
        }
        print(voice, result["voices"][voice], file=sys.stderr, flush=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--voices", default=",".join(VOICES))
    parser.add_argument("--condition", default="clean", help="clean, pink10, babble10, reverb")
    parser.add_argument("--train", type=int, default=20)
    parser.add_argument("--sessions", type=int, default=8)
    parser.add_argument("--first", type=int, default=4, help="utterances per new session")
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--front-end", default=None)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    started = time.monotonic()
    result = run(args)
    result["seconds"] = round(time.monotonic() - started, 1)
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    text = json.dumps(result, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
