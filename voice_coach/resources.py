"""Find the data that ships with Voice Coach (`intents/`, `audio/`), and parse its YAML.

In a source checkout they sit beside the package; in an installed wheel they
are packaged as `voice_coach/_data/` (see the build hook in `setup.py`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    for candidate in (_PACKAGE / "_data" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(
        f"Voice Coach's {name}/ folder is missing; reinstall with `pip install voice-coach`."
    )


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML was built with it (its wheels are): the same data,
about 15x faster than the pure-Python one; the crisis rules and examples alone took
0.16 s of every start-up with it."""


def load_yaml(text: str) -> Any:
    """Parse YAML safely (no Python objects); raises yaml.YAMLError like yaml.safe_load."""
    return yaml.load(text, Loader=_SAFE_LOADER)


def intents_dir(language: str = "en") -> Path:
    """Folder of intent template files for a language."""
    return _find("intents") / language


def audio_dir() -> Path:
    """Folder of sound assets (earcons) and sample utterances."""
    return _find("audio")
