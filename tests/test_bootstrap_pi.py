"""`./bootstrap` on a Raspberry Pi: 64-bit only, with the Debian package Vosk needs there.

This machine is 64-bit x86, so the 32-bit case is shown by putting `uname`,
`getconf` and `dpkg` that answer as 32-bit Raspberry Pi OS first on PATH (the
word size of the system is the one boundary a test here cannot change).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _fake(folder: Path, name: str, output: str) -> None:
    tool = folder / name
    tool.write_text(f"#!/bin/sh\necho {output}\n")
    tool.chmod(0o755)


def _bootstrap_as(
    tmp_path: Path, machine: str, bits: str, dpkg_arch: str
) -> subprocess.CompletedProcess[str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _fake(bin_dir, "uname", machine)
    _fake(bin_dir, "getconf", bits)
    _fake(bin_dir, "dpkg", dpkg_arch)
    _fake(bin_dir, "apt-get", "apt-get-was-called")
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    return subprocess.run(
        [str(ROOT / "bootstrap"), "run"], env=env, capture_output=True, text=True, timeout=60
    )


def test_a_32_bit_raspberry_pi_os_is_refused_at_once_with_a_clear_message(tmp_path: Path) -> None:
    done = _bootstrap_as(tmp_path, "armv7l", "32", "armhf")
    assert done.returncode == 1
    assert "needs 64-bit Raspberry Pi OS" in done.stderr and "README" in done.stderr
    assert "apt-get-was-called" not in done.stdout + done.stderr
    assert "Installing" not in done.stderr


def test_a_32_bit_userland_on_a_64_bit_kernel_is_refused_too(tmp_path: Path) -> None:
    done = _bootstrap_as(tmp_path, "aarch64", "32", "armhf")
    assert done.returncode == 1 and "64-bit" in done.stderr


def test_bootstrap_has_installed_libatomic_which_vosk_needs_on_arm64() -> None:
    # This test runs after `./bootstrap test`, which installs its Debian packages first.
    done = subprocess.run(
        ["dpkg-query", "-W", "-f=${Status}", "libatomic1"], capture_output=True, text=True
    )
    assert "install ok installed" in done.stdout
    assert any(
        Path(d, "libatomic.so.1").exists()
        for d in (
            "/usr/lib/x86_64-linux-gnu",
            "/usr/lib/aarch64-linux-gnu",
            "/lib/x86_64-linux-gnu",
            "/lib/aarch64-linux-gnu",
        )
    )
