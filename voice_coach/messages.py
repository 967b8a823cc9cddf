"""The messages passed between pipeline stages: audio chunk, transcript, events, replies.

Every stage imports its messages from here and nothing above it: audio in
(`AudioChunk`) → recognition (`Transcript`) → the dialogue engine (`Utterance`,
`Silence`, `Tick` in; `Reply` of `Speak`s and a `Listen` or `Wait` out) → speech.
The engine never touches a terminal, a microphone or a speaker: a driver turns
whatever happened (a line typed, a transcript, a timeout) into one of the input
events and carries out the `Reply` it gets back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

SAMPLE_WIDTH = 2
"""Bytes per sample: every chunk holds signed 16-bit little-endian PCM."""


@dataclass(frozen=True)
class AudioChunk:
    """A piece of 16-bit PCM audio (interleaved when there is more than one channel)."""

    samples: bytes
    """Signed 16-bit little-endian samples."""
    rate: int
    """Hertz."""
    channels: int = 1
    """Interleaved channels in `samples`."""
    time: float = 0.0
    """When the first sample was captured (`time.monotonic()`); 0.0 when unknown.

    The half-duplex gate uses it to drop audio recorded while the coach spoke,
    even when that audio is read from the queue later.
    """

    @property
    def frames(self) -> int:
        """Samples per channel."""
        return len(self.samples) // (SAMPLE_WIDTH * max(1, self.channels))

    @property
    def seconds(self) -> float:
        """Duration."""
        return self.frames / self.rate if self.rate else 0.0


@dataclass(frozen=True)
class Utterance:
    """The person said (or typed) something."""

    text: str
    """What was recognised, as plain text."""


@dataclass(frozen=True)
class Silence:
    """The person said nothing before the listening timeout ran out."""


@dataclass(frozen=True)
class Tick:
    """Time passed: sent when a `Wait` is over (the engine checks its clock)."""


@dataclass(frozen=True)
class Unclear:
    """Speech was heard but nothing usable came of it (the recognizer rejected it).

    Not a silence: the engine says it did not catch that and listens again.
    """

    dictated: str = ""
    """What open dictation heard in the same audio ("" if not tried): a crisis there
    is weak evidence, met with "It sounded like you might not be safe. Are you okay?"."""


Event = Utterance | Silence | Tick | Unclear


class ListenFor(StrEnum):
    """What kind of answer the coach expects; audio mode picks a grammar from it."""

    COMMAND = "command"
    """Top level: any request the coach understands."""
    NUMBER = "number"
    """A rating from 0 to 10, plus control words."""
    YES_NO = "yes_no"
    """Yes or no, plus control words."""
    CHOICE = "choice"
    """One of a few named options (see `Listen.phrases`), plus control words."""
    FREE = "free"
    """Free speech (dictation): a trigger, a feeling, a plan."""


@dataclass(frozen=True)
class Speak:
    """One sentence or short paragraph to say."""

    text: str
    pace: float = 1.0
    """1.0 is normal speed; larger is slower (Piper's length scale)."""
    cacheable: bool = True
    """False when the text contains the person's own words (not worth caching)."""
    display: str = ""
    """What a screen shows instead of `text` ("call or text 988" for "nine eight eight");
    empty when it is the same."""

    @property
    def shown(self) -> str:
        """The text for a screen: `display` when there is one, else what is said."""
        return self.display or self.text


@dataclass(frozen=True)
class Listen:
    """Listen for an answer, then send `Utterance`, or `Silence` after the timeout."""

    kind: ListenFor
    timeout: float
    """Seconds of silence before `Silence` is due."""
    phrases: tuple[str, ...] = ()
    """For CHOICE: the phrases that name each option (feeds the grammar)."""
    idle: bool = False
    """True at the top level, between exercises: a wake phrase is needed here."""
    requests: bool = False
    """Also any request the top level understands: an offer ("shall we breathe?") is
    answered with yes or no, but "I'm having an urge" must still be heard."""


@dataclass(frozen=True)
class Wait:
    """A timed pause inside an exercise: send `Tick` after `seconds`.

    The driver keeps listening meanwhile: "stop" or a crisis must still be heard.
    """

    seconds: float


@dataclass(frozen=True)
class Reply:
    """Everything the coach says in one turn, and what to do next."""

    speech: tuple[Speak, ...]
    next: Listen | Wait
    ended: bool = False
    """True after goodbye: text mode may exit, audio mode goes back to idle."""
    state: str = "idle"
    """A short name for the dialogue state (the exercise running), for logs and tests."""
    intent: str | None = None
    """The intent understood from the last utterance, if any (for logs and tests)."""

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.speech)

    @property
    def shown(self) -> str:
        """Everything as a screen shows it (numbers as digits)."""
        return " ".join(s.shown for s in self.speech)


@dataclass(frozen=True)
class Transcript:
    """A recognition result handed from the recognizer to the understanding layer."""

    text: str
    final: bool = True
    confidence: float = 1.0
    """The engine's own confidence in [0, 1] (1.0 when it gives none)."""
    engine: str = ""
    alternatives: tuple[str, ...] = field(default_factory=tuple)


Arc = tuple[int, int, float, "str | None"]
"""(from state, to state, probability, word); word None is an empty (epsilon) arc."""


@dataclass(frozen=True)
class WordGraph:
    """The sentences a dialogue state accepts, as a graph of words (understanding → recognition).

    Compiled from the intent templates without listing their sentences, so a
    recognizer can decode exactly what the templates allow however many
    sentences they multiply into.
    """

    start: int
    final: int
    """The one final state: a sentence is a path from `start` to here."""
    arcs: tuple[Arc, ...]
    """Probabilities out of each state sum to 1."""
    exact: bool = True
    """False for the top level's requests, which people say in their own words: an engine
    should decode them loosely (PocketSphinx: an n-gram model counted off this graph),
    not as a grammar that can only output its sentences."""

    @property
    def words(self) -> frozenset[str]:
        """Every word on an arc."""
        return frozenset(w for _a, _b, _p, w in self.arcs if w)
