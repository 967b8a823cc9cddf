"""Section 3a: per-stage turn latency through the real `VoiceLoop`, and real-time factors.

Audio is fed at real-time pace (`WavMicrophone(realtime=True)`) into the same
loop `voice-coach run` uses, with a `RecordingSpeaker`. Stage times come from
thin wrappers around the parts the loop is given — no change to the loop:

- end of speech: when the microphone delivers the last sample of an utterance;
- endpoint detected: the loop's `on_endpoint` callback when it has one (it decodes
  while the person speaks), else when it resets the recognizer for the utterance
  (older loops decoded only after the endpoint);
- final transcript: when `finish()` returns;
- intent: when `Coach.handle` returns;
- first audio sample: when the speaker receives the reply's first chunk.
"""

from __future__ import annotations

import dataclasses
import statistics
import tempfile
import time
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import numpy as np

from benchmarks.common import Progress, RunSize, cache_root, summary_ms
from benchmarks.corpus import Phrase, Renderer, read16, trim
from voice_coach.audio_io.doubles import RecordingSpeaker, WavMicrophone
from voice_coach.clock import SystemClock
from voice_coach.dialogue.engine import Coach
from voice_coach.exercises import registry
from voice_coach.journal.store import Journal
from voice_coach.messages import (
    AudioChunk,
    Event,
    ListenFor,
    Reply,
    Transcript,
    Utterance,
    WordGraph,
)
from voice_coach.paths import resolve_paths
from voice_coach.recognition import Mode, Recognizer
from voice_coach.recognition.wavfile import RATE
from voice_coach.settings import Settings
from voice_coach.understanding import Understanding
from voice_coach.voice_listener import TurnTimings

TURN_TEXTS = ("thanks", "stop")
"""Requests at the top level with short, fixed replies that return there, so turns can repeat
(a long uncached reply would still be rendering when the next request is spoken). Not
"hello": its reply starts "Hello, Sam.", which the coach never caches (it holds a name)."""
GAP_SECONDS = 2.5
"""Silence after each request: room for the reply (the gate drops what the mic hears then)."""
LONG_TURN_TEXTS = ("thank you so much for listening", "i am done with this")
"""The same two replies asked for in whole top-level sentences that no longer one starts
with, which the grammar-aware endpoint ends early (`python -m benchmarks.latency --long`)."""
QUICK_TURNS = 3
FULL_TURNS = 24
STAGES = ("endpoint", "transcript", "intent", "first_audio")


@dataclass
class Turn(TurnTimings):
    """The voice loop's own `TurnTimings` plus what only the benchmark sees (0.0 = not seen):
    when the endpointer fired, and whether the first reply came from the prompt cache."""

    endpoint: float = 0.0
    cached: bool = False


@dataclass
class Recorder:
    """Collects stage times from the wrappers below."""

    speech_ends: list[float] = field(default_factory=list)
    turns: list[Turn] = field(default_factory=list)
    current: Turn | None = None


class TimedMicrophone:
    """A `WavMicrophone` that notes when each utterance's last sample is delivered."""

    def __init__(self, inner: WavMicrophone, ends: Sequence[float], recorder: Recorder) -> None:
        self.inner = inner
        self.ends = list(ends)
        """Offsets (seconds into the stream) at which utterances end."""
        self.recorder = recorder

    def __enter__(self) -> TimedMicrophone:
        self.inner.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.inner.__exit__(exc_type, exc, tb)

    def chunks(self) -> Iterator[AudioChunk]:
        position = 0.0
        pending = list(self.ends)
        for chunk in self.inner.chunks():
            position += chunk.seconds
            now = time.monotonic()
            while pending and pending[0] <= position:
                # the end fell inside this chunk: back-date by the part delivered after it
                self.recorder.speech_ends.append(now - (position - pending.pop(0)))
            yield chunk


