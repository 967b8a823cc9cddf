"""`voice-coach forget`: delete everything the coach knows about you, and say what went.

The journal (answers, urges, lapses, and the profile inside it: your name,
your start date), SQLite's side files, the settings file (name, focus,
region), and every cache (rendered prompts, built grammars, anything older
versions left). Speech models hold nothing about you and are kept unless
`--models` is given; they are named so you know where they are.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from voice_coach.cli.common import paths_from
from voice_coach.errors import JournalError
from voice_coach.journal import database
from voice_coach.paths import Paths
from voice_coach.recognition.voice_state import FILE_NAME as VOICE_STATE


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "forget",
        help="delete your journal, profile, settings and every cache",
        description=(
            "Permanently delete everything Voice Coach keeps about you: the journal (with your "
            "profile), the settings file and every cache. Speech models are kept unless you add "
            '--models. Asks you to type "forget" first; use --yes in scripts.'
        ),
    )
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    parser.add_argument("--models", action="store_true", help="also delete downloaded models")
    parser.set_defaults(func=run)


def _count(path: Path) -> int:
    return sum(1 for p in path.rglob("*") if p.is_file()) if path.is_dir() else 1


def targets(paths: Paths, with_models: bool) -> list[tuple[str, Path]]:
    """(what it is, where) for everything that exists and will be deleted."""
    journal = paths.journal_file
    unfinished = paths.config_file.with_name(f".{paths.config_file.name}.tmp")
    found: list[tuple[str, Path]] = [
        ("journal side file", side) for side in database.side_files(journal)
    ]
    found += [
        ("your journal (answers, urges, lapses, your name and start date)", journal),
        ("your settings (name, focus, region)", paths.config_file),
        ("an unfinished settings file", unfinished),
        ("the cache (rendered prompts, built grammars)", paths.cache_dir),
        ("how your voice sounds to the recognizer (voice state)", paths.data_dir / VOICE_STATE),
    ]
    if with_models:
        found.append(("the downloaded speech models", paths.models_dir))
    return [(what, path) for what, path in found if path.exists() or path.is_symlink()]


def _confirm(listed: list[tuple[str, Path]]) -> bool:
    if not sys.stdin.isatty():
        raise JournalError(
            "Not deleting anything: there is no terminal to confirm on. "
            "Add --yes to delete without asking."
        )
    print("This permanently deletes:")
    for what, path in listed:
        print(f"  {what}: {path}")
    print("Tip: `voice-coach journal export --format md --out journal.md` keeps a copy first.")
    try:
        answer = input('Type "forget" to confirm: ')
    except EOFError:
        answer = ""
    return answer.strip().lower() == "forget"


def _remove(path: Path) -> None:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise JournalError(
            f"Could not delete {path} ({exc.strerror}); nothing after it was deleted. "
            "Check its permissions and run `voice-coach forget` again."
        ) from None


def run(args: argparse.Namespace) -> int:
    paths = paths_from(args)
    listed = targets(paths, args.models)
    if not listed:
        print("Voice Coach keeps nothing about you here: nothing to delete.")
        _mention_kept(paths, args.models)
        return 0
    if not args.yes and not _confirm(listed):
        print("Nothing was deleted.")
        return 1
    journal = paths.journal_file
    if journal.exists() and database.in_use(journal):
        raise database.locked_error(journal)
    for what, path in listed:
        files = _count(path)
        _remove(path)
        extra = f" ({files} file(s))" if path.suffix == "" and files != 1 else ""
        print(f"Deleted {what}: {path}{extra}")
    for folder in (paths.data_dir, paths.config_file.parent):
        try:
            folder.rmdir()  # only when empty: nothing else of yours is in it
            print(f"Deleted the empty folder {folder}")
        except OSError:
            pass
    _mention_kept(paths, args.models)
    return 0


def _mention_kept(paths: Paths, with_models: bool) -> None:
    from voice_coach.service import unit_path

    if not with_models and paths.models_dir.is_dir() and any(paths.models_dir.iterdir()):
        print(
            f"Kept the speech models in {paths.models_dir}: they hold nothing about you "
            "(add --models to delete them too)."
        )
    if unit_path().exists():
        print(f"Kept the start-at-boot service {unit_path()} (`voice-coach service uninstall`).")
    print("Exports you saved with `journal export --out` are files of yours: delete them yourself.")
