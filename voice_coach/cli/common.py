"""Shared set-up for commands: paths, settings and the journal, read once per command."""

from __future__ import annotations

import argparse

from voice_coach import settings as settings_mod
from voice_coach.paths import Paths, resolve_paths
from voice_coach.settings import Settings


def paths_from(args: argparse.Namespace) -> Paths:
    return resolve_paths(getattr(args, "data_dir", None))


def settings_from(args: argparse.Namespace) -> Settings:
    """Load and validate the settings file (raises ConfigError naming file and key)."""
    return settings_mod.from_file(paths_from(args).config_file)
