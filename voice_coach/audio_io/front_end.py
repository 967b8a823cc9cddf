"""The audio front end: noise suppression between the microphone and the recognizer.

16 kHz mono 16-bit PCM in, the same out, chunk by chunk, with state kept
across chunks so a stream is cleaned without clicks at chunk borders. Chosen
by measurement, not by reputation (benchmarks/results/, issue 10): on real
human speech (the Picovoice recordings) RNNoise helped PocketSphinx clean and
in kitchen noise, while WebRTC's and Speex's suppressors made it worse.

Candidates (`settings.front_end`):

* ``rnnoise`` — Xiph's RNNoise, a small recurrent network (48 kHz, 10 ms
  frames). Called through ctypes on the `librnnoise.so` that the `pyrnnoise`
  wheel bundles (it depends on libc only; the wheel is installed with
  `--no-deps`, because its Python wrapper would pull in PyAV and matplotlib),
  or a system `librnnoise`. Audio goes up to 48 kHz and back with `soxr`.
  A share of the raw signal (`RAW_MIX`), delayed to line up, is mixed back
  in: fully suppressed audio has "musical" artefacts a recognizer mistakes
  for phones. Cost here: CPU real-time factor ~0.06-0.07 (the wheel's build
  has no SIMD kernels); delay 20 ms.
* ``webrtc`` — WebRTC's noise suppression (`webrtc-noise-gain`), level 2.
* ``speex`` — Speex's preprocessor (`pyspeex-noise`), suppression and gain.
* ``none`` — the microphone as it is.

A missing library is not an error: the front end says so once in the log
and passes audio through, so the coach still listens.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import importlib.util
import logging
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from voice_coach.settings import FRONT_ENDS, Settings

log = logging.getLogger(__name__)

RATE = 16000
"""The rate the front end works at (the recognizers' rate)."""
DEFAULT = Settings().front_end
WEBRTC_LEVEL = 2
"""WebRTC suppression level (0-4)."""
RAW_MIX = 0.2
"""Share of the unprocessed signal in the output of a suppressor (see above)."""
_FloatArray = npt.NDArray[np.float32]


class FrontEnd(Protocol):
    """One audio stream's cleaner: `process` chunks, `flush` at the end of the stream."""

    name: str

    def process(self, pcm: bytes) -> bytes:
        """Clean the next chunk; may return fewer bytes than given (the rest comes later)."""
        ...

    def flush(self) -> bytes:
        """Whatever is still held back; the front end is then ready for a new stream."""
        ...


class PassThrough:
    """``none``: the audio as it is."""

    name = "none"

    def process(self, pcm: bytes) -> bytes:
        return pcm

    def flush(self) -> bytes:
        return b""


def _int16(samples: npt.NDArray[np.floating]) -> bytes:
    return bytes(np.clip(np.round(samples), -32768, 32767).astype("<i2").tobytes())


class _Framed:
    """Cuts a stream into 10 ms frames for a frame-based suppressor (WebRTC, Speex).

    These are used as their packages intend, without raw audio mixed back in
    (their own delay differs and is not reported by either library).
    """

    def __init__(self, name: str, frame: int, clean: Callable[[bytes], bytes]) -> None:
        self.name = name
        self._frame = frame
        self._clean = clean
        self._pending = b""

    def process(self, pcm: bytes) -> bytes:
        buffer = self._pending + pcm
        step = 2 * self._frame
        usable = len(buffer) - len(buffer) % step
        self._pending = buffer[usable:]
        return b"".join(self._clean(buffer[i : i + step]) for i in range(0, usable, step))

    def flush(self) -> bytes:
        held = len(self._pending)
        tail = self.process(bytes(2 * self._frame - held))[:held] if held else b""
        self._pending = b""
        return tail


def _rnnoise_library() -> ctypes.CDLL | None:
    """librnnoise: the copy the pyrnnoise wheel bundles (not imported), else the system's."""
    candidates: list[str] = []
    spec = importlib.util.find_spec("pyrnnoise")
    if spec is not None and spec.submodule_search_locations:
        for folder in spec.submodule_search_locations:
            candidates.append(str(Path(folder) / "librnnoise.so"))
    system = ctypes.util.find_library("rnnoise")
    if system:
        candidates.append(system)
    for path in candidates:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        lib.rnnoise_create.argtypes = [ctypes.c_void_p]
        lib.rnnoise_create.restype = ctypes.c_void_p
        lib.rnnoise_destroy.argtypes = [ctypes.c_void_p]
        lib.rnnoise_process_frame.argtypes = [
            ctypes.c_void_p,
            ctypes.POINTER(ctypes.c_float),
            ctypes.POINTER(ctypes.c_float),
        ]
        lib.rnnoise_process_frame.restype = ctypes.c_float
        lib.rnnoise_get_frame_size.restype = ctypes.c_int
        return lib
    return None


class RNNoise:
    """``rnnoise``: 16 kHz → 48 kHz (soxr) → RNNoise frames → 16 kHz, raw mixed back."""

    name = "rnnoise"
    _RATE = 48000
    DELAY = 320
    """Samples at 16 kHz by which the cleaned audio lags (RNNoise's overlap plus soxr's)."""

    def __init__(self, lib: ctypes.CDLL, mix: float = RAW_MIX) -> None:
        import soxr

        self._soxr = soxr
        self._lib = lib
        self._state = ctypes.c_void_p(lib.rnnoise_create(None))
        self._frame = int(lib.rnnoise_get_frame_size())
        self._mix = mix
        self._buffer = np.zeros(0, dtype=np.float32)
        self._up: Any = None
        self._down: Any = None
        self._raw: deque[npt.NDArray[np.float32]] = deque()
        self._raw_held = 0
        self._start()

    def _start(self) -> None:
        self._up = self._soxr.ResampleStream(RATE, self._RATE, 1, dtype="float32", quality="MQ")
        self._down = self._soxr.ResampleStream(self._RATE, RATE, 1, dtype="float32", quality="MQ")
        self._buffer = np.zeros(0, dtype=np.float32)
        # RNNoise's output lags its input by DELAY samples: the raw signal waits as long.
        self._raw = deque([np.zeros(self.DELAY, dtype=np.float32)])
        self._raw_held = self.DELAY

    def __del__(self) -> None:
        state = getattr(self, "_state", None)
        if state is not None and state.value:
            self._lib.rnnoise_destroy(state)
            state.value = None

    def _denoise(self, samples: _FloatArray, last: bool) -> _FloatArray:
        high = self._up.resample_chunk(samples, last=last)
        buffer = np.concatenate((self._buffer, high))
        if last and len(buffer) % self._frame:
            buffer = np.concatenate(
                (buffer, np.zeros(self._frame - len(buffer) % self._frame, np.float32))
            )
        usable = len(buffer) - len(buffer) % self._frame
        frames = np.ascontiguousarray(buffer[:usable], dtype=np.float32)
        self._buffer = buffer[usable:]
        pointer = ctypes.POINTER(ctypes.c_float)
        for start in range(0, usable, self._frame):
            view = frames[start : start + self._frame]
            address = view.ctypes.data_as(pointer)
            self._lib.rnnoise_process_frame(self._state, address, address)
        cleaned: _FloatArray = self._down.resample_chunk(frames, last=last)
        return cleaned

    def _mix_raw(self, raw: _FloatArray, cleaned: _FloatArray) -> _FloatArray:
        """Mix the raw samples that line up with `cleaned` (output lags input)."""
        self._raw.append(raw)
        self._raw_held += len(raw)
        if self._mix <= 0 or not len(cleaned):
            self._drop_raw(len(cleaned))
            return cleaned
        taken = self._take_raw(len(cleaned))
        mixed: _FloatArray = (1 - self._mix) * cleaned + self._mix * taken
        return mixed

    def _take_raw(self, count: int) -> _FloatArray:
        parts: list[_FloatArray] = []
        need = count
        while need and self._raw:
            head = self._raw[0]
            if len(head) <= need:
                parts.append(self._raw.popleft())
                need -= len(head)
            else:
                parts.append(head[:need])
                self._raw[0] = head[need:]
                need = 0
        self._raw_held -= count - need
        if need:
            parts.append(np.zeros(need, dtype=np.float32))
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)

    def _drop_raw(self, count: int) -> None:
        self._take_raw(count)

    def process(self, pcm: bytes) -> bytes:
        raw = np.frombuffer(pcm[: len(pcm) - len(pcm) % 2], dtype="<i2").astype(np.float32)
        if not len(raw):
            return b""
        return _int16(self._mix_raw(raw, self._denoise(raw, last=False)))

    def flush(self) -> bytes:
        held = self._raw_held - self.DELAY  # as many samples out as went in
        tail = self._mix_raw(np.zeros(0, np.float32), self._denoise(np.zeros(0, np.float32), True))
        out = _int16(tail[:held])
        self._start()
        return out


