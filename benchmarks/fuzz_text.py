"""Random input into text mode: tracebacks, and crisis false alarms per 10,000 random lines.

Two parts, both seeded:

1. `voice-coach chat --fast` fed random lines in real processes (raw random
   bytes with invalid UTF-8, random Unicode, word salad, 20 KB lines, control
   words and exercise names mixed in); counts tracebacks and bad exit codes.
2. The crisis detector on random word salad from the 3,000 most frequent
   English words (and on random bytes decoded as text): how many lines would
   raise a crisis response, per 10,000, with examples. A person typing these
   lines is in no crisis, so every hit is a false alarm (a chance real phrase
   such as "kill myself" is printed with the examples, to be judged).

    python -m benchmarks.fuzz_text --lines 10000
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

MIXED_IN = ["stop", "help", "pause", "resume", "skip", "back", "repeat", "quit-not", "goodbye",
            "I'm having an urge", "let's breathe", "evening reflection", "yes", "no", "7",
            "wait, I meant three", "1e309", "9" * 400]


def random_line(rng: random.Random, words: tuple[str, ...]) -> bytes:
    """One line of one of five kinds."""
    kind = rng.randrange(5)
    if kind == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 80))).replace(b"\n", b" ")
    if kind == 1:
        chars = [chr(rng.choice((rng.randrange(32, 0x2FF), rng.randrange(0x370, 0x1FAFF))))
                 for _ in range(rng.randrange(1, 60))]
        text = "".join(c for c in chars if not 0xD800 <= ord(c) <= 0xDFFF)
        return text.encode("utf-8", errors="replace").replace(b"\n", b" ")
    if kind == 2:
        return " ".join(rng.choice(words) for _ in range(rng.randrange(1, 15))).encode()
    if kind == 3:
        return rng.choice(MIXED_IN).encode()
    return (" ".join(rng.choice(words) for _ in range(3000)))[:20000].encode()


def fuzz_chat(lines: int, per_process: int, seed: int) -> tuple[int, int, int, list[str]]:
    """(lines fed, processes, tracebacks, examples of failures)."""
    from voice_coach.recognition.common_words import WORDS

    rng = random.Random(seed)
    failures: list[str] = []
    tracebacks = processes = fed = 0
    while fed < lines:
        batch = [random_line(rng, WORDS) for _ in range(min(per_process, lines - fed))]
        fed += len(batch)
        processes += 1
        with tempfile.TemporaryDirectory(prefix="vc-fuzz-") as home:
            env = dict(os.environ, VOICE_COACH_HOME=home, PYTHONPATH=str(REPO))
            got = subprocess.run([sys.executable, "-m", "voice_coach", "chat", "--fast"],
                                 input=b"\n".join(batch) + b"\n", capture_output=True, env=env,
                                 cwd=REPO, timeout=1800)
        err = got.stderr.decode(errors="replace")
        if "Traceback" in err or got.returncode != 0:
            tracebacks += "Traceback" in err
            failures.append(f"exit {got.returncode}: {err[-400:]}")
    return fed, processes, tracebacks, failures


def crisis_false_alarms(lines: int, seed: int) -> tuple[int, int, Counter[str], list[str]]:
    """(lines, hits on word salad, hits on random bytes, examples)."""
    from voice_coach.recognition.common_words import WORDS
    from voice_coach.understanding import Understanding

    understanding = Understanding.load()
    rng = random.Random(seed)
    hits: Counter[str] = Counter()
    examples: list[str] = []
    for _ in range(lines):
        salad = " ".join(rng.choice(WORDS) for _ in range(rng.randrange(2, 15)))
        noise = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 80))).decode(
            "utf-8", errors="replace")
        for kind, line in (("word salad", salad), ("random bytes", noise)):
            if understanding.is_crisis(line):
                hits[kind] += 1
                if len(examples) < 12:
                    examples.append(f"{kind}: {line!r}")
    return lines, hits["word salad"], hits, examples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=10_000, help="random lines for each part")
    parser.add_argument("--per-process", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-chat", action="store_true", help="only the crisis part")
    args = parser.parse_args(argv)
    bad = 0
    if not args.skip_chat:
        fed, processes, tracebacks, failures = fuzz_chat(args.lines, args.per_process, args.seed)
        print(f"chat --fast: {fed} random lines in {processes} process(es): "
              f"{tracebacks} traceback(s), {len(failures)} failed process(es)")
        for failure in failures[:5]:
            print(f"  {failure}")
        bad += len(failures)
    lines, _salad, hits, examples = crisis_false_alarms(args.lines, args.seed)
    for kind in ("word salad", "random bytes"):
        print(f"crisis false alarms, {kind}: {hits[kind]} in {lines} lines "
              f"= {hits[kind] * 10_000 / lines:.1f} per 10,000")
    for example in examples:
        print(f"  {example}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
