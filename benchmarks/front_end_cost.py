"""What the audio front end costs: CPU real-time factor of each suppressor, and where it goes.

Streams the first Picovoice recordings (real speech, 16 kHz) through
`create_front_end` in 0.2 s chunks, as the microphone delivers them, and
divides CPU time (`time.process_time`, this process only) by audio time. For
RNNoise it also times the library alone (48 kHz frames straight into
`rnnoise_process_frame`) and the two soxr resamplers alone, so it is clear
which part a faster front end would have to change.
Run: `python -m benchmarks.front_end_cost [--files N] [--repeat R]`.
"""

from __future__ import annotations

import argparse
import ctypes
import os
import statistics
import time
from collections.abc import Callable, Sequence

import numpy as np

from benchmarks.picovoice.data import load_utterances, read_audio, to_pcm16

CHUNK = 3200
"""Samples per chunk: 0.2 s at 16 kHz, as the microphone hands them over."""


def _rtf(run: Callable[[], None], seconds: float, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return statistics.median(times) / seconds


def measure(files: int = 5, repeat: int = 3) -> dict[str, float]:
    from voice_coach.audio_io.front_end import RNNoise, _rnnoise_library, create_front_end

    pcm = b"".join(to_pcm16(read_audio(u.path)) for u in load_utterances(limit=files))
    seconds = len(pcm) / 2 / 16000
    out: dict[str, float] = {"audio_seconds": round(seconds, 1)}
    for spec, mix in (("rnnoise", 0.0), ("rnnoise", 0.2), ("webrtc", None), ("speex", None)):
        front = create_front_end(spec, mix)
        if front.name == "none":
            continue

        def stream(front: object = front) -> None:
            for i in range(0, len(pcm), 2 * CHUNK):
                front.process(pcm[i : i + 2 * CHUNK])  # type: ignore[attr-defined]
            front.flush()  # type: ignore[attr-defined]

        label = spec if mix is None else f"{spec} (raw mix {mix:g})"
        out[label] = round(_rtf(stream, seconds, repeat), 4)
    lib = _rnnoise_library()
    if lib is not None:
        import soxr

        raw = np.frombuffer(pcm, dtype="<i2").astype(np.float32)
        high = soxr.resample(raw, 16000, RNNoise._RATE).astype(np.float32)
        state = ctypes.c_void_p(lib.rnnoise_create(None))
        pointer = ctypes.POINTER(ctypes.c_float)
        frame = int(lib.rnnoise_get_frame_size())

        def library() -> None:
            work = high.copy()
            for start in range(0, len(work) - frame + 1, frame):
                address = work[start : start + frame].ctypes.data_as(pointer)
                lib.rnnoise_process_frame(state, address, address)

        def resamplers() -> None:
            up = soxr.resample(raw, 16000, 48000, quality="MQ")
            soxr.resample(up, 48000, 16000, quality="MQ")

        out["rnnoise library alone"] = round(_rtf(library, seconds, repeat), 4)
        out["soxr up + down alone"] = round(_rtf(resamplers, seconds, repeat), 5)
        lib.rnnoise_destroy(state)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--files", type=int, default=5, help="Picovoice recordings to stream")
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    args = parser.parse_args(argv)
    before = os.getloadavg()
    figures = measure(args.files, args.repeat)
    after = os.getloadavg()
    for key, value in figures.items():
        print(f"{key}: {value}")
    print(f"load average {before[0]:.2f} before, {after[0]:.2f} after")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