class TimedRecognizer:
    """Delegates to a real recognizer; `reset()` marks the endpoint, `finish()` the transcript."""

    def __init__(self, inner: Recognizer, recorder: Recorder) -> None:
        self.inner = inner
        self.name = inner.name
        self.recorder = recorder

    def set_mode(
        self,
        mode: Mode,
        phrases: Sequence[str] = (),
        never_reject: Collection[str] = (),
        graph: WordGraph | None = None,
    ) -> None:
        self.inner.set_mode(mode, phrases, never_reject, graph)

    def accept(self, chunk: bytes) -> Transcript | None:
        return self.inner.accept(chunk)

    def reset(self) -> None:
        self.recorder.current = Turn(endpoint=time.monotonic())
        self.inner.reset()

    def finish(self) -> Transcript:
        result = self.inner.finish()
        if self.recorder.current is not None:
            self.recorder.current.transcript = time.monotonic()
        return result


class TimedCoach(Coach):
    """The real coach; notes when the intent (and the reply) is known."""

    recorder: Recorder
    cache: Any = None

    def handle(self, event: Event) -> Reply:
        reply = super().handle(event)
        turn = self.recorder.current
        if turn is not None and not turn.intent:
            turn.intent = time.monotonic()
            first = reply.speech[0] if reply.speech else None
            turn.cached = bool(
                self.cache is not None
                and first is not None
                and first.cacheable
                and (first.text, first.pace) in self.cache
            )
        return reply


def _on_chunk(recorder: Recorder) -> Any:
    def note(chunk: AudioChunk) -> None:
        turn = recorder.current
        if turn is not None and turn.intent and not turn.first_audio:
            turn.first_audio = time.monotonic()
            recorder.turns.append(turn)
            recorder.current = None

    return note


def request_audio(
    turns: int, texts: Sequence[str] = TURN_TEXTS
) -> tuple[AudioChunk, list[float]]:
    """The requests in turn, each followed by a gap, and where each utterance ends."""
    renderer = Renderer(cache_root())
    pieces: list[np.ndarray[Any, Any]] = []
    ends: list[float] = []
    position = 0.0
    for index in range(turns):
        text = texts[index % len(texts)]
        speech = trim(read16(renderer.render(Phrase(text, None), "piper@1.0")), pad=0.0)
        pieces += [speech, np.zeros(int(GAP_SECONDS * RATE), dtype=np.float32)]
        position += len(speech) / RATE
        ends.append(position)
        position += GAP_SECONDS
    pcm = (np.concatenate(pieces) * 32767).astype("<i2").tobytes()
    return AudioChunk(pcm, RATE), ends


def prefill(speech: Any, settings: Settings, texts: Sequence[str] = TURN_TEXTS) -> None:
    """Store the replies to `TURN_TEXTS` in the prompt cache before the session, as set-up's
    background warm-up has stored the fixed prompts by the time a person speaks.

    The replies are the coach's own: a throwaway coach with the same settings answers each
    request once and `SpeechOutput.render` caches what it may. Without this, a cached turn
    needed a request heard twice in one session, and on a loaded machine a quick run could
    end with none (its report then had no cached figure at all).
    """
    coach = Coach(Understanding.load(), Journal.in_memory(), settings, SystemClock(), registry())
    try:
        coach.start()
        for text in texts:
            for speak in coach.handle(Utterance(text)).speech:
                speech.render(speak)
    finally:
        coach.close()


