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
"""

from __future__ import annotations

import statistics
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.common import Progress, RunSize, cache_root
from benchmarks.corpus import Phrase, Renderer, load_phrases, read16, spread, trim

LEAD = 0.5
TAIL = 1.2
CONTROL = {"stop", "repeat", "help", "slower", "pause", "resume", "skip", "back"}


def _state(phrase: Phrase) -> str:
    if phrase.intent is None or phrase.intent == "number" or phrase.intent in CONTROL:
        return "number"
    return "command"


def run_endpoint(size: RunSize) -> dict[str, Any]:
    from voice_coach.audio_io.convert import split
    from voice_coach.audio_io.doubles import RecordingSpeaker
    from voice_coach.clock import ManualClock
    from voice_coach.dialogue.engine import Coach
    from voice_coach.exercises import registry
    from voice_coach.journal.store import Journal
    from voice_coach.messages import AudioChunk, Listen, ListenFor
    from voice_coach.paths import resolve_paths
    from voice_coach.recognition.grammar import Grammars
    from voice_coach.recognition.select import create_recognizer
    from voice_coach.settings import Settings
    from voice_coach.speech.output import SpeechOutput
    from voice_coach.speech.piper_voice import PiperSynthesizer
    from voice_coach.understanding import Understanding
    from voice_coach.voice_loop import VoiceLoop

    phrases = spread(load_phrases(), size.cap(40 if size.quick else None))
    renderer = Renderer(cache_root())
    understanding = Understanding.load()
    rows: list[dict[str, Any]] = []
    bar = Progress("endpoint", len(phrases))
    with tempfile.TemporaryDirectory() as tmp:
        paths = resolve_paths(tmp)
        settings = Settings(name="Sam", evening_reflection_time="off", engine="pocketsphinx")
        journal = Journal.open(Path(tmp) / "journal.sqlite3")
        coach = Coach(
            understanding, journal, settings, ManualClock(datetime(2026, 11, 26)), registry()
        )
        synth = PiperSynthesizer.from_setting("")
        loop = VoiceLoop(
            coach,
            microphone=None,  # type: ignore[arg-type]  # chunks are given directly
            speech=SpeechOutput(synth, RecordingSpeaker()),
            recognizer=create_recognizer(settings, paths, "pocketsphinx"),
            grammars=Grammars(understanding),
            settings=settings,
        )
        for phrase in phrases:
            speech = trim(read16(renderer.render(phrase, "piper@1.0")), pad=0.0)
            samples = np.concatenate(
                [
                    np.zeros(int(LEAD * 16000), np.float32),
                    speech,
                    np.zeros(int(TAIL * 16000), np.float32),
                ]
            )
            pcm = (samples * 32767).astype("<i2").tobytes()
            pieces = split(AudioChunk(pcm, 16000), 0.03)
            taken = [0.0]

            def stream(pieces: list[AudioChunk] = pieces, taken: list[float] = taken) -> Any:
                for piece in pieces:
                    taken[0] += piece.seconds
                    yield piece

            loop.duplex.chunks = stream()
            state = _state(phrase)
            kind = ListenFor.NUMBER if state == "number" else ListenFor.COMMAND
            text = loop._hear(Listen(kind, 10.0), 10.0, announce=False) or ""
            ended = taken[0] - (LEAD + len(speech) / 16000)
            allowed = {"number", *CONTROL} if state == "number" else None
            intent = understanding.recognize(text, allowed).intent if text else None
            rows.append(
                {
                    "text": phrase.text,
                    "expected": phrase.intent,
                    "state": state,
                    "transcript": text,
                    "ended_after_speech_s": round(ended, 3),
                    "early": ended < settings.command_silence_timeout - 0.1,
                    "wrong_cut": ended < -0.05,
                    "intent_ok": intent == phrase.intent,
                }
            )
            bar()
        bar.close()
        journal.close()
    return {"rows": rows, "summary": summarise(rows, 0.4)}


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
    return "\n".join(lines)


if __name__ == "__main__":
    import json
    import sys

    limit = int(sys.argv[1]) if len(sys.argv) > 1 else None
    result = run_endpoint(RunSize(quick=False, limit=limit))
    print(markdown(result))
    wrong = [r for r in result["rows"] if r["wrong_cut"]]
    print(json.dumps(wrong, indent=1))
