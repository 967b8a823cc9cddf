"""`voice-coach devices`: list microphones and speakers, marking the default and chosen ones."""

from __future__ import annotations

import argparse

from voice_coach.cli.common import settings_from
from voice_coach.errors import AudioDeviceError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "devices",
        help="list microphones and speakers",
        description=(
            "List audio devices. Choose one with `voice-coach config set input_device NAME` "
            "(or output_device): a part of the name is safest, since numbers change when "
            "devices are plugged in."
        ),
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from voice_coach.audio_io import devices as audio_devices  # needs PortAudio
    from voice_coach.audio_io.devices import Kind

    settings = settings_from(args)
    found = audio_devices.list_devices()
    if not found:
        raise AudioDeviceError(
            "No audio devices found: no sound server (PulseAudio/PipeWire) or sound card is "
            "available. Start one or plug a device in, then run `voice-coach devices` again."
        )
    sections: tuple[tuple[Kind, str, str], ...] = (
        ("input", "Microphones", settings.input_device),
        ("output", "Speakers", settings.output_device),
    )
    for kind, title, spec in sections:
        print(f"{title}:")
        listed = [d for d in found if d.channels(kind) > 0]
        if not listed:
            print("  (none)")
        for device in listed:
            default = device.is_default_input if kind == "input" else device.is_default_output
            print(
                f"  {'*' if default else ' '} {device.index:>3}  {device.name}  "
                f"({device.host_api}, {device.default_rate} Hz, "
                f"{device.channels(kind)} ch)"
            )
        try:
            chosen = audio_devices.pick_device(found, spec, kind)
            setting = f"{kind}_device = {spec!r}" if spec else "the system default"
            print(f"  -> using {chosen.name!r} ({setting})")
        except AudioDeviceError as exc:
            print(f"  -> problem: {exc}")
    print("* = system default")
    return 0
