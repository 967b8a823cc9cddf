"""An uncached reply's first clause is rendered and heard before the rest (real Piper voice)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from voice_coach.audio_io.doubles import RecordingSpeaker
from voice_coach.messages import AudioChunk, Speak
from voice_coach.speech.output import SpeechOutput
from voice_coach.speech.piper_voice import PiperSynthesizer, voice_threads
from voice_coach.speech.sentences import split_clauses

RATING_QUESTION = "On a scale from zero to ten, how strong is the urge right now?"
LONG_REPLY = (
    "You said you'd sleep better without it, and that your mornings would be calmer, "
    "so let's keep that in mind tonight."
)


class TimedSynthesizer:
    """The real voice; notes when each chunk left it."""

    def __init__(self, voice: PiperSynthesizer) -> None:
        self.voice = voice
        self.produced: list[float] = []

    def synthesize(self, text: str, pace: float = 1.0) -> Iterator[AudioChunk]:
        for chunk in self.voice.synthesize(text, pace):
            self.produced.append(time.monotonic())
            yield chunk


def test_the_first_clause_is_played_before_the_rest_is_synthesised(
    synthesizer: PiperSynthesizer,
) -> None:
    played: list[float] = []
    speaker = RecordingSpeaker(on_chunk=lambda chunk: played.append(time.monotonic()))
    timed = TimedSynthesizer(synthesizer)
    SpeechOutput(timed, speaker).say(Speak(LONG_REPLY, cacheable=False))
    assert len(timed.produced) >= 3  # clause, pause, clause(s): one sentence in pieces
    assert played[0] < timed.produced[-1]
    first = speaker.plays[0][0]
    whole = sum(c.seconds for c in speaker.plays[0])
    assert first.seconds < 0.6 * whole  # the first piece is a clause, not the sentence


def test_the_first_clause_alone_is_what_is_heard_first(synthesizer: PiperSynthesizer) -> None:
    chunks = list(synthesizer.synthesize(RATING_QUESTION, steady=True))
    clause = list(synthesizer.synthesize("On a scale from zero to ten,", steady=True))
    assert chunks[0].samples == clause[0].samples
    # the question still ends the reply, after a short pause
    tail = list(synthesizer.synthesize("how strong is the urge right now?", steady=True))
    assert chunks[-1].samples == tail[-1].samples


@pytest.mark.parametrize(
    ("sentence", "pieces"),
    [
        (RATING_QUESTION, ["On a scale from zero to ten,", "how strong is the urge right now?"]),
        ("Yes, okay, let's go.", ["Yes, okay, let's go."]),
        (
            "Sam, you said you would sleep better, and that matters.",
            ["Sam, you said you would sleep better, and that matters."],
        ),
        (
            "Breathe in slowly through your nose; hold it for a moment, then let it go.",
            ["Breathe in slowly through your nose;", "hold it for a moment,", "then let it go."],
        ),
    ],
)
def test_only_long_sentences_are_cut_never_into_scraps(sentence: str, pieces: list[str]) -> None:
    assert split_clauses(sentence) == pieces


def test_synthesis_uses_at_most_half_the_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VOICE_COACH_TTS_THREADS", raising=False)
    assert 1 <= voice_threads() <= 2
    monkeypatch.setenv("VOICE_COACH_TTS_THREADS", "3")
    assert voice_threads() == 3
