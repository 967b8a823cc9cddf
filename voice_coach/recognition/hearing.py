"""The recognizer and its per-state grammars as one unit, and second looks at recorded speech.

The voice loop switches grammars at every turn (barge-in polls often, so only
when the state's grammar really changes) and sometimes decodes an utterance it
already heard again against another grammar: open dictation, to see what
speech outside the state's sentences was ("is that a crisis?"), or the control
words, for a one-word "stop" said during a free answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from voice_coach import names
from voice_coach.audio_io.listening import feed
from voice_coach.messages import AudioChunk, Listen, ListenFor, Transcript
from voice_coach.recognition import Recognizer
from voice_coach.recognition.grammar import Grammar, Grammars, listen_with

CONTROL_WORDS = Listen(ListenFor.CHOICE, 0.0)
"""Only control words and crisis phrases (a timed pause, barge-in, the one-word check)."""
DICTATION = Listen(ListenFor.FREE, 0.0)
ONE_WORD_COMMANDS = frozenset(names.CONTROLS)
ONE_WORD_CONFIDENCE = 0.8
"""A one-word check below this confidence keeps the dictated text."""


def _key(listen: Listen) -> tuple[ListenFor, tuple[str, ...], bool]:
    return (listen.kind, listen.phrases, listen.requests)


@dataclass
class Hearing:
    """One recognizer, switched to the grammar each `Listen` asks for."""

    recognizer: Recognizer
    grammars: Grammars
    _grammar: Grammar | None = None
    _listen: Listen | None = field(default=None)

    @property
    def ready(self) -> bool:
        """Has a grammar been built yet? (The first, the largest, is built during the greeting.)"""
        return self._grammar is not None

    def use(self, listen: Listen) -> Grammar:
        """Switch the recognizer only when the grammar changes; returns the grammar in use."""
        if self._grammar is None or self._listen is None or _key(self._listen) != _key(listen):
            self._grammar = listen_with(self.recognizer, self.grammars, listen)
            self._listen = listen
        return self._grammar

    def decode_again(self, audio: AudioChunk, listen: Listen) -> Transcript:
        """Decode recorded audio with another grammar, then switch back to the current one."""
        current = self._listen
        self.use(listen)
        try:
            self.recognizer.reset()
            feed(audio, self.recognizer)
            return self.recognizer.finish()
        finally:
            if current is not None:
                self.use(current)

    def dictated(self, audio: AudioChunk | None) -> str:
        """What open dictation hears in `audio` ("" when there is none)."""
        return "" if audio is None else self.decode_again(audio, DICTATION).text.strip()

    def short_command(self, audio: AudioChunk) -> Transcript | None:
        """A one-word "stop" or "skip" in a short free answer, or None.

        Open dictation hears single words badly ("stop" came back as "about
        that"), so a short utterance is also decoded against the control words;
        only a confident single control word wins over the dictated text.
        """
        check = self.decode_again(audio, CONTROL_WORDS)
        words = check.text.split()
        if (
            words
            and words[0] in ONE_WORD_COMMANDS
            and len(words) <= 2
            and check.confidence >= ONE_WORD_CONFIDENCE
        ):
            return check
        return None