def _webrtc() -> FrontEnd | None:
    try:
        from webrtc_noise_gain import AudioProcessor
    except ImportError:
        return None
    processor = AudioProcessor(0, WEBRTC_LEVEL)
    return _Framed("webrtc", 160, lambda frame: bytes(processor.Process10ms(frame).audio))


def _speex() -> FrontEnd | None:
    try:
        from pyspeex_noise import AudioProcessor
    except ImportError:
        return None
    processor = AudioProcessor(4000, -30)
    return _Framed("speex", 160, lambda frame: bytes(processor.process_10ms(frame)))


_warned: set[str] = set()


def create_front_end(name: str = DEFAULT, mix: float | None = None) -> FrontEnd:
    """The named front end, or a pass-through (logged once) when its library is missing.

    `mix` is RNNoise's share of raw signal (default `RAW_MIX`).
    """
    wanted = name.lower()
    if wanted not in FRONT_ENDS:
        raise ValueError(f"unknown front end {name!r}; choose from {', '.join(FRONT_ENDS)}")
    share = RAW_MIX if mix is None else mix
    front: FrontEnd | None = None
    if wanted == "rnnoise":
        lib = _rnnoise_library()
        front = RNNoise(lib, share) if lib is not None else None
        hint = "install it with `pip install --no-deps pyrnnoise` (./bootstrap does)"
    elif wanted == "webrtc":
        front = _webrtc()
        hint = "install it with `pip install webrtc-noise-gain`"
    elif wanted == "speex":
        front = _speex()
        hint = "install it with `pip install pyspeex-noise`"
    else:
        return PassThrough()
    if front is None:
        if wanted not in _warned:
            _warned.add(wanted)
            log.warning("The %s noise suppressor is not installed; %s", wanted, hint)
        return PassThrough()
    return front
