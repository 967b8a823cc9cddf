"""A disk cache of rendered prompts, so fixed sentences start playing at once.

Keyed by a hash of (text, voice, pace): changing the voice or the pace renders
afresh, and a file name reveals nothing of the text. Only fixed prompts are
cached: the voice loop passes `allowed` (the coach's own fixed sentences, see
`fixed_prompts.is_fixed_prompt`), so a sentence holding the person's name, goal or
answers is rendered in memory and never reaches the disk, whatever a caller
marked it. Files written before that rule (the old `tts` folder) are deleted.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from voice_coach.audio_io.convert import concatenate
from voice_coach.audio_io.wav import read_wav, write_wav
from voice_coach.errors import AudioFileError
from voice_coach.messages import AudioChunk
from voice_coach.paths import Paths, ensure_private_dir

log = logging.getLogger(__name__)

FORMAT_VERSION = "1"
"""Bump when the rendering changes (e.g. sentence pauses) so old files are not reused."""


LEGACY_FOLDER = "tts"
"""Where earlier versions cached prompts, personal ones included: removed on sight."""


def cache_dir(paths: Paths) -> Path:
    return paths.cache_dir / "prompts"


def remove_legacy(paths: Paths) -> bool:
    """Delete the old prompt folder (it may hold renders of the person's words)."""
    old = paths.cache_dir / LEGACY_FOLDER
    if old.is_dir():
        shutil.rmtree(old, ignore_errors=True)
        log.info("removed the old prompt cache %s", old)
        return True
    return False


class PromptCache:
    """Rendered prompts as WAV files in one folder; every write is atomic."""

    def __init__(
        self, folder: Path, voice_id: str, allowed: Callable[[str], bool] | None = None
    ) -> None:
        self.folder = folder
        self.voice_id = voice_id
        self.allowed = allowed
        """Which texts may be stored (None: any, for `say --cache` and `voice warm --text`)."""

    def may_store(self, text: str) -> bool:
        return self.allowed is None or self.allowed(text)

    def key(self, text: str, pace: float) -> str:
        normalised = " ".join(text.split())
        material = f"{FORMAT_VERSION}\0{self.voice_id}\0{pace:.3f}\0{normalised}"
        return hashlib.sha256(material.encode("utf-8")).hexdigest()

    def path(self, text: str, pace: float) -> Path:
        return self.folder / f"{self.key(text, pace)}.wav"

    def get(self, text: str, pace: float) -> AudioChunk | None:
        """The cached audio, or None; a damaged file is deleted and counts as a miss."""
        path = self.path(text, pace)
        if not path.is_file():
            return None
        try:
            return read_wav(path)
        except AudioFileError:
            log.warning("removing a damaged cached prompt %s", path.name)
            path.unlink(missing_ok=True)
            return None

    def put(self, text: str, pace: float, chunks: Iterable[AudioChunk]) -> Path | None:
        """Store the audio (chunks of one format) atomically; None when `text` may not be stored."""
        if not self.may_store(text):
            log.debug("not caching a sentence that is not a fixed prompt")
            return None
        ensure_private_dir(self.folder)
        path = self.path(text, pace)
        write_wav(path, [concatenate(list(chunks))])
        return path

    def __contains__(self, item: tuple[str, float]) -> bool:
        text, pace = item
        return self.path(text, pace).is_file()

    def clear(self) -> int:
        """Delete every cached prompt; returns how many."""
        count = 0
        if self.folder.is_dir():
            for path in self.folder.glob("*.wav"):
                path.unlink(missing_ok=True)
                count += 1
        return count
