"""Speech recognition: 16 kHz mono int16 audio chunks in, partial and final transcripts out.

Two engines sit behind one small interface; only their adapter modules
(`pocketsphinx_engine`, `vosk_engine`) import the engine libraries, so the rest
of Voice Coach (and its tests) never depends on which one is installed.

Modes, switched by the dialogue state (see `grammar.py`):
- "command": constrained to the given sentences, with out-of-scope speech
  rejected (see `rejection.py`);
- "dictation": open vocabulary, for free answers.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Literal, Protocol

from voice_coach.messages import Transcript, WordGraph

Mode = Literal["command", "dictation"]
MODES: tuple[Mode, ...] = ("command", "dictation")


class Recognizer(Protocol):
    """One engine, one utterance at a time: `accept` chunks, then `finish`."""

    name: str
    """"vosk" or "pocketsphinx": reported in every `Transcript.engine`."""

    def set_mode(
        self,
        mode: Mode,
        phrases: Sequence[str] = (),
        never_reject: Collection[str] = (),
        graph: WordGraph | None = None,
    ) -> None:
        """Switch grammar before the next utterance (built grammars are cached).

        `phrases` are the sentences allowed in command mode; a command-mode
        result in `never_reject` (the crisis sentences) is kept even when the
        rejection check doubts it: a false alarm costs less than a missed crisis.
        `graph` is the same grammar compiled from the templates, for engines that
        decode a word graph (PocketSphinx); the others use `phrases`.
        """
        ...

    def accept(self, chunk: bytes) -> Transcript | None:
        """Feed audio; returns a partial transcript (final=False) when it changed."""
        ...

    def finish(self) -> Transcript:
        """End the utterance and return the final transcript ("" if nothing usable)."""
        ...

    def reset(self) -> None:
        """Drop the current utterance without a result."""
        ...


__all__ = ["MODES", "Mode", "Recognizer", "Transcript"]
