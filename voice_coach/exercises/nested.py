"""An exercise run inside another one, and also filed in the journal under its own name."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from voice_coach.exercises.script import Answer, Ask, ExerciseContext, Script
from voice_coach.journal.port import SessionStatus

log = logging.getLogger(__name__)


def run_as_own_record(
    ctx: ExerciseContext,
    exercise: str,
    script: Script,
    extra: Mapping[str, tuple[str, str]] | None = None,
) -> Script:
    """Run `script` inside the current exercise, and also file it under its own name.

    The engine stores every answer under the session of the exercise that was
    started, so a change plan made inside the balance pie would be invisible to
    `latest_answers("plan")` (which the evening reflection reads). So the nested
    answers are also copied into a session of `exercise`: completed when the
    script finishes, stopped when the person ends it part-way (the journal still
    reads a stopped session's answers back when there is no completed one).
    `extra` adds records that were not questions: key -> (question, text).
    """
    asked: list[tuple[Ask, Answer]] = []
    finished = False
    try:
        step = next(script, None)
        while step is not None:
            answer = yield step
            if isinstance(step, Ask):
                asked.append((step, answer))
            try:
                step = script.send(answer)
            except StopIteration:
                step = None
        finished = True
    finally:
        script.close()
        if finished:
            _file(ctx, exercise, asked, extra, SessionStatus.COMPLETED)
        elif any(answer is not None for _, answer in asked):
            try:
                _file(ctx, exercise, asked, extra, SessionStatus.STOPPED)
            except Exception:  # closing down: never let a copy break the stop itself
                log.exception("could not file the stopped %s", exercise)


def _file(
    ctx: ExerciseContext,
    exercise: str,
    asked: list[tuple[Ask, Answer]],
    extra: Mapping[str, tuple[str, str]] | None,
    status: str,
) -> None:
    now = ctx.now()
    session = ctx.journal.start_session(exercise, now)
    for key, (question, text) in (extra or {}).items():
        ctx.journal.record_answer(session, key, question, text, None, now)
    for ask, answer in asked:
        if answer is not None:
            text, number = _stored(answer)
            ctx.journal.record_answer(session, ask.key, ask.prompt, text, number, now)
    ctx.journal.end_session(session, status, now)
    log.info("nested %s filed as session %d (%s)", exercise, session, status)


def _stored(answer: int | bool | str) -> tuple[str, float | None]:
    """An answer as the engine stores it: text, and a number for ratings and yes/no."""
    if isinstance(answer, bool):
        return ("yes", 1.0) if answer else ("no", 0.0)
    if isinstance(answer, int):
        return str(answer), float(answer)
    return answer, None
