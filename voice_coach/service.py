"""A systemd user unit, so the coach starts at boot on a Raspberry Pi with no one logged in."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import platformdirs

UNIT_NAME = "voice-coach.service"


def unit_path() -> Path:
    """Where systemd looks for user units: `$XDG_CONFIG_HOME/systemd/user/`."""
    return platformdirs.user_config_path() / "systemd" / "user" / UNIT_NAME


def unit_text(
    python: str = sys.executable, home: str | None = None, data_dir: str | None = None
) -> str:
    """The unit file. `Restart=on-failure`: a missing microphone exits non-zero and is retried.

    `data_dir` (the `--data-dir` the unit was installed with) goes into the
    command as an absolute path, so the service uses the same journal.
    """
    folder = ["--data-dir", str(Path(data_dir).expanduser().resolve())] if data_dir else []
    command = shlex.join([python, "-m", "voice_coach", *folder, "run", "--service"])
    environment = f"Environment={shlex.quote('VOICE_COACH_HOME=' + home)}\n" if home else ""
    return (
        "[Unit]\n"
        "Description=Voice Coach, an offline hands-free recovery companion\n"
        "After=sound.target pipewire.service pulseaudio.service\n"
        "\n"
        "[Service]\n"
        f"ExecStart={command}\n"
        f"{environment}"
        "Restart=on-failure\n"
        "RestartSec=10\n"
        "\n"
        "[Install]\n"
        "WantedBy=default.target\n"
    )


def install(home: str | None = None, data_dir: str | None = None) -> Path:
    path = unit_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(unit_text(home=home, data_dir=data_dir), encoding="utf-8")
    return path


def uninstall() -> bool:
    path = unit_path()
    if path.exists():
        path.unlink()
        return True
    return False
