"""Wake phrase: hits, requests kept in the same breath, and false wakes, on the domain corpus.

Each in-scope top-level phrase of `phrases.yaml` is rendered as "Hey coach,
<phrase>" in one breath (a hit when the wake phrase is heard; the request
counts when what follows it is understood as the phrase's intent), and every
phrase, in scope or not, is rendered alone (a false wake when the wake phrase
is heard in it). Decoded with the wake-phrase grammar the voice loop uses
(`VoiceLoop._wake_listen`: the wake phrase plus every request) and with the
one before it (the wake phrase alone), then split by `understanding.wake`.

    .venv/bin/python -m benchmarks.wake [--limit 30] [--voices piper@1.0,espeak:en-us]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from typing import Any

from benchmarks.common import cache_root
from benchmarks.corpus import Phrase, Renderer, load_phrases, spread
from benchmarks.domain import listen_for
from voice_coach.messages import Listen, ListenFor
from voice_coach.paths import resolve_paths
from voice_coach.recognition.grammar import Grammars, listen_with
from voice_coach.recognition.select import create_recognizer
from voice_coach.recognition.wavfile import chunks, read_wav
from voice_coach.settings import Settings
from voice_coach.understanding import Understanding
from voice_coach.understanding.wake import split_wake

WAKE = Settings().wake_phrase


def run(args: argparse.Namespace) -> dict[str, Any]:
    understanding = Understanding.load()
    grammars = Grammars(understanding)
    settings = Settings(engine="pocketsphinx")
    recognizer = create_recognizer(settings, resolve_paths(tempfile.mkdtemp(prefix="vc-wake-")))
    phrases = load_phrases()
    top = [p for p in phrases if p.intent is not None and listen_for(p) is ListenFor.COMMAND]
    top = [p for p in top if p.intent != "crisis"]
    outside = [p for p in phrases if p.intent is None]
    chosen = spread(top, args.limit)
    alone = chosen + spread(outside, max(1, args.limit // 2))
    renderer = Renderer(cache_root())
    grammars_by_name = {
        "wake + requests (now)": Listen(ListenFor.CHOICE, 5.0, (WAKE,), requests=True),
        "wake phrase alone (before)": Listen(ListenFor.CHOICE, 5.0, (WAKE,)),
    }
    result: dict[str, Any] = {"wake_phrase": WAKE, "voices": {}}
    for voice in args.voices.split(","):
        rows: dict[str, Any] = {}
        for name, listen in grammars_by_name.items():
            hits = kept = false_wakes = 0

            def hear(phrase: Phrase, listen: Listen = listen, voice: str = voice) -> str:
                listen_with(recognizer, grammars, listen)
                for chunk in chunks(read_wav(renderer.render(phrase, voice))):
                    recognizer.accept(chunk)
                return recognizer.finish().text

            for p in chosen:
                woke, request = split_wake(hear(Phrase(f"Hey coach, {p.text}", p.intent)), WAKE)
                hits += woke
                kept += woke and understanding.recognize(request).intent == p.intent
            for p in alone:
                false_wakes += split_wake(hear(p), WAKE)[0]
            rows[name] = {
                "one_breath": len(chosen),
                "wake_heard": hits,
                "request_kept": kept,
                "said_without_wake": len(alone),
                "false_wakes": false_wakes,
            }
            print(voice, name, rows[name], file=sys.stderr, flush=True)
        result["voices"][voice] = rows
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--limit", type=int, default=30, help="one-breath phrases per voice")
    parser.add_argument("--voices", default="piper@1.0,espeak:en-us")
    parser.add_argument("--out", default=None)
    args = parser.parse_args(argv)
    started = time.monotonic()
    result = run(args)
    result["seconds"] = round(time.monotonic() - started, 1)
    result["load_average"] = [round(x, 2) for x in os.getloadavg()]
    text = json.dumps(result, indent=2)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as out:
            out.write(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