def run_turns(
    turns: int, cached: bool, progress: Progress | None = None,
    texts: Sequence[str] = TURN_TEXTS,
) -> list[Turn]:
    """One `VoiceLoop` session of `turns` requests; returns the measured turns."""
    from voice_coach.fixed_prompts import fixed_prompt_set, is_fixed_prompt
    from voice_coach.recognition.grammar import Grammars
    from voice_coach.recognition.select import create_recognizer
    from voice_coach.speech.cache import PromptCache
    from voice_coach.speech.output import SpeechOutput
    from voice_coach.speech.piper_voice import PiperSynthesizer
    from voice_coach.voice_loop import VoiceLoop

    lead = 1.0
    audio, ends = request_audio(turns, texts)
    recorder = Recorder()
    with tempfile.TemporaryDirectory() as tmp:
        paths = resolve_paths(tmp)
        settings = Settings(name="Sam", engine="pocketsphinx")
        synth = PiperSynthesizer.from_setting("")
        synth.load()
        # The coach's own cache policy: only fixed prompts are stored (never a name).
        fixed_prompt_set()  # built in the background in real use; here before the first turn
        cache = (
            PromptCache(Path(tmp) / "tts", synth.voice_id, allowed=is_fixed_prompt)
            if cached else None
        )
        speech = SpeechOutput(synth, RecordingSpeaker(_on_chunk(recorder)), cache)
        if cache is not None:
            prefill(speech, settings, texts)
        recognizer = TimedRecognizer(create_recognizer(settings, paths, "pocketsphinx"), recorder)
        microphone = TimedMicrophone(
            WavMicrophone(audio, realtime=True, lead_silence=lead, trail_silence=1.0),
            [lead + e for e in ends],
            recorder,
        )
        journal = Journal.open(paths.journal_file)
        coach = TimedCoach(Understanding.load(), journal, settings, SystemClock(), registry())
        coach.recorder = recorder
        coach.cache = cache
        counted = [0]

        def listening(state: str, expecting: str) -> None:
            if progress is not None and len(recorder.turns) > counted[0]:
                progress(len(recorder.turns) - counted[0])
                counted[0] = len(recorder.turns)

        def endpoint() -> None:
            if recorder.current is not None:
                recorder.current.endpoint = time.monotonic()

        loop = VoiceLoop(
            coach,
            microphone,
            speech,
            recognizer,
            Grammars(Understanding.load()),
            settings,
            on_listening=listening,
        )
        if any(f.name == "on_endpoint" for f in dataclasses.fields(loop)):
            loop.on_endpoint = endpoint  # type: ignore[attr-defined,unused-ignore]
        try:
            loop.run()
        finally:
            coach.close()
            journal.close()
    for turn in recorder.turns:
        earlier = [e for e in recorder.speech_ends if e <= turn.endpoint]
        turn.speech_end = earlier[-1] if earlier else 0.0
    return [t for t in recorder.turns if t.speech_end]


def endpoint_timeout(settings: Settings) -> float:
    """The silence that ends a top-level request (a shorter command timeout when there is one)."""
    command = getattr(settings, "command_silence_timeout", None)
    return min(settings.silence_timeout, command) if command else settings.silence_timeout


def stage_summary(turns: Sequence[Turn]) -> dict[str, Any]:
    """Per-stage latencies (each from the previous stage) and end of speech → first audio."""
    previous = "speech_end"
    stages: dict[str, Any] = {}
    for stage in STAGES:
        stages[f"{previous}_to_{stage}"] = summary_ms(
            [getattr(t, stage) - getattr(t, previous) for t in turns]
        )
        previous = stage
    stages["speech_end_to_first_audio"] = summary_ms([t.first_audio - t.speech_end for t in turns])
    stages["endpoint_to_first_audio"] = summary_ms([t.first_audio - t.endpoint for t in turns])
    return stages


def turn_latency(
    turns: int, progress: Progress | None = None, texts: Sequence[str] = TURN_TEXTS
) -> dict[str, Any]:
    """Per-stage turn latency through the real `VoiceLoop`, without and with the prompt cache
    (also the Pi section's latency, measured pinned to one core)."""
    uncached = run_turns(turns, cached=False, progress=progress, texts=texts)
    # the replies are in the cache before the first turn (`prefill`); one round more, so a
    # misheard request still leaves as many cached turns as uncached ones
    with_cache = run_turns(turns + len(texts), cached=True, progress=progress, texts=texts)
    hits = [t for t in with_cache if t.cached]
    return {
        "turns": {"uncached": len(uncached), "cached": len(hits)},
        "silence_timeout_s": endpoint_timeout(Settings()),
        "uncached": stage_summary(uncached),
        "cached": stage_summary(hits),
    }


def run_latency(size: RunSize) -> dict[str, Any]:
    """Turn latency with and without the prompt cache, plus recognition/synthesis RTF."""
    turns = size.cap(QUICK_TURNS if size.quick else FULL_TURNS) or QUICK_TURNS
    turns = max(turns, 2)
    bar = Progress("latency", 2 * turns + len(TURN_TEXTS))
    measured = turn_latency(turns, bar)
    bar.close()
    return {
        **measured,
        "engine": "pocketsphinx",
        "rtf": [*recognition_rtf(size), synthesis_rtf()],
    }


# ----- real-time factors ------------------------------------------------------------

RTF_TEXTS = (
    "i'm having a really strong urge to drink",
    "let's do a breathing exercise",
    "seven out of ten",
    "yes please",
    "i think the urge came when i walked past the pub after work",
)
SYNTH_TEXTS = (
    "On a scale from zero to ten, how strong is the urge right now?",
    "Let's try urge surfing together. Notice where you feel the urge in your body.",
    "Well done for checking in today. That takes real effort.",
)


