"""Start-up of the hands-free loop: the greeting plays from the prompt cache at once, while
the decoders, the voice and the first grammar load behind it (real Piper and PocketSphinx)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from voice_coach.app import open_coach
from voice_coach.audio_io.convert import AudioConverter, concatenate, silence
from voice_coach.audio_io.doubles import RecordingSpeaker, WavMicrophone
from voice_coach.audio_io.gate import HalfDuplexGate
from voice_coach.clock import ManualClock
from voice_coach.dialogue import replies
from voice_coach.dialogue.engine import PROFILE_FIRST_RUN
from voice_coach.journal.store import Journal
from voice_coach.messages import AudioChunk
from voice_coach.paths import resolve_paths
from voice_coach.settings import Settings
from voice_coach.speech.cache import PromptCache, cache_dir
from voice_coach.speech.piper_voice import PiperSynthesizer
from voice_coach.speech.warm import warm
from voice_coach.voice_loop import VoiceLoop
from voice_coach.voice_setup import load_voice_parts


def _start(  # type: ignore[no-untyped-def]
    coach_home: Path, synthesizer: PiperSynthesizer, render, name: str
) -> tuple[list[tuple[bool, bool]], RecordingSpeaker, PromptCache, Journal]:
    """A returning person (first run done, fixed prompts warmed) says "I'm having an urge"."""
    paths = resolve_paths()
    with Journal.open(paths.journal_file) as journal:
        journal.set_profile(PROFILE_FIRST_RUN, "2026-11-01")
    settings = Settings(name=name, engine="pocketsphinx", evening_reflection_time="off")
    cache = PromptCache(cache_dir(paths), synthesizer.voice_id)
    warm(replies.greeting(""), synthesizer, cache, settings.pace)
    loaded_at_first_audio: list[tuple[bool, bool]] = []
    parts = load_voice_parts(settings, paths, RecordingSpeaker())

    def first_audio(_chunk: AudioChunk) -> None:
        if not loaded_at_first_audio:
            voice = parts.speech.synthesizer
            assert isinstance(voice, PiperSynthesizer)
            loaded_at_first_audio.append((parts.recognizer.loaded, voice.load_seconds > 0))

    speaker = RecordingSpeaker(on_chunk=first_audio)
    parts.speech.speaker = speaker
    request = AudioConverter(16000, 1).convert(render("I'm having an urge."))
    audio = concatenate([silence(0.5, 16000), request, silence(1.5, 16000)])
    clock = ManualClock(datetime(2026, 11, 26, 10, 0).astimezone())
    with open_coach(paths, settings, clock) as coach:
        VoiceLoop(
            coach, WavMicrophone(audio), parts.speech, parts.recognizer, parts.grammars,
            settings, gate=HalfDuplexGate(tail=0.0), warm_up=parts.warm_up,
        ).run()
    return loaded_at_first_audio, speaker, cache, Journal.open(paths.journal_file)


def test_the_greeting_plays_from_the_cache_before_the_decoders_or_the_voice_load(  # type: ignore[no-untyped-def]
    coach_home: Path, synthesizer, render
) -> None:
    loaded, speaker, cache, journal = _start(coach_home, synthesizer, render, name="")
    assert loaded == [(False, False)], "nothing heavy was loaded when the greeting began"
    hello, how = (cache.get(text, 1.0) for text in replies.greeting(""))
    assert hello is not None and how is not None
    assert speaker.audio(0).samples == hello.samples  # the very audio in the cache
    assert speaker.audio(1).samples == how.samples
    # Loaded behind the greeting, the decoders heard the request that followed it.
    assert [s.exercise for s in journal.snapshot().sessions] == ["urge_help"]
    journal.close()


def test_a_named_greeting_renders_only_the_name_and_keeps_it_off_the_disk(  # type: ignore[no-untyped-def]
    coach_home: Path, synthesizer, render
) -> None:
    loaded, speaker, cache, journal = _start(coach_home, synthesizer, render, name="Sam")
    assert loaded[0][1], "the voice was loaded for 'Hello, Sam.'"
    assert not cache.path("Hello, Sam.", 1.0).exists()
    how = cache.get(replies.HOW_CAN_I_HELP, 1.0)
    assert how is not None and speaker.audio(1).samples == how.samples
    assert speaker.audio(0).seconds > 0.3  # "Hello, Sam." was said
    assert [s.exercise for s in journal.snapshot().sessions] == ["urge_help"]
    journal.close()
