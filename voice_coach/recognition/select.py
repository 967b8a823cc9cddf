"""Pick the engine: Vosk when a model is installed, else the embedded PocketSphinx."""

from __future__ import annotations

import logging
from pathlib import Path

from voice_coach.errors import ModelError
from voice_coach.models import DEFAULT_MODEL, installed_model_dir
from voice_coach.paths import Paths
from voice_coach.recognition import Recognizer
from voice_coach.remote import is_wyoming_uri, parse_uri
from voice_coach.settings import Settings

log = logging.getLogger(__name__)


def vosk_model_path(settings: Settings, paths: Paths) -> Path | None:
    """The Vosk model to use: `settings.vosk_model`, else the default one if installed."""
    if settings.vosk_model:
        return Path(settings.vosk_model).expanduser()
    return installed_model_dir(paths)


def choose_engine(settings: Settings, paths: Paths, engine: str | None = None) -> str:
    """Return "vosk" or "pocketsphinx"; `engine` (from --engine) overrides the settings."""
    wanted = (engine or settings.engine).lower()
    if is_wyoming_uri(wanted):
        wanted = "auto"  # the embedded engine a remote one falls back to
    if wanted in ("vosk", "pocketsphinx"):
        return wanted
    if wanted != "auto":
        raise ModelError(f"Unknown engine {wanted!r}: use auto, vosk or pocketsphinx.")
    model = vosk_model_path(settings, paths)
    if model is not None and model.is_dir():
        return "vosk"
    return "pocketsphinx"


def create_recognizer(
    settings: Settings, paths: Paths, engine: str | None = None, verify: bool = True
) -> Recognizer:
    """Load the chosen engine and log which one (and which model) is in use.

    `verify=False` skips the open-vocabulary rejection check in command mode
    (see `rejection.py`): half the decoding work, for speech known to be in
    scope (benchmarks of a command grammar); the coach itself keeps it on.
    """
    if engine is None and is_wyoming_uri(settings.engine):
        from voice_coach.recognition.remote import FallbackRecognizer, RemoteRecognizer

        host, port = parse_uri(settings.engine)
        log.info("Speech recognition: the Wyoming service at %s:%d (embedded as fallback)",
                 host, port)
        return FallbackRecognizer(
            RemoteRecognizer(host, port),
            lambda: create_recognizer(settings, paths, choose_engine(settings, paths), verify),
        )
    recognizer = _engine(settings, paths, engine, verify)
    if settings.front_end == "none":
        return recognizer
    from voice_coach.audio_io.front_end import create_front_end
    from voice_coach.recognition.cleaned import CleanedRecognizer

    front_end = create_front_end(settings.front_end, settings.raw_mix)
    if front_end.name == "none":
        return recognizer
    log.info("Audio front end: %s", front_end.name)
    return CleanedRecognizer(recognizer, front_end)


def _engine(settings: Settings, paths: Paths, engine: str | None, verify: bool) -> Recognizer:
    name = choose_engine(settings, paths, engine)
    if name == "vosk":
        model = vosk_model_path(settings, paths)
        if model is None:
            raise ModelError(
                "The Vosk engine was chosen but no Vosk model is installed. Install one with "
                f'`voice-coach models download {DEFAULT_MODEL}`, or set engine = "auto".'
            )
        from voice_coach.recognition.vosk_engine import VoskRecognizer

        log.info("Speech recognition: Vosk with the model in %s", model)
        return VoskRecognizer(model, verify=verify)
    from voice_coach.recognition.pocketsphinx_engine import PocketSphinxRecognizer
    from voice_coach.recognition.voice_state import FILE_NAME, VoiceState

    log.info("Speech recognition: PocketSphinx (embedded en-us model)")
    return PocketSphinxRecognizer(
        verify=verify,
        cache_dir=paths.cache_dir,
        voice_state=VoiceState(paths.data_dir / FILE_NAME),
        compiled=settings.command_grammar == "compiled",
    )
