"""`voice-coach models`: list, download and remove Vosk speech models."""

from __future__ import annotations

import argparse
import sys

from voice_coach import models
from voice_coach.cli.common import paths_from, settings_from
from voice_coach.download import Expected, fetch_model, progress_printer
from voice_coach.recognition.select import choose_engine


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "models",
        help="list, download or remove Vosk speech models",
        description=(
            "Vosk models make recognition more accurate than the built-in PocketSphinx. "
            f"Download the default with: voice-coach models download {models.DEFAULT_MODEL}"
        ),
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("list", help="show installed and downloadable models").set_defaults(
        func=run_list
    )
    download = actions.add_parser(
        "download", help="download and install a model (the only command that uses the network)"
    )
    download.add_argument("name", metavar="NAME|URL", help="a model name or the URL of a model zip")
    download.add_argument(
        "--sha256", metavar="HEX",
        help="expected SHA-256 of the zip (needed for a model without a pinned checksum)",
    )
    download.add_argument(
        "--insecure-no-checksum", action="store_true",
        help="install a zip whose checksum is unknown, unchecked (not recommended)",
    )
    download.add_argument(
        "--allow-http", action="store_true",
        help="accept a plain http:// URL (anyone on the network could alter the file)",
    )
    download.set_defaults(func=run_download)
    remove = actions.add_parser("remove", help="delete an installed model")
    remove.add_argument("name", metavar="NAME", help="the folder name shown by `models list`")
    remove.set_defaults(func=run_remove)


def run_list(args: argparse.Namespace) -> int:
    paths = paths_from(args)
    found = models.installed(paths)
    print(f"Models folder: {paths.models_dir}")
    if found:
        print("Installed:")
        for m in found:
            state = "" if m.complete else "  (incomplete: remove and download again)"
            print(f"  {m.name}  {m.size_bytes / 1e6:.0f} MB{state}")
    else:
        print("Installed: none (PocketSphinx, built in, is used)")
    names = {m.name for m in found}
    print("Available to download:")
    for known in models.KNOWN_MODELS.values():
        mark = "  [installed]" if known.name in names else ""
        if known.sha256 is None:
            mark += "  (no pinned checksum: needs --sha256)"
        print(f"  {known.name}  ~{known.size_mb} MB  {known.note}{mark}")
    engine = choose_engine(settings_from(args), paths)
    print(f"Engine in use with engine = auto: {engine}")
    return 0


def run_download(args: argparse.Namespace) -> int:
    paths = paths_from(args)
    name, url, known = models.resolve(args.name)
    expected = Expected()
    if known is not None and not args.sha256:
        expected = Expected(known.sha256, known.md5, known.size_bytes)
    size = f" (~{known.size_mb} MB)" if known else ""
    print(f"Downloading {name}{size} from {url}", file=sys.stderr)
    target = fetch_model(
        url, name, paths.models_dir, args.sha256, progress_printer(sys.stderr),
        expected=expected, allow_http=args.allow_http,
        insecure_no_checksum=args.insecure_no_checksum,
    )
    print(f"Installed {name} in {target}")
    return 0


def run_remove(args: argparse.Namespace) -> int:
    target = models.remove(paths_from(args), args.name)
    print(f"Removed {target}")
    return 0
