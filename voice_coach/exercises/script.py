"""The small language exercises are written in.

An exercise is a generator: it yields steps (say this, pause, ask that) and
receives each answer back from `yield`. The engine wraps every step with the
things that must work everywhere — crisis, stop, repeat, slower, help,
silence — so exercise code reads like the script a coach would follow.

    def breathing(ctx: ExerciseContext) -> Script:
        yield Say("Let's breathe together.")
        rounds = yield Ask.number("rounds", "How many rounds would you like?")
        ...
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from voice_coach.messages import ListenFor

if TYPE_CHECKING:
    from voice_coach.clock import Clock
    from voice_coach.journal.port import JournalPort
    from voice_coach.settings import Settings


@dataclass(frozen=True)
class Say:
    """Say this and carry straight on."""

    text: str
    personal: bool = False
    """True when the text repeats the person's own words (never cached as audio)."""


@dataclass(frozen=True)
class Pause:
    """Stay quiet for a while (breathing counts, urge surfing). Scaled by the pace."""

    seconds: float


@dataclass(frozen=True)
class Choice:
    """One option of a CHOICE question."""

    value: str
    """What is stored and sent back to the exercise."""
    phrases: tuple[str, ...]
    """Ways a person may name it ("surfing", "urge surfing", "the first one")."""


@dataclass(frozen=True)
class Ask:
    """Ask a question and wait for the answer; the engine stores it at once."""

    key: str
    """Name of the answer in the journal (unique within the exercise)."""
    prompt: str
    kind: ListenFor = ListenFor.FREE
    choices: tuple[Choice, ...] = ()
    help: str = ""
    """Said when the person asks for help at this step."""
    reprompt: str = ""
    """Said after a silence; defaults to a gentle version of the prompt."""
    optional: bool = False
    """The question may be skipped without comment (every answer may be None after "skip")."""
    personal: bool = False
    """The prompt repeats the person's own words (never cached as audio)."""
    literal: bool = False
    """FREE only: any words are the answer, even "stop it" or "enough" — for steps like
    refusing an urge out loud. Only a crisis interrupts."""
    scale: tuple[str, str] = ("", "")
    """NUMBER only: what zero and ten mean for this question ("the worst you can feel",
    "the best"), so a retry explains the right scale, not always the urge scale."""
    none_is_zero: bool = False
    """NUMBER only: "none" or "nothing" means 0 (an urge rating), not "no answer" (mood)."""
    own_ideas: bool = True
    """CHOICE only: an answer outside the menu is taken as the person's own idea (sent back
    as the words said). False where only the listed options make sense."""
    hours_key: str = ""
    """NUMBER only: when the answer is a number of hours ("like four hours"), it is kept
    as hours under this key and the rating is asked for once more."""

    @classmethod
    def number(cls, key: str, prompt: str, **kw: Any) -> Ask:
        """A 0–10 rating; the answer sent back is an `int`."""
        return cls(key, prompt, ListenFor.NUMBER, **kw)

    @classmethod
    def yes_no(cls, key: str, prompt: str, **kw: Any) -> Ask:
        """A yes/no question; the answer sent back is a `bool`."""
        return cls(key, prompt, ListenFor.YES_NO, **kw)

    @classmethod
    def choice(cls, key: str, prompt: str, choices: tuple[Choice, ...], **kw: Any) -> Ask:
        """Pick one option; the answer sent back is the chosen `Choice.value`."""
        return cls(key, prompt, ListenFor.CHOICE, choices, **kw)

    @classmethod
    def free(cls, key: str, prompt: str, **kw: Any) -> Ask:
        """Free speech; the answer sent back is the text as said."""
        return cls(key, prompt, ListenFor.FREE, **kw)


Step = Say | Pause | Ask
Answer = int | bool | str | None
Script = Generator[Step, Answer, None]


@dataclass
class ExerciseContext:
    """What an exercise may use: its journal session, the settings and the time."""

    journal: JournalPort
    settings: Settings
    clock: Clock
    session_id: int
    name: str
    """The person's preferred name ("" when unknown)."""
    answers: dict[str, Answer] = field(default_factory=dict)
    """Answers given so far in this run, by `Ask.key` (filled in by the engine)."""

    def now(self) -> datetime:
        return self.clock.now()


@dataclass(frozen=True)
class Exercise:
    """An exercise the coach can run, started by the intent of the same name."""

    name: str
    """The intent that starts it (e.g. `urge_help`); also the journal's exercise name."""
    title: str
    """Spoken in help and summaries ("coping with an urge")."""
    run: Callable[[ExerciseContext], Script]
    help: str = ""
    """What the exercise does, said when the person asks for help inside it."""
