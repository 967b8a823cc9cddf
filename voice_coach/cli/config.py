"""`voice-coach config`: show, locate and change settings."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from voice_coach import settings as settings_mod
from voice_coach.cli.common import paths_from, settings_from


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "config",
        help="show or change settings",
        description="Settings live in a TOML file; every key has a sensible default.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    show = actions.add_parser("show", help="print every setting, its value and what it does")
    show.set_defaults(func=_show)
    path = actions.add_parser("path", help="print where the settings file is")
    path.set_defaults(func=_path)
    set_ = actions.add_parser(
        "set",
        help="change one setting (checked before it is saved)",
        description="Example: voice-coach config set crisis_region UK",
    )
    set_.add_argument("key", choices=settings_mod.KEYS, metavar="KEY", help="a setting name")
    set_.add_argument("value", metavar="VALUE", help="its new value")
    set_.set_defaults(func=_set)


def _show(args: argparse.Namespace) -> int:
    current = settings_from(args)
    print(f"# {paths_from(args).config_file}")
    for key, value in asdict(current).items():
        print(f"{key} = {settings_mod.toml_value(value)}    # {settings_mod.describe(key)}")
    return 0


def _path(args: argparse.Namespace) -> int:
    print(paths_from(args).config_file)
    return 0


def _set(args: argparse.Namespace) -> int:
    path = paths_from(args).config_file
    updated = settings_mod.set_value(path, args.key, args.value)
    print(f"{args.key} = {settings_mod.toml_value(getattr(updated, args.key))}  (saved in {path})")
    return 0
