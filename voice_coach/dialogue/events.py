"""Moved: the messages live in `voice_coach.messages` (kept for branches importing here)."""

from voice_coach.messages import (
    Event,
    Listen,
    ListenFor,
    Reply,
    Silence,
    Speak,
    Tick,
    Transcript,
    Unclear,
    Utterance,
    Wait,
)

__all__ = [
    "Event", "Listen", "ListenFor", "Reply", "Silence", "Speak", "Tick", "Transcript",
    "Unclear",
    "Utterance", "Wait",
]
