"""A real speaker through PortAudio, played at the device's own rate."""

from __future__ import annotations

import logging
from collections.abc import Iterable

import sounddevice as sd

from voice_coach.audio_io.convert import AudioConverter
from voice_coach.audio_io.devices import DeviceInfo, choose_format, describe_error, find_device
from voice_coach.messages import AudioChunk

log = logging.getLogger(__name__)


class SoundDeviceSpeaker:
    """Play chunks on the device named in the settings; a stream is opened per `play()`.

    Opening per utterance costs a few milliseconds and means a speaker that was
    unplugged between turns gives a clear error next time instead of a dead stream.
    """

    def __init__(self, device: str = "") -> None:
        self.device_spec = device
        self.device: DeviceInfo | None = None

    def play(self, chunks: Iterable[AudioChunk]) -> None:
        device = find_device(self.device_spec, "output")
        rate, channels = choose_format(device, "output")
        converter = AudioConverter(rate, channels)
        self.device = device
        try:
            stream = sd.RawOutputStream(
                device=device.index, samplerate=rate, channels=channels, dtype="int16"
            )
        except (sd.PortAudioError, ValueError) as exc:
            raise describe_error(device, "output", exc) from None
        try:
            stream.start()
            for chunk in chunks:
                converted = converter.convert(chunk)
                if converted.samples:
                    stream.write(converted.samples)
            # Stopping (not aborting) waits until the buffered audio has been heard.
            stream.stop()
        except sd.PortAudioError as exc:
            raise describe_error(device, "output", exc) from None
        finally:
            stream.close()
