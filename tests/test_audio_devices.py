"""Choosing devices from settings: by name part or index, with clear errors (no server needed)."""

from __future__ import annotations

import pytest

from voice_coach.audio_io.devices import DeviceInfo, pick_device
from voice_coach.errors import AudioDeviceError

DEVICES = [
    DeviceInfo(0, "HDA Intel PCH: ALC257 Analog (hw:0,0)", "ALSA", 2, 2, 48000),
    DeviceInfo(1, "USB Audio Device: - (hw:1,0)", "ALSA", 1, 0, 44100),
    DeviceInfo(2, "HDMI 0 (hw:0,3)", "ALSA", 0, 8, 48000),
    DeviceInfo(3, "pulse", "ALSA", 32, 32, 44100),
    DeviceInfo(4, "default", "ALSA", 32, 32, 44100, True, True),
]


def test_empty_setting_means_the_system_default() -> None:
    assert pick_device(DEVICES, "", "input").name == "default"
    assert pick_device(DEVICES, "  ", "output").name == "default"


def test_a_name_part_matches_case_insensitively() -> None:
    assert pick_device(DEVICES, "usb", "input").index == 1
    assert pick_device(DEVICES, "hdmi", "output").index == 2


def test_an_exact_name_wins_over_a_longer_one_containing_it() -> None:
    devices = [DeviceInfo(0, "pulse monitor", "ALSA", 2, 0, 48000), *DEVICES]
    assert pick_device(devices, "PULSE", "input").index == 3


def test_a_number_is_an_index() -> None:
    assert pick_device(DEVICES, "3", "input").name == "pulse"


def test_a_speaker_only_device_is_never_used_as_a_microphone() -> None:
    with pytest.raises(AudioDeviceError, match="No microphone matches 'hdmi'"):
        pick_device(DEVICES, "hdmi", "input")
    with pytest.raises(AudioDeviceError, match="no microphone with index 2"):
        pick_device(DEVICES, "2", "input")


def test_errors_say_how_to_list_devices() -> None:
    with pytest.raises(AudioDeviceError) as caught:
        pick_device(DEVICES, "bluetooth headset", "output")
    assert "run `voice-coach devices` to list devices" in str(caught.value)


def test_no_devices_at_all_names_the_likely_cause() -> None:
    with pytest.raises(AudioDeviceError) as caught:
        pick_device([], "", "input")
    message = str(caught.value)
    assert "No microphone found" in message and "sound server" in message
    assert "voice-coach devices" in message


def test_without_a_marked_default_the_first_usable_device_is_used() -> None:
    devices = [DeviceInfo(5, "only mic", "ALSA", 1, 0, 16000)]
    assert pick_device(devices, "", "input").name == "only mic"
