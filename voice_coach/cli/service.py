"""`voice-coach service`: start the coach at boot (systemd user unit)."""

from __future__ import annotations

import argparse
import os

from voice_coach import service

NEXT_STEPS = """Now enable it:
  systemctl --user daemon-reload
  systemctl --user enable --now {unit}
To start it at boot without logging in (a Raspberry Pi on a shelf):
  sudo loginctl enable-linger $USER
Follow its log with: journalctl --user -u {unit} -f"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "service",
        help="install or remove the systemd user unit that starts the coach at boot",
        description="Writes ~/.config/systemd/user/voice-coach.service running `voice-coach run "
        "--service`, which systemd restarts if the microphone is missing.",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    install = actions.add_parser("install", help="write the unit file and say how to enable it")
    install.set_defaults(func=_install)
    remove = actions.add_parser("uninstall", help="remove the unit file")
    remove.set_defaults(func=_uninstall)
    show = actions.add_parser("show", help="print the unit file without writing it")
    show.set_defaults(func=_show)


def _install(args: argparse.Namespace) -> int:
    path = service.install(os.environ.get("VOICE_COACH_HOME"), getattr(args, "data_dir", None))
    print(f"Wrote {path}.")
    print(NEXT_STEPS.format(unit=service.UNIT_NAME))
    return 0


def _uninstall(args: argparse.Namespace) -> int:
    if service.uninstall():
        print(f"Removed {service.unit_path()}. Run: systemctl --user daemon-reload")
    else:
        print(f"Nothing to remove: {service.unit_path()} does not exist.")
    return 0


def _show(args: argparse.Namespace) -> int:
    text = service.unit_text(
        home=os.environ.get("VOICE_COACH_HOME"), data_dir=getattr(args, "data_dir", None)
    )
    print(text, end="")
    return 0
