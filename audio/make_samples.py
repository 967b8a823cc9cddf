"""Render the sample utterances in `audio/samples/` with the bundled Piper voice.

    python audio/make_samples.py [OUT_DIR]     (default: audio/samples beside this script)

They let a newcomer try recognition with no microphone:

    voice-coach recognize audio/samples/*.wav --json

16 kHz mono 16-bit WAVs, like a USB microphone's audio after conversion.
"""

from __future__ import annotations

import sys
from pathlib import Path

from voice_coach.audio_io.convert import AudioConverter, concatenate, silence
from voice_coach.audio_io.wav import write_wav
from voice_coach.speech.piper_voice import PiperSynthesizer

SAMPLES = {
    "urge": "I'm having an urge.",
    "breathing": "Can we do some breathing?",
    "rating-seven": "About a seven.",
    "remind-me-why": "Remind me why I'm doing this.",
    "evening-reflection": "Let's do my evening reflection.",
    "out-of-scope": "What's the weather like tomorrow?",
}


def main(out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    voice = PiperSynthesizer.from_setting("")
    voice.load()
    for name, text in SAMPLES.items():
        speech = concatenate(list(voice.synthesize(text)))
        padded = concatenate(
            [silence(0.3, speech.rate), speech, silence(0.5, speech.rate)]
        )
        audio = AudioConverter(16000, 1).convert(padded)
        write_wav(out_dir / f"{name}.wav", [audio])
        print(f"{name}.wav: {text}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "samples")
