"""After a lapse: no judgement, just what happened and what to try next time.

SMART Recovery treats a lapse as something to learn from, not a verdict. The day
count is reset only if the person says so; the days before it still happened.
"""

from __future__ import annotations

from voice_coach.exercises.script import Ask, Exercise, ExerciseContext, Say, Script
from voice_coach.exercises.wording import as_yes, said
from voice_coach.journal.port import SOBER_SINCE
from voice_coach.understanding.readback import action_phrase

"""Journal profile key: the ISO date the day count starts from."""

OPENING = (
    "Thank you for telling me. That takes courage.",
    "A lapse doesn't wipe out the progress you've made.",
    "In SMART, a lapse is something to learn from, not a reason to give up.",
    "Let's look at what happened, so next time can go differently.",
)
WHAT_HAPPENED_PROMPT = "What happened? Tell me as much or as little as you like."
SELF_TALK_PROMPT = "What did you tell yourself just before? How did you talk yourself into it?"
SELF_TALK_READBACK = "So the thought was: {self_talk}."
SELF_TALK_NOTE = "That thought will likely come back. Next time, you'll recognise it."
NEXT_TIME_PROMPT = "What's one thing you could try next time you're in that spot?"
NEXT_TIME_READBACK = "Next time, you'll {next_time}."
NEXT_TIME_SKIPPED = "That's okay. You can think about it later."
RESET_PROMPT = (
    "Would you like me to start your day count again from today? It's your choice either way."
)
START_PROMPT = "Would you like me to start counting your days from today?"
RESET_DONE = "Done. Your count starts again today. The days before still happened."
START_DONE = "Done. I'll count your days from today."
RESET_KEPT = "Okay, your count stays as it is."
START_DECLINED = "Okay. No count for now."
CLOSING = (
    "Be kind to yourself tonight. One lapse is one moment, not who you are.",
    "When you're ready, we could build a change plan together. Just say 'make a change plan'.",
    "And it can really help to talk to someone you trust, or to go to a SMART meeting.",
)


def relapse(ctx: ExerciseContext) -> Script:
    for line in OPENING:
        yield Say(line)
    yield Ask.free("what_happened", WHAT_HAPPENED_PROMPT, optional=True)
    self_talk = said((yield Ask.free("self_talk", SELF_TALK_PROMPT, optional=True)))
    if self_talk:
        yield Say(SELF_TALK_READBACK.format(self_talk=self_talk), personal=True)
        yield Say(SELF_TALK_NOTE)
    next_time = action_phrase((yield Ask.free("next_time", NEXT_TIME_PROMPT, optional=True)))
    if next_time:
        yield Say(NEXT_TIME_READBACK.format(next_time=next_time), personal=True)
    else:
        yield Say(NEXT_TIME_SKIPPED)

    counting = ctx.journal.get_profile(SOBER_SINCE) is not None
    reset = as_yes((yield Ask.yes_no("reset_count", RESET_PROMPT if counting else START_PROMPT)))
    ctx.journal.record_lapse(ctx.session_id, ctx.now(), reset_count=reset is True)
    if reset:
        yield Say(RESET_DONE if counting else START_DONE)
    else:
        yield Say(RESET_KEPT if counting else START_DECLINED)
    for line in CLOSING:
        yield Say(line)


EXERCISES = (
    Exercise(
        "relapse",
        "support after a lapse",
        relapse,
        "After a lapse we look, without judgement, at what happened, how you talked yourself "
        "into it, and what you'll try next time. Your day count only changes if you want it to.",
    ),
)
