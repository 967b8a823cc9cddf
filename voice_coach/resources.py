"""Find the data that ships with Voice Coach: `intents/` and `audio/`.

In a source checkout they sit beside the package; in an installed wheel they
are packaged as `voice_coach/_data/` (see the build hook in `setup.py`).
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"Voice Coach's {name}/ folder is missing; reinstall with `pip install voice-coach`."
    )


def intents_dir(language: str = "en") -> Path:
    """Folder of intent template files for a language."""
    return _find("intents") / language


def audio_dir() -> Path:
    """Folder of sound assets (earcons) and sample utterances."""
    return _find("audio")
