"""`python -m benchmarks [--quick] [--limit N]`: run every section, print and save the report."""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from benchmarks import report
from benchmarks.common import LIMIT_ENV, RunSize, front_end_settings
from voice_coach.errors import ConfigError
from voice_coach.settings import FRONT_ENDS, Settings, from_dict

SECTIONS = ("picovoice", "domain", "latency", "footprint", "scaling", "startup")


def _runner(name: str) -> Callable[[RunSize], dict[str, Any]]:
    """Import a section lazily, so one broken section cannot stop the others."""
    if name == "picovoice":
        from benchmarks.realspeech import run_realspeech

        return run_realspeech
    if name == "domain":
        from benchmarks.domain import run_domain

        return run_domain
    if name == "latency":
        from benchmarks.latency import run_latency

        return run_latency
    if name == "footprint":
        from benchmarks.footprint import run_footprint

        return run_footprint
    if name == "startup":
        from benchmarks.startup import run_startup

        return run_startup
    from benchmarks.scaling import run_scaling

    return run_scaling


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Measure Voice Coach: accuracy on real and synthetic speech, latency, "
        "footprint and scaling. Writes benchmarks/results/<date>-<machine>.json and .md.",
    )
    parser.add_argument("--quick", action="store_true", help="a smaller run (under 3 minutes)")
    parser.add_argument(
        "--limit",
        type=int,
        default=None,
        metavar="N",
        help=f"at most N items per section (default: ${LIMIT_ENV}, else no cap)",
    )
    parser.add_argument(
        "--only",
        default=",".join(SECTIONS),
        help=f"comma list of sections to run (default: {','.join(SECTIONS)})",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=report.RESULTS_DIR,
        help="folder for the JSON and Markdown report",
    )
    parser.add_argument("--workers", type=int, default=2, help="decoding processes (default 2)")
    parser.add_argument(
        "--crisis",
        action="store_true",
        help="domain section for safety: every crisis phrase plus --limit others (default 40), "
        "every voice clean and the Piper voice in pink and babble noise at 10 dB (with --quick: "
        "the Piper voice at every pace, clean and in babble at 10 dB)",
    )
    parser.add_argument(
        "--targets",
        action="store_true",
        help="domain section on the target cells only: the Piper voice clean, in pink and babble "
        "noise at 10 dB and in a room, every espeak-ng voice clean; command mode (no wake-mode "
        "or dictation decodes), for quicker before/after runs",
    )
    parser.add_argument(
        "--pi",
        action="store_true",
        help="Raspberry Pi proxy: the speed and memory figures on one core (taskset), one "
        "thread per library, beside a Pi 4 estimate; writes <date>-<machine>-pi.json and .md",
    )
    parser.add_argument(
        "--front-end",
        default=None,
        help=f"audio front end for the recognition sections ({', '.join(FRONT_ENDS)}; "
        f"default: {Settings().front_end}); NAME:MIX also sets raw_mix (default "
        f"{Settings().raw_mix})",
    )
    return parser.parse_args(argv)


def run_pi(args: argparse.Namespace, argv: Sequence[str], size: RunSize) -> int:
    """`--pi`: re-run pinned to one core, then measure and write the Pi-proxy report."""
    import subprocess

    from benchmarks import pi

    pinned = pi.pin_command(argv)
    if pinned is not None:
        command, env = pinned
        return subprocess.run(command, env=env, check=False).returncode
    started = dt.datetime.now().astimezone()
    clock = time.monotonic()
    result: dict[str, Any] = {
        "started": started.isoformat(timespec="seconds"),
        "command": " ".join(["taskset -c 0 python -m benchmarks", *argv]),
        "mode": "quick" if args.quick else "full",
        "limit": size.limit,
        "machine": report.machine(),
        "sections": {"pi": pi.run_pi(size)},
    }
    result["seconds"] = round(time.monotonic() - clock, 1)
    result["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    json_path, md_path = pi.write(result, args.out)
    print(pi.markdown(result))
    print(f"Wrote {json_path} and {md_path}", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    limit = args.limit
    if limit is None and os.environ.get(LIMIT_ENV):
        try:
            limit = int(os.environ[LIMIT_ENV])
        except ValueError:
            print(f"{LIMIT_ENV} must be a whole number", file=sys.stderr)
            return 2
    if limit is not None and limit < 1:
        print("--limit must be at least 1", file=sys.stderr)
        return 2
    wanted = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(wanted) - set(SECTIONS)
    if unknown or not wanted:
        which = f"unknown section(s) {', '.join(sorted(unknown))}" if unknown else "no section"
        print(f"{which}; choose from {', '.join(SECTIONS)}", file=sys.stderr)
        return 2
    try:
        from_dict(front_end_settings(args.front_end), "--front-end")
    except (ConfigError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING)
    size = RunSize(
        quick=args.quick,
        limit=limit,
        workers=max(1, args.workers),
        crisis=args.crisis,
        targets=args.targets,
        front_end=args.front_end,
    )
    if args.pi:
        return run_pi(args, list(argv if argv is not None else sys.argv[1:]), size)
    started = dt.datetime.now().astimezone()
    clock = time.monotonic()
    command = " ".join(["python -m benchmarks", *(argv if argv is not None else sys.argv[1:])])
    result: dict[str, Any] = {
        "started": started.isoformat(timespec="seconds"),
        "command": command.strip(),
        "mode": "quick" if args.quick else "full",
        "limit": limit,
        "front_end": args.front_end or Settings().front_end,
        "machine": report.machine(),
        "sections": {},
    }
    for done, name in enumerate(wanted, start=1):
        print(f"== {name}", file=sys.stderr, flush=True)
        section_start = time.monotonic()
        try:
            section = _runner(name)(size)
        except Exception as exc:  # one failed section must not lose the others
            traceback.print_exc()
            section = {"error": f"{type(exc).__name__}: {exc}"}
        section["section_seconds"] = round(time.monotonic() - section_start, 1)
        result["sections"][name] = section
        # Written after every section, so a long run stopped half-way (Ctrl-C, a
        # shutdown) keeps what it measured; the report names what was not run yet.
        result["sections_left"] = wanted[done:]
        result["seconds"] = round(time.monotonic() - clock, 1)
        result["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        json_path, md_path = report.write(result, args.out)
    print(report.markdown(result))
    print(f"Wrote {json_path} and {md_path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
