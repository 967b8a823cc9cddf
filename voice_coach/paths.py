"""Where Voice Coach keeps its files, so tests and people can point it elsewhere.

`VOICE_COACH_HOME` puts everything (config, journal, cache, models) under one
folder; otherwise the XDG base directories are used, as `platformdirs` reads them
(`$XDG_CONFIG_HOME` and friends, `~/.config` etc. when unset or not absolute).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP = "voice-coach"


@dataclass(frozen=True)
class Paths:
    """The folders and files Voice Coach reads and writes."""

    config_file: Path
    """The TOML settings file."""
    data_dir: Path
    """Private data: the journal and downloaded models."""
    cache_dir: Path
    """Rebuildable files: rendered prompts."""

    @property
    def journal_file(self) -> Path:
        return self.data_dir / "journal.sqlite3"

    @property
    def models_dir(self) -> Path:
        return self.data_dir / "models"


def resolve_paths(data_dir: str | os.PathLike[str] | None = None) -> Paths:
    """Paths from (in order) the `--data-dir` option, `VOICE_COACH_HOME`, then XDG."""
    home = os.environ.get("VOICE_COACH_HOME", "")
    if home:
        base = Path(home).expanduser()
        paths = Paths(base / "config.toml", base / "data", base / "cache")
    else:
        paths = Paths(
            platformdirs.user_config_path(APP) / "config.toml",
            platformdirs.user_data_path(APP),
            platformdirs.user_cache_path(APP),
        )
    if data_dir is not None:
        paths = Paths(paths.config_file, Path(data_dir).expanduser(), paths.cache_dir)
    return paths


def ensure_private_dir(path: Path) -> Path:
    """Create a folder, and any missing parent, readable only by its owner (health information).

    `mkdir(parents=True, mode=...)` gives the parents the umask's mode, so each
    missing level is made here with 0700. Existing folders are left as they are.
    """
    missing: list[Path] = []
    folder = path
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    for level in reversed(missing):
        try:
            level.mkdir(mode=0o700)
        except FileExistsError:
            continue
        level.chmod(0o700)  # in case the umask removed more than group and other bits
    return path


def write_private(path: Path, text: str | bytes) -> Path:
    """Write `text` (or bytes) to `path` atomically (a half-written file is never read), 0600, in a
    0700 folder made if missing. Raises OSError (read-only or full disk) with nothing left
    behind."""
    folder = ensure_private_dir(path.parent)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    try:
        if isinstance(text, bytes):
            with os.fdopen(fd, "wb") as binary:
                binary.write(text)
        else:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(text)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    return path
