"""Load what voice mode needs: one start-up shared by `voice-coach run` and the benchmarks."""

from __future__ import annotations

from dataclasses import dataclass

from voice_coach.audio_io.ports import Speaker
from voice_coach.paths import Paths
from voice_coach.recognition import Recognizer
from voice_coach.recognition.grammar import Grammars
from voice_coach.recognition.select import create_recognizer
from voice_coach.settings import Settings
from voice_coach.speech.cache import PromptCache, cache_dir, remove_legacy
from voice_coach.speech.output import SpeechOutput
from voice_coach.speech.piper_voice import PiperSynthesizer
from voice_coach.speech.warm import is_fixed_prompt
from voice_coach.understanding import Understanding


@dataclass(frozen=True)
class VoiceParts:
    """The loaded engines a `VoiceLoop` is built from."""

    recognizer: Recognizer
    speech: SpeechOutput
    grammars: Grammars


def load_voice_parts(settings: Settings, paths: Paths, speaker: Speaker) -> VoiceParts:
    """Recognizer, voice and intents, one after the other.

    Loading the voice in a second thread saved about 0.7 s but added about
    20 MB of peak memory (a second malloc arena), which a Raspberry Pi feels
    more; start-up stays under 3 s without it. The first grammar, the slowest
    part, is built while the greeting plays (see `VoiceLoop`).
    """
    synthesizer = PiperSynthesizer.from_setting(settings.voice)
    recognizer = create_recognizer(settings, paths)
    synthesizer.load()
    understanding = Understanding.load()
    remove_legacy(paths)
    cache = PromptCache(cache_dir(paths), synthesizer.voice_id, allowed=is_fixed_prompt)
    speech = SpeechOutput(synthesizer, speaker, cache)
    return VoiceParts(recognizer, speech, Grammars(understanding))
