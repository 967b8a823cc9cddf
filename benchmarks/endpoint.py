"""Grammar-aware endpointing on the domain corpus: how much sooner, and how often too soon.

Each phrase of `phrases.yaml` is rendered with Piper, framed by silence and
streamed through the real `VoiceLoop` listening step (endpointer, PocketSphinx,
`recognition/endpointing.py`) in the state it belongs to: ratings and control
words while a rating is asked for, requests at the top level, out-of-scope
speech while a rating is asked for (forced into the grammar). For each phrase:
where the utterance was ended, measured from the end of the speech. A wrong cut
is an end before the person finished (more than 50 ms before the last voiced
sample); its transcript's intent is checked too, since a rating cut after
"seven" of "seven out of ten" still means seven.

Piper speaks a phrase without a pause, so the pass above can only cut inside
a word. The risky case is a person who pauses right after a complete
sentence and goes on ("i'm having an urge ... right now"), so a second pass
(`paused`) takes every top-level phrase with a proper beginning that is a
complete sentence of the top-level grammar, renders that beginning and the
rest apart and joins them with a `PAUSE` of silence: a cut in the pause is a
wrong cut.

`python -m benchmarks.endpoint [--limit N] [--pause S] [--extendable S] [--top-short-early]
[--json FILE]`.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from benchmarks.common import Progress, RunSize, cache_root
from benchmarks.corpus import Phrase, Renderer, load_phrases, read16, spread, trim
from voice_coach.recognition.sentence_walk import SentenceWalk

LEAD = 0.5
TAIL = 1.2
PAUSE = 0.3
"""Silence between a complete beginning and the rest in the `paused` pass (a breath)."""
CONTROL = {"stop", "repeat", "help", "slower", "pause", "resume", "skip", "back"}
VOICE = "piper@1.0"


def _state(phrase: Phrase) -> str:
    if phrase.intent is None or phrase.intent == "number" or phrase.intent in CONTROL:
        return "number"
    return "command"


class _Bench:
    """One voice loop (real endpointer and PocketSphinx) and the renders, for every utterance."""

    def __init__(self, tmp: str) -> None:
        from voice_coach.audio_io.doubles import RecordingSpeaker
        from voice_coach.clock import ManualClock
        from voice_coach.dialogue.engine import Coach
        from voice_coach.exercises import registry
        from voice_coach.journal.store import Journal
        from voice_coach.paths import resolve_paths
        from voice_coach.recognition.grammar import Grammars
        from voice_coach.recognition.select import create_recognizer
        from voice_coach.settings import Settings
        from voice_coach.speech.output import SpeechOutput
        from voice_coach.speech.piper_voice import PiperSynthesizer
        from voice_coach.understanding import Understanding
        from voice_coach.voice_loop import VoiceLoop

        self.renderer = Renderer(cache_root())
        self.understanding = Understanding.load()
        paths = resolve_paths(tmp)
        self.settings = Settings(name="Sam", evening_reflection_time="off", engine="pocketsphinx")
        self.journal = Journal.open(Path(tmp) / "journal.sqlite3")
        coach = Coach(
            self.understanding, self.journal, self.settings, ManualClock(datetime(2026, 11, 26)),
            registry(),
        )
        self.grammars = Grammars(self.understanding)
        self.loop = VoiceLoop(
            coach,
            microphone=None,  # type: ignore[arg-type]  # chunks are given directly
            speech=SpeechOutput(PiperSynthesizer.from_setting(""), RecordingSpeaker()),
            recognizer=create_recognizer(self.settings, paths, "pocketsphinx"),
            grammars=self.grammars,
            settings=self.settings,
        )

    def speech(self, text: str) -> NDArray[np.float32]:
        return trim(read16(self.renderer.render(Phrase(text, None), VOICE)), pad=0.0)

    def hear(self, speech: NDArray[np.float32], state: str) -> tuple[str, float]:
        """(transcript, seconds from the end of `speech` to where listening ended)."""
        from voice_coach.audio_io.convert import split
        from voice_coach.messages import AudioChunk, Listen, ListenFor

        silence = np.zeros(int(LEAD * 16000), np.float32)
        tail = np.zeros(int(TAIL * 16000), np.float32)
        samples = np.concatenate([silence, speech, tail])
        pcm = (samples * 32767).astype("<i2").tobytes()
        pieces = split(AudioChunk(pcm, 16000), 0.03)
        taken = [0.0]

        def stream() -> Iterator[AudioChunk]:
            for piece in pieces:
                taken[0] += piece.seconds
                yield piece

        self.loop.duplex.chunks = stream()
        kind = ListenFor.NUMBER if state == "number" else ListenFor.COMMAND
        text = self.loop._hear(Listen(kind, 10.0), 10.0, announce=False) or ""
        return text, taken[0] - (LEAD + len(speech) / 16000)

    def intent_ok(self, text: str, phrase: Phrase, state: str) -> bool:
        allowed = {"number", *CONTROL} if state == "number" else None
        intent = self.understanding.recognize(text, allowed).intent if text else None
        return intent == phrase.intent


def complete_beginning(walk: SentenceWalk, text: str) -> tuple[str, bool] | None:
    """The longest proper beginning of `text` that is a whole top-level sentence, and
    whether the grammar could still go on from it; None when there is none."""
    words = text.split()
    for n in range(len(words) - 1, 0, -1):
        reach = walk.reach(words[:n])
        if reach.complete:
            return " ".join(words[:n]), reach.extendable
    return None


def run_endpoint(size: RunSize, pause: float = PAUSE, paused: bool = True) -> dict[str, Any]:
    from voice_coach.messages import ListenFor
    from voice_coach.recognition.grammar import normalise

    phrases = spread(load_phrases(), size.cap(40 if size.quick else None))
    rows: list[dict[str, Any]] = []
    pauses: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        bench = _Bench(tmp)
        timeout = bench.settings.command_silence_timeout
        bar = Progress("endpoint", len(phrases))
        for phrase in phrases:
            state = _state(phrase)
            speech = trim(read16(bench.renderer.render(phrase, VOICE)), pad=0.0)
            text, ended = bench.hear(speech, state)
            rows.append(
                {
                    "text": phrase.text,
                    "expected": phrase.intent,
                    "state": state,
                    "transcript": text,
                    "ended_after_speech_s": round(ended, 3),
                    "early": ended < timeout - 0.1,
                    "wrong_cut": ended < -0.05,
                    "intent_ok": bench.intent_ok(text, phrase, state),
                }
            )
            bar()
        bar.close()
        if paused:
            graph = bench.grammars.for_listen(ListenFor.COMMAND).graph
            walk = SentenceWalk(graph) if graph is not None else None
            split_at = [
                (p, complete_beginning(walk, normalise(p.text)) if walk else None)
                for p in phrases if _state(p) == "command"
            ]
            wanted = [(p, b) for p, b in split_at if b is not None]
            bar = Progress("paused", len(wanted))
            for phrase, (beginning, extendable) in wanted:
                rest = " ".join(normalise(phrase.text).split()[len(beginning.split()):])
                speech = np.concatenate(
                    [bench.speech(beginning), np.zeros(int(pause * 16000), np.float32),
                     bench.speech(rest)]
                )
                text, ended = bench.hear(speech, "command")
                pauses.append(
                    {
                        "text": phrase.text,
                        "expected": phrase.intent,
                        "beginning": beginning,
                        "beginning_words": len(beginning.split()),
                        "extendable": extendable,
                        "transcript": text,
                        "ended_after_speech_s": round(ended, 3),
                        "wrong_cut": ended < -0.05,
                        "intent_ok": bench.intent_ok(text, phrase, "command"),
                    }
                )
                bar()
            bar.close()
        bench.journal.close()
    return {
        "rows": rows,
        "summary": summarise(rows, timeout),
        "paused": pauses,
        "paused_summary": summarise_paused(pauses, pause),
    }


def summarise(rows: list[dict[str, Any]], timeout: float) -> list[dict[str, Any]]:
    """Per state: phrases, share ended early, wrong cuts (and whether meaning survived)."""
    table = []
    for state in ("number", "command"):
        for scope in ("in scope", "out of scope"):
            group = [
                r
                for r in rows
                if r["state"] == state and ((r["expected"] is None) == (scope == "out of scope"))
            ]
            if not group:
                continue
            wrong = [r for r in group if r["wrong_cut"]]
            table.append(
                {
                    "state": state,
                    "scope": scope,
                    "phrases": len(group),
                    "ended_early_pct": round(100 * sum(r["early"] for r in group) / len(group), 1),
                    "wrong_cut_pct": round(100 * len(wrong) / len(group), 1),
                    "wrong_cut_meaning_lost": sum(not r["intent_ok"] for r in wrong),
                    "median_end_after_speech_ms": round(
                        1000 * statistics.median(r["ended_after_speech_s"] for r in group)
                    ),
                    "usual_timeout_ms": round(1000 * timeout),
                }
            )
    return table


def summarise_paused(rows: list[dict[str, Any]], pause: float) -> list[dict[str, Any]]:
    """Cut in the pause, by what the beginning was: short, long and final, long and open."""
    table = []
    kinds = (
        ("short (≤ 4 words), grammar cannot go on", True, False),
        ("short (≤ 4 words), grammar can go on", True, True),
        ("long, grammar cannot go on", False, False),
        ("long, grammar can go on", False, True),
    )
    for name, short, extendable in kinds:
        group = [
            r for r in rows
            if (r["beginning_words"] <= 4) == short and r["extendable"] == extendable
        ]
        if group:
            wrong = [r for r in group if r["wrong_cut"]]
            table.append(
                {
                    "beginning": name,
                    "phrases": len(group),
                    "pause_ms": round(1000 * pause),
                    "cut_in_pause": len(wrong),
                    "cut_meaning_lost": sum(not r["intent_ok"] for r in wrong),
                }
            )
    return table


def markdown(section: dict[str, Any]) -> str:
    lines = [
        "| state | speech | phrases | ended early | wrong cuts | of which meaning lost "
        "| median end after speech | usual timeout |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in section["summary"]:
        lines.append(
            f"| {r['state']} | {r['scope']} | {r['phrases']} | {r['ended_early_pct']} % | "
            f"{r['wrong_cut_pct']} % | {r['wrong_cut_meaning_lost']} | "
            f"{r['median_end_after_speech_ms']} ms | {r['usual_timeout_ms']} ms |"
        )
    if section.get("paused_summary"):
        lines += [
            "",
            "| top-level phrase paused after a complete beginning | phrases | pause "
            "| cut in the pause | of which meaning lost |",
            "|---|---|---|---|---|",
        ]
        for r in section["paused_summary"]:
            lines.append(
                f"| {r['beginning']} | {r['phrases']} | {r['pause_ms']} ms | "
                f"{r['cut_in_pause']} | {r['cut_meaning_lost']} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.endpoint")
    parser.add_argument("--limit", type=int, default=None, help="at most N phrases")
    parser.add_argument("--pause", type=float, default=PAUSE, help="seconds (paused pass)")
    parser.add_argument("--no-paused", action="store_true", help="skip the paused pass")
    parser.add_argument(
        "--extendable", type=float, default=None, metavar="S",
        help="end long sentences the grammar could extend after S seconds of silence",
    )
    parser.add_argument(
        "--top-short-early", action="store_true",
        help="a short top-level request the grammar could extend ends early too (as before)",
    )
    parser.add_argument("--json", type=Path, default=None, help="write every row here")
    args = parser.parse_args()
    from voice_coach.recognition import endpointing

    if args.extendable is not None:
        endpointing.EXTENDABLE_SILENCE = args.extendable
    if args.top_short_early:
        endpointing.TOP_LEVEL_SHORT_WAITS = False
    load = [round(x, 2) for x in os.getloadavg()]
    result = run_endpoint(RunSize(quick=False, limit=args.limit), args.pause, not args.no_paused)
    result["load_average"] = {"start": load, "end": [round(x, 2) for x in os.getloadavg()]}
    print(markdown(result))
    print("load average", result["load_average"])
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=1), encoding="utf-8")
    wrong = [r for r in [*result["rows"], *result["paused"]] if r["wrong_cut"]]
    print(json.dumps(wrong, indent=1))


if __name__ == "__main__":
    main()
