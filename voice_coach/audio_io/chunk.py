"""Moved: `AudioChunk` now lives in `voice_coach.messages` (kept for branches importing here)."""

from voice_coach.messages import SAMPLE_WIDTH, AudioChunk

__all__ = ["SAMPLE_WIDTH", "AudioChunk"]
