"""Shared fixtures: every test gets its own Voice Coach home, never the real one.

Also the one exercise driver (`ExerciseDriver`, fixture `driver`): it runs an
exercise script through the real `Coach` and the turn protocol, answering each
question by its key.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

import pytest

from voice_coach.clock import ManualClock
from voice_coach.dialogue.engine import Coach
from voice_coach.dialogue.top_level import Offer
from voice_coach.dialogue.turn import TEXT_FAST, NothingYet, converse
from voice_coach.exercises.script import (
    Answer,
    Ask,
    Exercise,
    ExerciseContext,
    Pause,
    Say,
    Script,
    Step,
)
from voice_coach.journal.store import Journal
from voice_coach.messages import Event, Listen, ListenFor, Reply, Tick, Utterance, Wait
from voice_coach.paths import ensure_private_dir
from voice_coach.resources import intents_dir
from voice_coach.settings import Settings
from voice_coach.understanding import THRESHOLD, Understanding
from voice_coach.understanding.crisis import CrisisDetector
from voice_coach.understanding.crisis.training import load_second_opinion
from voice_coach.understanding.index_cache import FOLDER, load_matcher, load_sentences

REPO = Path(__file__).resolve().parent.parent

# PulseAudio server and Piper voice fixtures for the audio tests.
pytest_plugins = ("audio_fixtures", "wyoming_fixtures")


@pytest.fixture(autouse=True)
def coach_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A private VOICE_COACH_HOME for each test (config, journal and cache go there)."""
    home = tmp_path / "coach-home"
    home.mkdir()
    monkeypatch.setenv("VOICE_COACH_HOME", str(home))
    yield home


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()


