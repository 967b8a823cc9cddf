"""Load what voice mode needs: one start-up shared by `voice-coach run` and the benchmarks."""

from __future__ import annotations

from dataclasses import dataclass

from voice_coach.audio_io.ports import Speaker
from voice_coach.fixed_prompts import is_fixed_prompt
from voice_coach.paths import Paths
from voice_coach.recognition.grammar import Grammars
from voice_coach.recognition.loading import LoadingRecognizer
from voice_coach.recognition.select import create_recognizer
from voice_coach.remote import is_wyoming_uri, parse_uri
from voice_coach.settings import Settings
from voice_coach.speech.cache import PromptCache, cache_dir, remove_legacy
from voice_coach.speech.output import SpeechOutput, Synthesizer
from voice_coach.speech.piper_voice import PiperSynthesizer
from voice_coach.speech.remote import AnnouncingSpeech, FallbackSynthesizer, RemoteSynthesizer
from voice_coach.understanding import Understanding


@dataclass(frozen=True)
class VoiceParts:
    """The engines a `VoiceLoop` is built from; the heavy ones load in `warm_up()`."""

    recognizer: LoadingRecognizer
    speech: SpeechOutput
    grammars: Grammars

    def warm_up(self) -> None:
        """Load the decoders and the voice (the voice loop runs this while the greeting plays).

        The greeting comes from the prompt cache, so nothing it needs is loaded
        here; a personal first line ("Hello, Sam.") loads the voice itself.
        """
        # The voice first: a personal first line waits for it, the decoders only for
        # the first listen, after the whole greeting.
        synthesizer = self.speech.synthesizer
        if isinstance(synthesizer, PiperSynthesizer):
            synthesizer.load()
        self.recognizer.load()


def load_voice_parts(settings: Settings, paths: Paths, speaker: Speaker) -> VoiceParts:
    """Intents and the prompt cache now; recognizer and voice on first use or `warm_up()`.

    Nothing heavy is loaded before the greeting: it plays from the prompt
    cache while the decoders, the voice and the first grammar load in one
    background thread (`VoiceLoop`), so the person hears the coach at once.
    """
    remote_voice = is_wyoming_uri(settings.voice)
    synthesizer: Synthesizer = (
        remote_synthesizer(settings.voice) if remote_voice
        else PiperSynthesizer.from_setting(settings.voice)
    )
    recognizer = LoadingRecognizer(lambda: create_recognizer(settings, paths))
    understanding = Understanding.load()
    remove_legacy(paths)
    if remote_voice or is_wyoming_uri(settings.engine):
        # A remote engine may fail over: the coach says so once, before its next sentence.
        # A remote voice's audio is not cached (the fallback voice would be stored under it).
        cache = None if remote_voice else _cache(paths, synthesizer)
        speech: SpeechOutput = AnnouncingSpeech(synthesizer, speaker, cache)
    else:
        speech = SpeechOutput(synthesizer, speaker, _cache(paths, synthesizer))
    return VoiceParts(recognizer, speech, Grammars(understanding))


def _cache(paths: Paths, synthesizer: Synthesizer) -> PromptCache:
    voice_id = str(getattr(synthesizer, "voice_id", "voice"))
    return PromptCache(cache_dir(paths), voice_id, allowed=is_fixed_prompt)


def remote_synthesizer(setting: str) -> FallbackSynthesizer:
    """The voice at `wyoming://HOST:PORT`, with the bundled Piper voice as fallback."""
    host, port = parse_uri(setting)

    def bundled() -> Synthesizer:
        voice = PiperSynthesizer.from_setting("")
        voice.load()
        return voice

    return FallbackSynthesizer(RemoteSynthesizer(host, port), bundled)
