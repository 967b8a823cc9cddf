"""Errors a person can act on: every message says what is wrong and what to do next."""


class VoiceCoachError(Exception):
    """Base class; the CLI prints the message (no traceback) and exits non-zero."""

    exit_code = 1


class ConfigError(VoiceCoachError):
    """The configuration file or a value in it is invalid."""

    exit_code = 2


class IntentsError(VoiceCoachError):
    """An intents file cannot be read or a template cannot be parsed."""


class JournalError(VoiceCoachError):
    """The journal database cannot be opened, is locked or is damaged."""


class ModelError(VoiceCoachError):
    """A speech model is missing, empty or corrupt."""


class AudioDeviceError(VoiceCoachError):
    """No usable microphone or speaker, or a device rejected the format."""


class AudioFileError(VoiceCoachError):
    """A file given as audio is not a readable WAV."""


class DownloadError(VoiceCoachError):
    """A model download failed, was interrupted or did not match its checksum."""
