"""Every fixed sentence the coach can say, found by walking each exercise's branches.

`voice-coach voice warm` renders these into the speech cache ahead of time, so
even the first run of an exercise starts speaking at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from voice_coach.clock import ManualClock
from voice_coach.dialogue import replies, safety
from voice_coach.exercises import registry
from voice_coach.exercises.script import Answer, Ask, Exercise, ExerciseContext, Pause, Say, Script
from voice_coach.journal.store import Journal
from voice_coach.messages import ListenFor
from voice_coach.settings import REGIONS, Settings

MAX_STEPS = 400
"""A walk stops here: no exercise is this long, and a loop in one must not hang warm-up."""


def _canned(ask: Ask, variant: int) -> Answer:
    """An answer that takes branch `variant` (0, 1, 2...) of each question."""
    if ask.kind is ListenFor.NUMBER:
        return (7, 2, 5)[variant % 3]
    if ask.kind is ListenFor.YES_NO:
        return variant % 2 == 0
    if ask.kind is ListenFor.CHOICE and ask.choices:
        return ask.choices[variant % len(ask.choices)].value
    return None


def _walk(script: Script, variant: int, found: set[str]) -> None:
    try:
        step = next(script)
        for _ in range(MAX_STEPS):
            answer: Answer = None
            if isinstance(step, Say):
                if not step.personal:
                    found.add(step.text)
            elif isinstance(step, Ask):
                found.update(t for t in (step.reprompt, step.help) if t)
                if not step.personal:
                    found.update((step.prompt, replies.gentle(step.prompt)))
                answer = _canned(step, variant)
            elif isinstance(step, Pause):
                pass
            step = script.send(answer)
    except StopIteration:
        pass
    finally:
        script.close()


def all_prompts(exercises: Mapping[str, Exercise] | None = None) -> list[str]:
    """Fixed prompts of every exercise (three branches each) and the coach's own lines.

    The walk answers each question with canned answers into a journal in memory:
    nothing is written anywhere.
    """
    found: set[str] = set()
    journal = Journal.in_memory()
    for exercise in (registry() if exercises is None else exercises).values():
        found.add(exercise.help)
        found.add(replies.did_you_ask_for(exercise.title))
        for variant in range(3):
            clock = ManualClock(datetime(2026, 1, 1, 12, 0).astimezone())
            session = journal.start_session(exercise.name, clock.now())
            ctx = ExerciseContext(journal, Settings(), clock, session, "")
            _walk(exercise.run(ctx), variant, found)
    for region in REGIONS:
        found.update(safety.crisis_response(region))
    found.update(
        value for name, value in vars(replies).items()
        if name.isupper() and isinstance(value, str)
    )
    found.update(replies.out_of_scope())
    found.update((safety.DISCLAIMER, *replies.greeting(""), replies.welcome("")))
    return sorted(text for text in found if text)