def decode_files(recognizer: Recognizer, files: Sequence[bytes]) -> tuple[float, float, float]:
    """Decode each file in 0.1 s chunks as a microphone would deliver them:
    (wall seconds, CPU seconds, audio seconds)."""
    from voice_coach.recognition.wavfile import chunks

    wall, cpu = time.perf_counter(), time.process_time()
    for pcm in files:
        recognizer.reset()
        for chunk in chunks(pcm):
            recognizer.accept(chunk)
        recognizer.finish()
    audio = sum(len(pcm) / (2 * RATE) for pcm in files)
    return time.perf_counter() - wall, time.process_time() - cpu, audio


def _decode_rtf(recognizer: Recognizer, files: Sequence[bytes]) -> float:
    wall, _cpu, audio = decode_files(recognizer, files)
    return round(wall / audio, 3)


def recognition_rtf(size: RunSize) -> list[dict[str, Any]]:
    """RTF of each available engine in each mode, on clean Piper speech."""
    from voice_coach.messages import Listen
    from voice_coach.models import packaged_korean_model
    from voice_coach.recognition.grammar import Grammars, listen_with
    from voice_coach.recognition.select import create_recognizer
    from voice_coach.recognition.wavfile import read_wav

    renderer = Renderer(cache_root())
    files = [read_wav(renderer.render(Phrase(t, None), "piper@1.0")) for t in RTF_TEXTS]
    grammars = Grammars(Understanding.load())
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        ps = create_recognizer(Settings(), resolve_paths(tmp), "pocketsphinx")
        kinds = (
            (ListenFor.COMMAND, ListenFor.FREE)
            if size.tiny
            else (ListenFor.COMMAND, ListenFor.NUMBER, ListenFor.YES_NO, ListenFor.FREE)
        )
        for kind in kinds:
            grammar = listen_with(ps, grammars, Listen(kind, 20.0))
            results.append(
                {
                    "what": f"recognition pocketsphinx {kind.value} ({grammar.mode})",
                    "rtf": _decode_rtf(ps, files),
                    "target": 0.2,
                }
            )
    korean = None if size.quick else packaged_korean_model()
    if korean is not None:
        from voice_coach.recognition.vosk_engine import VoskRecognizer

        vosk = VoskRecognizer(korean)
        vosk.set_mode("dictation")
        results.append(
            {
                "what": "recognition vosk dictation (Korean test model: speed only)",
                "rtf": _decode_rtf(vosk, files),
                "target": 0.2,
            }
        )
    return results


def synthesis_rtf() -> dict[str, Any]:
    """Piper (bundled voice) synthesis time over audio duration, median over prompts."""
    from voice_coach.speech.piper_voice import PiperSynthesizer

    synth = PiperSynthesizer.from_setting("")
    synth.load()
    ratios = []
    for text in SYNTH_TEXTS:
        started = time.perf_counter()
        chunks = list(synth.synthesize(text))
        work = time.perf_counter() - started
        ratios.append(work / sum(c.seconds for c in chunks))
    return {
        "what": "synthesis piper (bundled voice)",
        "rtf": round(statistics.median(ratios), 3),
        "target": 0.2,
    }


def main() -> None:
    """`python -m benchmarks.latency [--turns N] [--long]`: the turn latency alone, as JSON."""
    import argparse
    import json
    import os

    parser = argparse.ArgumentParser(prog="python -m benchmarks.latency")
    parser.add_argument("--turns", type=int, default=FULL_TURNS)
    parser.add_argument("--long", action="store_true", help=f"requests: {LONG_TURN_TEXTS}")
    args = parser.parse_args()
    texts = LONG_TURN_TEXTS if args.long else TURN_TEXTS
    load = [round(x, 2) for x in os.getloadavg()]
    bar = Progress("latency", 2 * args.turns + len(texts))
    measured = turn_latency(args.turns, bar, texts)
    bar.close()
    measured["texts"] = list(texts)
    measured["load_average"] = {"start": load, "end": [round(x, 2) for x in os.getloadavg()]}
    print(json.dumps(measured, indent=1))


if __name__ == "__main__":
    main()
