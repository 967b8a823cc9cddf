"""The test doubles are real enough to trust: a WAV microphone and a recording speaker."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from voice_coach.audio_io.convert import concatenate, from_float, silence
from voice_coach.audio_io.doubles import RecordingSpeaker, WavMicrophone
from voice_coach.messages import AudioChunk


def stereo_wav(path: Path, seconds: float = 0.5, rate: int = 22050) -> None:
    t = np.arange(round(seconds * rate)) / rate
    tone = (0.5 * np.sin(2 * np.pi * 440 * t) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(2)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes(np.stack([tone, tone], axis=1).tobytes())


def test_a_wav_microphone_delivers_16k_mono_chunks_with_padding(tmp_path: Path) -> None:
    path = tmp_path / "stereo.wav"
    stereo_wav(path)
    mic = WavMicrophone(path, lead_silence=0.2, trail_silence=0.3)
    with mic:
        chunks = list(mic.chunks())
    assert all((c.rate, c.channels) == (16000, 1) for c in chunks)
    assert all(c.frames == 480 for c in chunks[:-1])
    assert abs(concatenate(chunks).seconds - 1.0) < 0.002
    assert all(c.time > 0 for c in chunks), "chunks carry a capture time for the gate"


def test_realtime_mode_delivers_the_same_audio(tmp_path: Path) -> None:
    clip = from_float(np.linspace(-0.5, 0.5, 4000), 16000)
    fast = concatenate(list(WavMicrophone(clip).chunks()))
    paced = concatenate(list(WavMicrophone(clip, realtime=True).chunks()))
    assert fast.samples == paced.samples == clip.samples


def test_closing_the_microphone_ends_its_chunks() -> None:
    mic = WavMicrophone(silence(2.0, 16000))
    reading = mic.chunks()
    next(reading)
    mic.close()
    assert list(reading) == []


def test_the_recording_speaker_keeps_each_play_and_joins_rates() -> None:
    seen: list[AudioChunk] = []
    speaker = RecordingSpeaker(on_chunk=seen.append)
    speaker.play([silence(0.1, 22050), silence(0.2, 22050)])
    speaker.play(iter([silence(0.5, 22050), silence(0.5, 48000)]))
    assert len(speaker.plays) == 2 and len(seen) == 4
    assert abs(speaker.audio(0).seconds - 0.3) < 0.001
    assert speaker.audio(1).rate == 22050
    assert abs(speaker.audio(1).seconds - 1.0) < 0.002
