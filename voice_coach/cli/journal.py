"""`voice-coach journal`: export, summarise, locate or delete the private journal."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from datetime import datetime
from pathlib import Path

from voice_coach.cli.common import paths_from
from voice_coach.errors import JournalError
from voice_coach.journal import database, export, salvage
from voice_coach.journal.records import JournalDump
from voice_coach.journal.store import Journal
from voice_coach.journal.summary import summarize

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "journal",
        help="export, summarise or delete your private journal",
        description="Your journal is kept only on this device, readable only by you.",
    )
    parser.set_defaults(func=lambda args: _print_help(parser))
    sub = parser.add_subparsers(dest="journal_command", metavar="ACTION")

    exp = sub.add_parser(
        "export",
        help="write the journal as JSON, CSV or Markdown",
        description="Write the journal to standard output or a file (created readable only "
        "by you). JSON holds everything; CSV holds one table (answers by default, one row "
        "per answer); Markdown is a readable journal, grouped by day, to keep or share.",
    )
    exp.add_argument(
        "--format",
        choices=export.FORMATS,
        default="json",
        help="json (everything, default), csv (one table) or md (readable)",
    )
    exp.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    exp.add_argument(
        "--table",
        choices=export.CSV_TABLES,
        default=None,
        help="with --format csv: which table (default answers)",
    )
    exp.set_defaults(func=run_export)

    delete = sub.add_parser(
        "delete",
        help="permanently delete the journal",
        description='Delete the journal and SQLite\'s side files. Asks you to type "delete" '
        "first; use --yes in scripts.",
    )
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    delete.set_defaults(func=run_delete)

    salvage_parser = sub.add_parser(
        "salvage",
        help="save what can still be read from a damaged journal to a new file beside it",
        description="Read a damaged journal table by table and row by row, without changing "
        "it, and write everything found as JSON to a new file beside it (readable only by you).",
    )
    salvage_parser.add_argument("--out", metavar="FILE", help="write here instead")
    salvage_parser.set_defaults(func=run_salvage)

    summary = sub.add_parser("summary", help="a short summary of what the journal holds")
    summary.set_defaults(func=run_summary)

    report = sub.add_parser(
        "report",
        help="write your progress page: one HTML file with charts, no network needed",
        description="Charts of urges (intensity before and after, per week, by trigger and "
        "time of day), mood and sleep, your day count and milestones, exercises done and your "
        "own words, in one self-contained HTML file (created readable only by you).",
    )
    report.add_argument("--out", metavar="FILE", default="report.html",
                        help="where to write it (default report.html)")
    report.set_defaults(func=run_report)

    web = sub.add_parser(
        "serve",
        help="show your progress page live in a browser on this computer",
        description="Serve the progress page on http://127.0.0.1 (this computer only) with "
        "live updates and export and delete buttons. An access token is printed; the page "
        "needs it. --lan also lets other devices on your home network open it.",
    )
    web.add_argument("--port", type=int, default=8765, help="port (default 8765; 0 = any free)")
    web.add_argument("--lan", action="store_true",
                     help="also reachable from your home network (with the printed token)")
    web.set_defaults(func=run_web)

    path = sub.add_parser("path", help="print where the journal file is")
    path.set_defaults(func=run_path)


def _print_help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 0


def _read(file: Path) -> JournalDump:
    """The whole journal; a damaged file is salvaged read-only, with a warning."""
    try:
        with Journal.open(file, create=False) as journal:
            return journal.snapshot()
    except database.DamagedJournalError as damaged:
        try:
            dump, method = salvage.recover(file)
        except JournalError:
            raise damaged from None
        print(
            f"voice-coach: warning: {damaged}\nReading what could still be read from it "
            f"with {method} ({len(dump.warnings)} problem(s) noted); the file was not changed.",
            file=sys.stderr,
        )
        return dump


def run_salvage(args: argparse.Namespace) -> int:
    file = paths_from(args).journal_file
    now = datetime.now().astimezone()
    try:
        with Journal.open(file, create=False) as journal:
            dump, method = journal.snapshot(), "a normal read (the journal is not damaged)"
    except database.DamagedJournalError:
        dump, method = salvage.recover(file)
    out = Path(args.out).expanduser() if args.out else salvage.salvage_file_for(file, now)
    _write(export.render(dump, "json", now), str(out), file)
    answers = sum(len(s.answers) for s in dump.sessions)
    print(
        f"Saved {len(dump.sessions)} session(s) with {answers} answer(s), {len(dump.urges)} "
        f"urge(s) and {len(dump.lapses)} lapse(s), read with {method}, to {out}."
    )
    for warning in dump.warnings:
        print(f"  note: {warning}")
    print(
        f"The journal {file} was not changed. To start afresh: mkdir {file.parent}/damaged && "
        f"mv {file}* {file.parent}/damaged/"
    )
    return 0


def _write(text: str, out: str | None, journal_file: Path) -> None:
    """Write UTF-8 to stdout, or to `out` created with mode 0600 (it is health information)."""
    data = text.encode("utf-8")
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    target = Path(out).expanduser()
    protected = {p.resolve() for p in (journal_file, *database.side_files(journal_file))}
    if target.resolve() in protected:
        raise JournalError(
            f"Refusing to export over the journal itself ({target}). Choose another --out file."
        )
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)
            handle.write(data)
    except OSError as exc:
        raise JournalError(
            f"Cannot write the export to {target} ({exc.strerror}). "
            "Check the folder exists and you can write to it."
        ) from None


def run_export(args: argparse.Namespace) -> int:
    if args.table and args.format != "csv":
        raise JournalError("--table only applies to --format csv. Remove it, or add --format csv.")
    file = paths_from(args).journal_file
    if file.exists():
        dump = _read(file)
    else:
        print(f"voice-coach: no journal at {file} yet; the export is empty.", file=sys.stderr)
        dump = JournalDump()
    now = datetime.now().astimezone()
    _write(export.render(dump, args.format, now, args.table or "answers"), args.out, file)
    if args.out:
        print(
            f"Exported {len(dump.sessions)} session(s), {len(dump.urges)} urge(s) "
            f"to {args.out} ({args.format}).",
            file=sys.stderr,
        )
    return 0


def run_summary(args: argparse.Namespace) -> int:
    file = paths_from(args).journal_file
    if not file.exists():
        print(f"No journal yet at {file}: nothing has been recorded.")
        return 0
    sys.stdout.write(summarize(_read(file), datetime.now().astimezone()))
    return 0


def run_report(args: argparse.Namespace) -> int:
    from voice_coach.journal.report import render_page

    file = paths_from(args).journal_file
    dump = _read(file) if file.exists() else JournalDump()
    _write(render_page(dump, datetime.now().astimezone()), args.out, file)
    print(f"Wrote your progress page to {args.out}. Open it in any browser; it needs no "
          "network. It holds private health information: keep it to yourself.")
    return 0


def run_web(args: argparse.Namespace) -> int:
    import socket

    from voice_coach.journal.web import ProgressServer

    file = paths_from(args).journal_file
    host = "0.0.0.0" if args.lan else "127.0.0.1"
    try:
        server = ProgressServer(file, _read, host=host, port=args.port)
    except OSError as exc:
        raise JournalError(
            f"Cannot serve on port {args.port} ({exc.strerror or exc}). Try another --port."
        ) from None
    print(f"Your progress page: {server.url()}", flush=True)
    if args.lan:
        try:
            address = socket.gethostbyname(socket.gethostname())
        except OSError:
            address = "THIS-COMPUTER'S-ADDRESS"
        print(f"From another device on your network: {server.url(address)}\n"
              "Anyone with this address and token can read your journal: share it with no one.",
              flush=True)
    print("Press Ctrl-C to stop.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("Stopped serving your progress page.", file=sys.stderr)
    finally:
        server.shutdown()
    return 0


def run_path(args: argparse.Namespace) -> int:
    print(paths_from(args).journal_file)
    return 0


def run_delete(args: argparse.Namespace) -> int:
    file = paths_from(args).journal_file
    files = [f for f in (*database.side_files(file), file) if f.exists()]
    if not files:
        print(f"No journal at {file}: nothing to delete.")
        return 0
    if not args.yes:
        if not sys.stdin.isatty():
            raise JournalError(
                f"Not deleting the journal {file}: there is no terminal to confirm on. "
                "Add --yes to delete it without asking."
            )
        print(f"This permanently deletes your journal at {file}.")
        print("Tip: `voice-coach journal export --format md --out journal.md` keeps a copy.")
        try:
            answer = input('Type "delete" to confirm: ')
        except EOFError:
            answer = ""
        if answer.strip().lower() != "delete":
            print("Nothing was deleted.")
            return 1
    if file.exists() and database.in_use(file):
        raise database.locked_error(file)
    # Side files first: a stale -wal next to a new journal could be replayed into it.
    # (The in-use check may already have removed empty ones; they are reported too.)
    for path in (*database.side_files(file), file):
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise JournalError(f"Could not delete {path} ({exc.strerror}).") from None
    for path in files:
        print(f"Deleted {path}")
    print("Your settings and caches are kept; `voice-coach forget` deletes everything.")
    log.info("Journal deleted")
    return 0
