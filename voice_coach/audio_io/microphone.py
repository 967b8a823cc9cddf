"""A real microphone through PortAudio, captured at the device's own format."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Iterator
from types import TracebackType
from typing import Any

import sounddevice as sd

from voice_coach.audio_io.convert import AudioConverter
from voice_coach.audio_io.devices import DeviceInfo, choose_format, describe_error, find_device
from voice_coach.audio_io.ports import RECOGNIZER_RATE
from voice_coach.errors import AudioDeviceError
from voice_coach.messages import AudioChunk

log = logging.getLogger(__name__)


class SoundDeviceMicrophone:
    """Capture from a device named in the settings, converted to 16 kHz mono.

    Uses an input-only stream: full-duplex streams give silence at rates other
    than the sound server's. The PortAudio callback only queues raw bytes; the
    conversion runs in the reading thread.
    """

    def __init__(
        self,
        device: str = "",
        chunk_seconds: float = 0.03,
        max_queue_seconds: float = 10.0,
    ) -> None:
        self.device_spec = device
        self.chunk_seconds = chunk_seconds
        self.max_queue_seconds = max_queue_seconds
        self.rate = RECOGNIZER_RATE
        self.device: DeviceInfo | None = None
        self.native_rate = 0
        self.native_channels = 0
        self.dropped_chunks = 0
        """Chunks thrown away because nobody read them for `max_queue_seconds`."""
        self._stream: Any = None
        self._queue: queue.Queue[AudioChunk] = queue.Queue()
        self._closed = threading.Event()

    def __enter__(self) -> SoundDeviceMicrophone:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def open(self) -> None:
        """Find the device, pick a format it accepts and start capturing."""
        device = find_device(self.device_spec, "input")
        rate, channels = choose_format(device, "input")
        blocksize = max(1, round(rate * self.chunk_seconds))
        max_chunks = max(1, round(self.max_queue_seconds / self.chunk_seconds))
        self._queue = queue.Queue(maxsize=max_chunks)
        self._closed.clear()
        # Before the stream starts: PortAudio may call `_callback` at once, from its thread.
        self.device, self.native_rate, self.native_channels = device, rate, channels
        try:
            stream = sd.RawInputStream(
                device=device.index,
                samplerate=rate,
                channels=channels,
                dtype="int16",
                blocksize=blocksize,
                callback=self._callback,
            )
            stream.start()
        except (sd.PortAudioError, ValueError) as exc:
            raise describe_error(device, "input", exc) from None
        self._stream = stream
        log.info("microphone %r open at %d Hz x%d", device.name, rate, channels)

    def _callback(self, indata: Any, frames: int, time_info: Any, status: Any) -> None:
        if status:
            log.debug("capture status: %s", status)
        start = time.monotonic() - frames / self.native_rate
        chunk = AudioChunk(bytes(indata), self.native_rate, self.native_channels, start)
        try:
            self._queue.put_nowait(chunk)
        except queue.Full:
            # Nobody is listening (e.g. the loop is busy): keep the newest audio.
            self.dropped_chunks += 1
            try:
                self._queue.get_nowait()
                self._queue.put_nowait(chunk)
            except (queue.Empty, queue.Full):
                pass

    def chunks(self) -> Iterator[AudioChunk]:
        """16 kHz mono chunks until `close()`; AudioDeviceError if the device goes away."""
        if self._stream is None or self.device is None:
            raise AudioDeviceError("The microphone is not open; use it in a `with` block.")
        converter = AudioConverter(self.rate, 1)
        while not self._closed.is_set():
            try:
                raw = self._queue.get(timeout=1.0)
            except queue.Empty:
                if self._closed.is_set():
                    break
                if not self._stream.active:
                    raise describe_error(
                        self.device, "input", RuntimeError("the stream stopped")
                    ) from None
                continue
            yield converter.convert(raw)

    def flush(self) -> None:
        """Throw away audio captured but not yet read."""
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return

    def close(self) -> None:
        self._closed.set()
        stream, self._stream = self._stream, None
        if stream is not None:
            try:
                stream.stop()
                stream.close()
            except sd.PortAudioError as exc:
                log.warning("closing the microphone failed: %s", exc)
