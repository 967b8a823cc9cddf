"""`voice-coach bench`: run the benchmark suite (accuracy, latency, footprint, scaling).

The suite lives in the source repository (`benchmarks/`), not in the installed
package: it renders speech, reads the Picovoice recordings and writes results
beside the code. This command runs it from the checkout this package came from.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from voice_coach.errors import VoiceCoachError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "bench",
        help="measure accuracy, latency and memory (source checkout only)",
        description=(
            "Run the benchmark suite from the source repository: real human speech, our own "
            "phrases spoken by several voices in noise, turn latency, start-up time, memory "
            "and scaling. Prints a table and writes benchmarks/results/<date>-<machine>.json "
            "and .md. Takes about 20 minutes; --quick about 3."
        ),
    )
    parser.add_argument("--quick", action="store_true", help="a smaller run (about 3 minutes)")
    parser.add_argument("--limit", type=int, metavar="N", help="at most N items per section")
    parser.set_defaults(func=run)


def source_root() -> Path | None:
    """The checkout holding `benchmarks/` next to `voice_coach/`, or None (installed wheel)."""
    root = Path(__file__).resolve().parent.parent.parent
    return root if (root / "benchmarks" / "__main__.py").is_file() else None


def run(args: argparse.Namespace) -> int:
    root = source_root()
    if root is None:
        raise VoiceCoachError(
            "The benchmarks ship with the source repository, not the installed package: "
            "clone Voice Coach and run `voice-coach bench` (or `python -m benchmarks`) there."
        )
    command = [sys.executable, "-m", "benchmarks"]
    if args.quick:
        command.append("--quick")
    if args.limit is not None:
        command += ["--limit", str(args.limit)]
    return subprocess.run(command, cwd=root, check=False).returncode
