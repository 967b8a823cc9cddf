"""Find microphones and speakers through PortAudio (sounddevice), by name or index.

Device indices change across reboots and when a USB headset is plugged in, so a
setting is matched by name first (case-insensitive substring); a number is
taken as an index. Every failure becomes an AudioDeviceError that says what is
wrong and how to list devices.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import sounddevice as sd

from voice_coach.errors import AudioDeviceError

log = logging.getLogger(__name__)

Kind = Literal["input", "output"]
LIST_HINT = "run `voice-coach devices` to list devices"
_NOUN = {"input": "microphone", "output": "speaker"}


@dataclass(frozen=True)
class DeviceInfo:
    """One PortAudio device, as `voice-coach devices` shows it."""

    index: int
    """PortAudio's index: valid until devices are re-scanned."""
    name: str
    host_api: str
    """ALSA, PulseAudio, JACK, ..."""
    max_input_channels: int
    max_output_channels: int
    default_rate: int
    """The rate the device prefers (Hertz); streams open at this rate."""
    is_default_input: bool = False
    is_default_output: bool = False

    def channels(self, kind: Kind) -> int:
        return self.max_input_channels if kind == "input" else self.max_output_channels


def rescan() -> None:
    """Make PortAudio enumerate devices again.

    PortAudio lists devices once, at `import sounddevice`; a sound server that
    starts (or a headset plugged in) later stays invisible until this runs.
    It closes every open stream, so call it only when no audio is playing or recording.
    """
    sd._terminate()
    sd._initialize()


def list_devices() -> list[DeviceInfo]:
    """Every device PortAudio sees now (empty when there is no sound server or card)."""
    try:
        raw: Any = sd.query_devices()
        apis: Any = sd.query_hostapis()
        default_in, default_out = sd.default.device
    except sd.PortAudioError as exc:
        raise AudioDeviceError(f"Cannot list audio devices ({exc}); {LIST_HINT}.") from None
    found = []
    for entry in raw:
        index = int(entry["index"])
        found.append(
            DeviceInfo(
                index=index,
                name=str(entry["name"]),
                host_api=str(apis[entry["hostapi"]]["name"]),
                max_input_channels=int(entry["max_input_channels"]),
                max_output_channels=int(entry["max_output_channels"]),
                default_rate=int(entry["default_samplerate"]),
                is_default_input=index == default_in,
                is_default_output=index == default_out,
            )
        )
    return found


def pick_device(devices: Sequence[DeviceInfo], spec: str, kind: Kind) -> DeviceInfo:
    """Choose the device a setting names: "" = default, a number = index, else a name part.

    Pure logic over a device list, so it is tested without a sound server.
    """
    noun = _NOUN[kind]
    usable = [d for d in devices if d.channels(kind) > 0]
    if not usable:
        raise AudioDeviceError(
            f"No {noun} found: no sound server (PulseAudio/PipeWire) or sound card is "
            f"available; start one or plug one in, then {LIST_HINT}."
        )
    spec = spec.strip()
    if not spec:
        for device in usable:
            if device.is_default_input if kind == "input" else device.is_default_output:
                return device
        return usable[0]
    if spec.isdigit():
        for device in usable:
            if device.index == int(spec):
                return device
        raise AudioDeviceError(f"There is no {noun} with index {spec}; {LIST_HINT}.")
    wanted = spec.casefold()
    exact = [d for d in usable if d.name.casefold() == wanted]
    partial = [d for d in usable if wanted in d.name.casefold()]
    if exact or partial:
        chosen = (exact or partial)[0]
        if not exact and len(partial) > 1:
            log.info("%d %ss match %r; using %r", len(partial), noun, spec, chosen.name)
        return chosen
    raise AudioDeviceError(f"No {noun} matches {spec!r}; {LIST_HINT}.")


def find_device(spec: str, kind: Kind) -> DeviceInfo:
    """The device a setting names, among the devices PortAudio sees now."""
    return pick_device(list_devices(), spec, kind)


def choose_format(
    device: DeviceInfo, kind: Kind, channel_options: Sequence[int] = (1, 2)
) -> tuple[int, int]:
    """A (rate, channels) the device accepts, preferring its own rate.

    Capturing at the device's own rate and converting in the app is what works
    on real hardware (and on PulseAudio's null sink, where other rates give
    silence in full-duplex mode).
    """
    rates = [device.default_rate] + [r for r in (48000, 44100, 16000) if r != device.default_rate]
    check = sd.check_input_settings if kind == "input" else sd.check_output_settings
    errors = []
    for rate in rates:
        for channels in channel_options:
            if channels > device.channels(kind):
                continue
            try:
                check(device=device.index, channels=channels, samplerate=rate, dtype="int16")
            except (sd.PortAudioError, ValueError) as exc:
                errors.append(f"{rate} Hz x{channels}: {exc}")
                continue
            return rate, channels
    log.debug("format checks for %r failed: %s", device.name, "; ".join(errors))
    reason = errors[0].split(": ", 1)[-1] if errors else "no usable channels"
    raise AudioDeviceError(
        f"The {_NOUN[kind]} {device.name!r} cannot be opened at "
        f"{', '.join(str(r) for r in rates)} Hz in 16-bit ({reason}): it may be unplugged, "
        f"busy, or the sound server stopped; choose another device or {LIST_HINT}."
    )


def describe_error(device: DeviceInfo, kind: Kind, exc: Exception) -> AudioDeviceError:
    """Turn a PortAudio failure while opening or running a stream into one clear sentence."""
    return AudioDeviceError(
        f"Cannot use the {_NOUN[kind]} {device.name!r} ({exc}); check that it is connected "
        f"and not in use by another program, or {LIST_HINT}."
    )
