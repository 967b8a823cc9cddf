"""The control words inside an exercise: stop, repeat, slower, help, pause, skip, back, resume.

One function per word in a dispatch table (`CONTROLS`), keyed by the control
intent's name (`voice_coach.names`). They work at every step of every exercise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from voice_coach import names
from voice_coach.dialogue import replies
from voice_coach.messages import Reply

if TYPE_CHECKING:
    from voice_coach.dialogue.runner import ExerciseRunner, Run

Control = Callable[["ExerciseRunner", "Run"], Reply]


def stop(runner: ExerciseRunner, run: Run) -> Reply:
    """End the exercise; everything already answered is kept."""
    return runner.stop(run)


def repeat(runner: ExerciseRunner, run: Run) -> Reply:
    return runner.repeat(run, [])


def slower(runner: ExerciseRunner, run: Run) -> Reply:
    runner.turns.slow_down()
    if run.ask is None:  # in a timed pause: change the pace, don't replay the lines
        return runner.remaining_wait(run, [replies.SLOWER_PAUSE])
    return runner.repeat(run, [replies.SLOWER])


def help_(runner: ExerciseRunner, run: Run) -> Reply:
    """The question's own help, else the exercise's, then how the controls work."""
    help_text = (run.ask.help if run.ask and run.ask.help else "") or run.exercise.help
    return runner.repeat(run, [help_text, replies.CONTROLS])


def pause(runner: ExerciseRunner, run: Run) -> Reply:
    run.paused = True
    return runner.reply(run, [replies.PAUSED], runner.turns.paused_listen())


def skip(runner: ExerciseRunner, run: Run) -> Reply:
    """Leave the open question (or the timed pause) and carry on with the script."""
    if run.ask is None:
        run.wait_until = None
        return runner.advance(run, None, [replies.SKIPPING])
    run.ask = None
    run.silences = 0
    run.attempts = 0
    run.revising = None
    return runner.advance(run, None, [replies.SKIPPING])


def back(runner: ExerciseRunner, run: Run) -> Reply:
    """Re-answer the previous question; the open one comes back after."""
    if run.ask is None or run.previous is None:
        return runner.repeat(run, [replies.CANT_GO_BACK])
    run.revising = run.previous
    return runner.listen_again_for(
        run, run.previous, [replies.GOING_BACK, run.previous.prompt]
    )


def resume(runner: ExerciseRunner, run: Run) -> Reply:
    """"resume" while not paused: just carry on."""
    return runner.repeat(run, [])


CONTROLS: dict[str, Control] = {
    names.STOP: stop,
    names.REPEAT: repeat,
    names.SLOWER: slower,
    names.HELP: help_,
    names.PAUSE: pause,
    names.SKIP: skip,
    names.BACK: back,
    names.RESUME: resume,
}
"""Every control intent and what it does inside an exercise."""