def run_cli(*args: str, input: str | None = None, home: Path | None = None,
            timeout: float = 120) -> CliResult:
    """Run `python -m voice_coach ARGS` as a person would, in a fresh process."""
    env = dict(os.environ)
    if home is not None:
        env["VOICE_COACH_HOME"] = str(home)
    env["PYTHONPATH"] = str(REPO) + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run(
        [sys.executable, "-m", "voice_coach", *args],
        input=input, capture_output=True, text=True, env=env, timeout=timeout, cwd=REPO,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


class Cli(Protocol):
    """The `cli` fixture: `cli("chat", "--fast", input="...")` in the test's private home."""

    def __call__(self, *args: str, input: str | None = None, timeout: float = 120) -> CliResult:
        ...


@pytest.fixture(scope="session")
def warm_matcher_index(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The matcher's on-disk index (`understanding.index_cache`) and the crisis second
    opinion (`understanding.crisis.training`), built once per session."""
    cache = tmp_path_factory.mktemp("warm-cache")
    load_matcher(intents_dir("en"), THRESHOLD, cache)
    load_sentences(intents_dir("en"), THRESHOLD, cache)  # the recognizer's list, beside it
    load_second_opinion(intents_dir("en"), CrisisDetector.load("en"), cache)
    return sorted((cache / FOLDER).iterdir())


def seed_matcher_index(home: Path, request: pytest.FixtureRequest) -> None:
    """Give `home` the session's matcher index, so a coach started there reads it instead of
    building it again (about a second of CPU per `python -m voice_coach`, more when the
    machine is busy). The index depends only on the shipped templates, so the coach's
    answers are the same; tests marked `cold_cache` (they check what the coach writes into
    an empty home) get none."""
    if request.node.get_closest_marker("cold_cache") is not None:
        return
    files: list[Path] = request.getfixturevalue("warm_matcher_index")
    folder = ensure_private_dir(home / "cache" / FOLDER)
    for index in files:
        target = folder / index.name
        if target.exists():
            continue
        try:
            os.link(index, target)  # the coach replaces the file, never writes into it
        except OSError:
            shutil.copyfile(index, target)
            target.chmod(0o600)


@pytest.fixture
def cli(coach_home: Path, request: pytest.FixtureRequest) -> Cli:
    """Call the CLI in the test's private home: `cli("chat", "--fast", input="...")`."""
    seed_matcher_index(coach_home, request)

    def call(*args: str, input: str | None = None, timeout: float = 120) -> CliResult:
        return run_cli(*args, input=input, home=coach_home, timeout=timeout)

    return call


PINNED_SETTINGS = 'evening_reflection_time = "off"\n'
"""Settings every coach started by a test gets unless the test is about the clock: the
evening offer would otherwise open the conversation after 21:00 and the suite would
depend on the hour it runs."""


@pytest.fixture
def named_home(coach_home: Path, request: pytest.FixtureRequest) -> Path:
    """A home whose settings already name the person, so chat skips the name question.

    The evening offer is off (`PINNED_SETTINGS`): tests behave the same at any hour.
    """
    (coach_home / "config.toml").write_text('name = "Sam"\n' + PINNED_SETTINGS, encoding="utf-8")
    seed_matcher_index(coach_home, request)
    return coach_home


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    """A real SQLite journal in the test's own folder."""
    with Journal.open(tmp_path / "journal.sqlite3") as opened:
        yield opened


# ----- the exercise driver ----------------------------------------------------------------

START = datetime(2024, 5, 6, 20, 0).astimezone()
"""When the driver's clock starts (its coach makes no unprompted offers, whatever the hour)."""

SKIP = "skip"
"""What the driver says for a question whose answer is None (or, by default, missing)."""


@pytest.fixture(scope="session")
def understanding() -> Understanding:
    """The shipped intents, loaded once: loading them is most of a coach's start-up."""
    return Understanding.load()


@dataclass
class Run:
    """One exercise as the driver ran it: the script's own steps, and how it ended."""

    ctx: ExerciseContext
    """The context the engine gave the script (`ctx.answers` as the engine filled it)."""
    steps: list[Step] = field(default_factory=list)
    heard: list[str] = field(default_factory=list)
    """Every line the coach spoke, the engine's own ("Skipping.") included."""
    status: str = ""
    """How the journal session ended: completed, stopped..."""

    @property
    def asked(self) -> list[str]:
        """The questions asked, by key, in order."""
        return [s.key for s in self.steps if isinstance(s, Ask)]

    @property
    def prompts(self) -> list[str]:
        return [s.prompt for s in self.steps if isinstance(s, Ask)]

    @property
    def said(self) -> list[Say]:
        return [s for s in self.steps if isinstance(s, Say)]

    @property
    def lines(self) -> list[str]:
        """The text of every `Say`, in order."""
        return [s.text for s in self.said]

    @property
    def personal(self) -> list[str]:
        """Lines that read the person's own words back."""
        return [s.text for s in self.said if s.personal]

    @property
    def text(self) -> str:
        """Everything the script said (not its questions), as one string."""
        return " ".join(self.lines)

    @property
    def spoken(self) -> str:
        """Everything the script said and asked, as one string."""
        return " ".join(s.text if isinstance(s, Say) else s.prompt
                        for s in self.steps if isinstance(s, Say | Ask))

    @property
    def pause_seconds(self) -> float:
        return sum(s.seconds for s in self.steps if isinstance(s, Pause))

    def ask(self, key: str) -> Ask:
        return next(s for s in self.steps if isinstance(s, Ask) and s.key == key)

    def said_after(self, key: str) -> str:
        """Everything said after the question `key` was answered."""
        index = next(i for i, s in enumerate(self.steps) if isinstance(s, Ask) and s.key == key)
        return " ".join(s.text for s in self.steps[index + 1 :] if isinstance(s, Say))


def spoken_answer(ask: Ask, value: Answer) -> str:
    """What a person says to give `value`: "skip", "yes"/"no", the number, or how a choice
    is named (its first phrase)."""
    if value is None:
        return SKIP
    if isinstance(value, bool):
        return "yes" if value else "no"
    if ask.kind is ListenFor.CHOICE:
        for choice in ask.choices:
            if choice.value == value:
                return choice.phrases[0] if choice.phrases else choice.value
    return str(value)


class _Person:
    """The transport: accepts the coach's offer of the exercise, then answers each question
    by its key until the exercise is over."""

    def __init__(self, coach: Coach, name: str, steps: list[Step],
                 answers: Mapping[str, Answer], clock: ManualClock, stop_at: str | None,
                 strict: bool) -> None:
        self.coach, self.name, self.steps = coach, name, steps
        self.answers, self.clock = answers, clock
        self.stop_at, self.strict = stop_at, strict
        self.heard: list[str] = []
        self.started = False
        self.answered: tuple[Ask, int] | None = None

    def say(self, reply: Reply) -> Event | None:
        self.heard.extend(s.text for s in reply.speech)
        return None

    def handled(self, reply: Reply) -> None:
        pass

    def next_event(self, step: Listen | Wait, timeout: float) -> Event | NothingYet | None:
        if isinstance(step, Wait):
            self.clock.advance(step.seconds)
            return Tick()
        if not self.started:
            self.started = True
            return Utterance("yes")  # to the offer of the exercise
        if self.coach.state != self.name:
            if step.idle:
                return None  # the exercise is over: back at the top level
            raise AssertionError(f"the coach left {self.name} for {self.coach.state}: "
                                 f"{self.heard[-3:]}")
        ask = self.steps[-1]
        assert isinstance(ask, Ask), f"listening without a question: {self.heard[-3:]}"
        if self.answered == (ask, len(self.steps)):
            raise AssertionError(
                f"the coach did not take the answer to {ask.key!r}: {self.heard[-3:]}"
            )
        self.answered = (ask, len(self.steps))
        if [s.key for s in self.steps if isinstance(s, Ask)].count(ask.key) > 1:
            raise AssertionError(f"question key {ask.key!r} asked twice")
        if ask.key == self.stop_at:
            return Utterance("stop")
        if self.strict and ask.key not in self.answers:
            raise AssertionError(f"unexpected question {ask.key!r}: {ask.prompt}")
        return Utterance(spoken_answer(ask, self.answers.get(ask.key)))


class ExerciseDriver:
    """Runs an exercise script through the real engine, answering questions by key.

    The coach (real understanding, the test's real journal, a manual clock) offers the
    exercise, the person says yes, and `converse` -- the turn protocol text mode and the
    voice loop use -- carries the conversation: each question gets its scripted answer as
    words ("skip" for None), each timed pause moves the clock on. So every answer is read,
    stored and controlled ("stop") as in a real conversation, and a script that raises
    fails the test instead of being caught by the engine.
    """

    def __init__(self, journal: Journal, understanding: Understanding, strict: bool = False,
                 **settings: Any) -> None:
        self.journal = journal
        self.understanding = understanding
        self.clock = ManualClock(START)
        self.settings = Settings(**{"name": "Sam", **settings})
        self.strict = strict
        """Every question must have a scripted answer (else a missing one is skipped)."""

    def drive(
        self,
        script: Callable[[ExerciseContext], Script],
        answers: Mapping[str, Answer],
        name: str | None = None,
        stop_at: str | None = None,
        **settings: Any,
    ) -> Run:
        """Run `script` to its end (or say "stop" at the question `stop_at`); the exercise
        is named `name` (default: the script function's name) in the journal."""
        name = name or script.__name__
        steps: list[Step] = []
        contexts: list[ExerciseContext] = []
        errors: list[BaseException] = []

        def recorded(ctx: ExerciseContext) -> Script:
            contexts.append(ctx)
            inner = script(ctx)
            try:
                step = next(inner)
                while True:
                    steps.append(step)
                    step = inner.send((yield step))
            except StopIteration:
                return
            except Exception as error:
                errors.append(error)
                raise
            finally:
                inner.close()

        coach = Coach(self.understanding, self.journal, replace(self.settings, **settings),
                      self.clock, {name: Exercise(name, name.replace("_", " "), recorded)})
        coach.offer(Offer(name, ""))
        person = _Person(coach, name, steps, answers, self.clock, stop_at, self.strict)
        converse(coach, person, TEXT_FAST)
        if errors:
            raise errors[0]
        assert contexts, f"{name} never started: {person.heard}"
        session = [s for s in self.journal.snapshot().sessions if s.exercise == name][-1]
        self.clock.advance(60)
        return Run(contexts[0], steps, person.heard, session.status)

    def context(self, name: str = "test", **settings: Any) -> ExerciseContext:
        """A context with a fresh session, as the engine makes when an exercise starts (for
        tests that step a script by hand)."""
        options = replace(self.settings, **settings)
        session = self.journal.start_session(name, self.clock.now())
        return ExerciseContext(self.journal, options, self.clock, session, options.name)


@pytest.fixture
def driver(journal: Journal, understanding: Understanding) -> ExerciseDriver:
    """The exercise driver on the test's own journal, for Sam."""
    return ExerciseDriver(journal, understanding)
