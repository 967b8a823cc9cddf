"""The urge log: rating an urge before and after, and keeping SMART's urge-log entry.

SMART Recovery's urge log records when an urge came, how strong it was, how long
it lasted, what set it off, the thoughts and feelings with it, and how you coped
(smartrecovery.org/urge-log; smartrecovery.org/coping-with-urges: "what you were
doing when the urge struck, the intensity of the urge, how long it lasted, and
any emotions or thoughts you were experiencing"). So every urge exercise:

* saves the rating before the moment it is given (an urge is on record even if
  the person stops half-way);
* keeps the minutes from the first rating to the last as the urge's duration;
* asks "did that help?" after the method, and records the method as what
  helped only when the answer is yes (the old log stored a DEADS *plan* as
  "what helped" without asking).
"""

from __future__ import annotations

from collections.abc import Generator
from datetime import datetime

from voice_coach.exercises.script import Answer, Ask, ExerciseContext, Say, Script, Step
from voice_coach.exercises.wording import URGE_SCALE, as_number, as_yes, spoken_number

RATING_HELP = "Zero means no urge at all. Ten is the strongest urge you can imagine."
RATE_BEFORE = "How strong is the urge right now, from zero to ten?"
RATE_NOW = "How strong is the urge now, from zero to ten?"
STARTED_KEY = "_urge_started"
"""`ctx.answers` key holding when the first rating was given (for the duration)."""
DURATION_KEY = "urge_minutes"
DID_IT_HELP = "Did that help, even a little?"
HELPED_YES = "Good. That's worth remembering for next time."
HELPED_NO = (
    "Thanks for being honest. Not every tool fits every urge. "
    "Next time we can try another way."
)
THOUGHTS_PROMPT = (
    "What's going through your mind right now, and how are you feeling? You can say skip."
)
THOUGHTS_THANKS = "Thank you. Those thoughts and feelings are part of the urge, not orders."


def rate(key: str, prompt: str) -> Ask:
    """An urge rating: 0 is no urge, 10 the strongest; "none" counts as 0."""
    return Ask.number(key, prompt, help=RATING_HELP, scale=URGE_SCALE, none_is_zero=True)


def rate_before(ctx: ExerciseContext) -> Generator[Step, Answer, int | None]:
    """Ask for the starting rating and log the urge at once; the rating is sent back."""
    before = as_number((yield rate("intensity_before", RATE_BEFORE)))
    ctx.journal.save_urge(ctx.session_id, ctx.now(), intensity_before=before)
    ctx.answers[STARTED_KEY] = ctx.now().isoformat()
    return before


def compare(before: int | None, after: int | None) -> Script:
    """Say where the urge started and where it is now, in plain words."""
    if after is None:
        return
    if before is None:
        yield Say(f"You're at {spoken_number(after)} now.")
    else:
        yield Say(
            f"You started at {spoken_number(before)} and now you're at {spoken_number(after)}."
        )
        if after < before:
            yield Say("The wave came down, and you rode it.")
        elif after == before:
            yield Say("It held steady, and you stayed with it.")
        else:
            yield Say("It's still strong. That's okay. It will pass, and you're not alone.")
    if after >= 7:
        yield Say("If you'd like to keep going, say I'm having an urge, and we'll go again.")


def record_duration(ctx: ExerciseContext) -> None:
    """Keep the minutes since the first rating as the urge's duration (an answer)."""
    started = ctx.answers.get(STARTED_KEY)
    if not isinstance(started, str):
        return
    minutes = max(0, round((ctx.now() - datetime.fromisoformat(started)).total_seconds() / 60))
    ctx.journal.record_answer(
        ctx.session_id, DURATION_KEY, "How long the urge lasted (minutes)", str(minutes),
        float(minutes), ctx.now(),
    )


def rate_again_and_log(
    ctx: ExerciseContext,
    before: int | None,
    trigger: str | None,
    method: str,
    what_we_did: str | None = None,
) -> Script:
    """The close of every method: rate again, compare, ask whether it helped, log the urge."""
    after = as_number((yield rate("intensity_after", RATE_NOW)))
    ctx.journal.save_urge(
        ctx.session_id, ctx.now(), intensity_before=before, intensity_after=after,
        trigger=trigger, method=method,
    )  # on record before the next question, in case the person stops here
    yield from compare(before, after)
    record_duration(ctx)
    helped = as_yes((yield Ask.yes_no("did_it_help", DID_IT_HELP)))
    if helped is True:
        ctx.journal.save_urge(ctx.session_id, ctx.now(), what_helped=what_we_did or method)
        yield Say(HELPED_YES)
    elif helped is False:
        yield Say(HELPED_NO)
