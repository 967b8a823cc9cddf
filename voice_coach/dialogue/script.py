"""Moved: the script language now lives in `voice_coach.exercises.script` (kept for branches)."""

from voice_coach.exercises.script import (
    Answer,
    Ask,
    Choice,
    Exercise,
    ExerciseContext,
    Pause,
    Say,
    Script,
    Step,
    number_words,
    plural,
)

__all__ = [
    "Answer", "Ask", "Choice", "Exercise", "ExerciseContext", "Pause", "Say", "Script", "Step",
    "number_words", "plural",
]
