"""`voice-coach voice warm` on every core, with a progress bar (real Piper, real cache)."""

from __future__ import annotations

import re
from pathlib import Path

from voice_coach.audio_io.wav import read_wav
from voice_coach.speech.cache import PromptCache
from voice_coach.speech.warm_parallel import pending, worker_plan

TEXTS = (
    "Let's begin.",
    "How strong is the urge right now, from zero to ten?",
    "Take a slow breath in through your nose.",
)


def test_warm_renders_on_two_workers_and_shows_progress_with_an_eta(  # type: ignore[no-untyped-def]
    cli, coach_home: Path
) -> None:
    args = ["voice", "warm"]
    for text in TEXTS:
        args += ["--text", text]
    result = cli(*args)
    assert result.returncode == 0, result.stderr
    assert "Rendered 3 prompt(s), 0 already cached" in result.stdout
    assert re.search(r"Rendering 3 prompt\(s\) with \d worker\(s\)", result.stderr)
    assert "3/3" in result.stderr  # the bar reached the end
    assert re.search(r"\d\d:\d\d<\d\d:\d\d", result.stderr), "elapsed<remaining: the ETA"
    files = sorted((coach_home / "cache" / "prompts").glob("*.wav"))
    assert len(files) == 3
    assert all(read_wav(f).seconds > 0.4 for f in files)  # real speech, not empty files
    again = cli(*args)
    assert "Rendered 0 prompt(s), 3 already cached" in again.stdout
    assert "Rendering" not in again.stderr  # nothing to do: no bar


def test_every_core_works_but_never_more_than_two_voices_in_memory() -> None:
    assert worker_plan(1) == (1, 1)
    assert worker_plan(2) == (2, 1)  # this machine: both cores, one thread each
    assert worker_plan(4) == (2, 2)  # a Pi 4: two voices, two threads each
    assert worker_plan(8) == (2, 2)


def test_pending_skips_cached_and_repeated_texts_longest_first(tmp_path: Path) -> None:
    from voice_coach.audio_io.convert import silence

    cache = PromptCache(tmp_path, "voice")
    cache.put("Well done.", 1.0, [silence(0.5, 22050)])
    todo, already = pending(["Well done.", "Hi.", "A longer sentence here.", "Hi.", ""], cache, 1.0)
    assert todo == ["A longer sentence here.", "Hi."]
    assert already == 1
