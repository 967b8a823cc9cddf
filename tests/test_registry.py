"""The exercise registry: every exercise has its intent, its explanation and warm prompts."""

from __future__ import annotations

from datetime import datetime

import pytest

from voice_coach import names
from voice_coach.clock import ManualClock
from voice_coach.dialogue.engine import Coach
from voice_coach.dialogue.prompts import all_prompts
from voice_coach.exercises import registry
from voice_coach.exercises.script import Ask, ExerciseContext, Say
from voice_coach.journal.store import Journal
from voice_coach.messages import Utterance
from voice_coach.settings import Settings
from voice_coach.understanding import Understanding

NOON = datetime(2026, 1, 1, 12, 0).astimezone()


@pytest.fixture(scope="module")
def prompts() -> set[str]:
    return set(all_prompts())


@pytest.mark.parametrize("name", sorted(registry()))
def test_every_exercise_has_an_intent_a_title_help_and_warm_prompts(
    name: str, prompts: set[str]
) -> None:
    exercise = registry()[name]
    assert exercise.name == name
    assert name in Understanding.load().intent_names, f"no intent starts {name}"
    assert exercise.title.strip() and exercise.help.strip()
    assert exercise.help in prompts
    journal = Journal.in_memory()
    ctx = ExerciseContext(journal, Settings(), ManualClock(NOON),
                          journal.start_session(name, NOON), "")
    script = exercise.run(ctx)
    step = next(script)
    script.close()
    first = step.text if isinstance(step, Say) else step.prompt if isinstance(step, Ask) else ""
    if not getattr(step, "personal", False):
        assert first in prompts, f"{name}'s first words are not pre-rendered by voice warm"


def test_every_exercise_starts_from_its_own_intent_through_the_coach() -> None:
    understanding = Understanding.load()
    for name, exercise in registry().items():
        journal = Journal.in_memory()
        journal.set_profile("first_run_done", "yes")
        coach = Coach(understanding, journal, Settings(name="Sam"), ManualClock(NOON),
                      registry())
        coach.start()
        coach.start_exercise(name)
        assert coach.state == name, name
        coach.handle(Utterance("stop"))
        assert coach.state == "idle", name
        assert exercise.title  # what "stopped" said it was


def test_a_coach_runs_on_the_memory_journal_and_keeps_each_answer() -> None:
    journal = Journal.in_memory()
    journal.set_profile("first_run_done", "yes")
    coach = Coach(Understanding.load(), journal, Settings(name="Sam"), ManualClock(NOON),
                  registry())
    coach.start()
    coach.handle(Utterance("I'm having an urge"))
    coach.handle(Utterance("seven"))
    coach.handle(Utterance("stop"))
    assert journal.latest_answers("urge_help") == {"intensity_before": "7"}


def test_every_exercise_module_is_registered_without_a_list_to_edit() -> None:
    import importlib
    import pkgutil

    import voice_coach.exercises as package

    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"voice_coach.exercises.{info.name}")
        for exercise in getattr(module, "EXERCISES", ()):
            assert registry()[exercise.name] is exercise, f"{info.name}: {exercise.name}"


def test_every_exercise_the_dialogue_offers_by_name_is_registered() -> None:
    """A renamed exercise would otherwise leave its offers silently unanswerable."""
    missing = set(names.OFFERED_EXERCISES) - set(registry())
    assert not missing, f"the dialogue names exercises that do not exist: {sorted(missing)}"
