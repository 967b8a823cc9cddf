"""How long a turn takes through `voice-coach serve`, measured with a real Wyoming client.

    PYTHONPATH=. .venv/bin/python benchmarks/wyoming_turns.py [--turns 20]

Starts `voice-coach serve` on a free loopback port in a private home and
prints medians (and the load average, since this machine is shared) for:
a `transcript` → `handled` turn (HA's conversation agent), a rating spoken
to the asr (`audio-stop` → `transcript`), a sentence from the tts
(`synthesize` → `audio-stop`), and the same rating through
`RemoteRecognizer` (what a Pi satellite pays for a home-server recognizer).
Figures, not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from wyoming.tts import Synthesize
from wyoming_fixtures import hear, say, start_serve, talk

from voice_coach.audio_io.convert import AudioConverter, concatenate
from voice_coach.recognition.remote import RemoteRecognizer
from voice_coach.speech.piper_voice import PiperSynthesizer


def median_ms(seconds: list[float]) -> str:
    return f"{statistics.median(seconds) * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--turns", type=int, default=20)
    args = parser.parse_args()
    voice = PiperSynthesizer.from_setting("")
    rating = concatenate(list(voice.synthesize("eight out of ten", steady=True)))
    pcm = AudioConverter(16000).convert(rating).samples
    with tempfile.TemporaryDirectory() as home:
        Path(home, "config.toml").write_text('name = "Sam"\n')
        server = start_serve(Path(home))
        try:
            uri = server.uri
            handle, asr, tts, remote = [], [], [], []
            for n in range(args.turns):
                conversation = f"bench-{n}"
                started = time.perf_counter()
                say(uri, conversation, "I'm having an urge")
                handle.append(time.perf_counter() - started)
                started = time.perf_counter()
                hear(uri, rating.samples, rating.rate, {"conversation_id": conversation})
                asr.append(time.perf_counter() - started)
                started = time.perf_counter()
                talk(uri, Synthesize("How strong is the urge now?").event(),
                     until="audio-stop")
                tts.append(time.perf_counter() - started)
                recognizer = RemoteRecognizer("127.0.0.1", server.port)
                recognizer.set_mode("dictation")
                for start in range(0, len(pcm), 3200):
                    recognizer.accept(pcm[start : start + 3200])
                started = time.perf_counter()
                recognizer.finish()
                remote.append(time.perf_counter() - started)
        finally:
            server.stop()
    print(f"turns: {args.turns}; load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"handle (transcript -> handled, new conversation):  {median_ms(handle)}")
    print(f"asr (rating grammar: audio sent, decoded, answered):{median_ms(asr)}")
    print(f"tts (synthesize -> audio-stop, 6 words):            {median_ms(tts)}")
    print(f"RemoteRecognizer.finish (dictation, after audio):   {median_ms(remote)}")


if __name__ == "__main__":
    main()
