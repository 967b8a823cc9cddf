"""`voice-coach voice`: the text-to-speech voice: pre-render prompts, show what is loaded."""

from __future__ import annotations

import argparse
import sys

from voice_coach.cli.common import paths_from, settings_from
from voice_coach.cli.say import pace_value
from voice_coach.fixed_prompts import fixed_prompts
from voice_coach.speech.cache import PromptCache, cache_dir
from voice_coach.speech.piper_voice import PiperSynthesizer


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "voice",
        help="the coach's voice: pre-render prompts, show voice details",
        description="Manage the text-to-speech voice (settings: voice, pace).",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    warm_parser = actions.add_parser(
        "warm",
        help="pre-render the coach's fixed prompts so they start instantly",
        description=(
            "Render every fixed prompt into the cache at your pace. Run it again after "
            "changing `voice` or `pace`. With --text, render only the given sentences."
        ),
    )
    warm_parser.add_argument(
        "--text", action="append", metavar="SENTENCE", help="a sentence to render (repeatable)"
    )
    warm_parser.add_argument(
        "--pace", type=pace_value, help="render at this pace (default: settings)"
    )
    warm_parser.set_defaults(func=_warm)
    info = actions.add_parser("info", help="load the voice and show its details")
    info.set_defaults(func=_info)


def _setup(args: argparse.Namespace) -> tuple[PiperSynthesizer, PromptCache, float]:
    settings = settings_from(args)
    synthesizer = PiperSynthesizer.from_setting(settings.voice)
    synthesizer.load()
    cache = PromptCache(cache_dir(paths_from(args)), synthesizer.voice_id)
    pace = getattr(args, "pace", None)
    return synthesizer, cache, pace if pace is not None else settings.pace


def _warm(args: argparse.Namespace) -> int:
    """Render what is missing on every core, with a progress bar and its ETA on stderr."""
    from tqdm import tqdm

    from voice_coach.speech.warm_parallel import pending, warm_in_parallel, worker_plan

    texts = [t.strip() for t in args.text if t.strip()] if args.text else fixed_prompts()
    settings = settings_from(args)
    synthesizer = PiperSynthesizer.from_setting(settings.voice)
    cache = PromptCache(cache_dir(paths_from(args)), synthesizer.voice_id)
    pace = args.pace if args.pace is not None else settings.pace
    todo, already = pending(texts, cache, pace)
    workers, threads = worker_plan()
    if todo:
        print(
            f"Rendering {len(todo)} prompt(s) with {workers} worker(s) "
            f"({already} already cached)...",
            file=sys.stderr, flush=True,
        )
    with tqdm(
        total=len(todo), unit="prompt", file=sys.stderr, disable=not todo, mininterval=0.5,
        dynamic_ncols=True,
    ) as bar:
        result = warm_in_parallel(
            todo, settings.voice, cache, pace, lambda _text: bar.update(), (workers, threads)
        )
    print(
        f"Rendered {result.rendered} prompt(s), {already} already cached "
        f"(pace {pace:g}, in {cache.folder})."
    )
    return 0


def _info(args: argparse.Namespace) -> int:
    synthesizer, cache, pace = _setup(args)
    cached = len(list(cache.folder.glob("*.wav"))) if cache.folder.is_dir() else 0
    print(f"voice:       {synthesizer.model_path}")
    print(f"sample rate: {synthesizer.sample_rate} Hz")
    print(f"loaded in:   {synthesizer.load_seconds:.2f} s")
    print(f"pace:        {pace:g}")
    print(f"cache:       {cache.folder} ({cached} prompt(s))")
    return 0
