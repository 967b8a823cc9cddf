"""Point three, managing thoughts: SMART's A B C tool, with disputing and a new belief.

It is not the event that upsets us but what we tell ourselves about it; writing
the steps down, then questioning the thought, gives a more helpful one to keep.
"""

from __future__ import annotations

from voice_coach.exercises.script import Ask, Exercise, ExerciseContext, Say, Script
from voice_coach.exercises.wording import as_yes, said

ABC_INTRO = (
    "Let's work through a difficult moment with the A B C tool. "
    "It could be something that upset you, or an urge you had. "
    "A is what happened. B is what you told yourself about it. "
    "C is how you felt, and what you did. Then we'll question the thought, "
    "and find a more helpful one."
)
ASK_EVENT = "First, A. What happened? Describe it the way a camera would have seen it."
EVENT_HELP = (
    "Just the facts, as a camera would see them. For example: "
    "my boss walked past without saying hello."
)
ASK_BELIEFS = "Now B. What did you tell yourself about it? What went through your mind?"
BELIEFS_HELP = (
    "The words in your head at that moment. For example: "
    "he's angry with me, I'm going to lose my job, I need a drink."
)
ASK_CONSEQUENCES = "Now C. How did you feel, and what did you do, or want to do?"
DISPUTE_INTRO = "Now D. Let's question that thought. There are no wrong answers."
DISPUTE_THOUGHT = "You told yourself that {beliefs}."
DISPUTES_FIRST = (
    ("dispute_true", "Is that thought really true? Is it true all of the time?"),
    ("dispute_evidence", "Where is the evidence? What supports it, and what goes against it?"),
)
ASK_MORE = "Would you like two more questions about it?"
DISPUTES_MORE = (
    ("dispute_worst", "What is the worst that could really happen? Could you get through it?"),
    ("dispute_friend", "If a good friend had this thought, what would you say to them?"),
)
ASK_EFFECTIVE = (
    "Last, E. A new, more helpful belief. What could you tell yourself instead, next time?"
)
EFFECTIVE_HELP = (
    "Something true and helpful. For example: I don't like this, but I can stand it. "
    "Or: one hard moment doesn't make me a failure."
)
READBACK_INTRO = "Here is your A B C."
READBACK_LINES = (
    ("activating_event", "What happened: {text}."),
    ("beliefs", "What you told yourself: {text}."),
    ("consequences", "What followed: {text}."),
)
READBACK_EFFECTIVE = "And your new, more helpful belief: {text}."
CLOSING = "Try saying that new belief to yourself next time the old thought shows up."
CLOSING_NO_EFFECTIVE = (
    "A new belief can take time to find, and that's okay. "
    "Questioning the old thought is already a big step."
)
ABC_HELP = (
    "The A B C tool looks at what happened, what you told yourself, and how you felt "
    "and acted. Then it questions the thought and finds a more helpful one."
)


def abc(ctx: ExerciseContext) -> Script:
    """A, B, C in the person's words; two disputing questions (four if wanted); then E."""
    yield Say(ABC_INTRO)
    told: dict[str, str | None] = {}
    told["activating_event"] = said(
        (yield Ask.free("activating_event", ASK_EVENT, optional=True, help=EVENT_HELP))
    )
    told["beliefs"] = said(
        (yield Ask.free("beliefs", ASK_BELIEFS, optional=True, help=BELIEFS_HELP))
    )
    told["consequences"] = said(
        (yield Ask.free("consequences", ASK_CONSEQUENCES, optional=True))
    )
    yield Say(DISPUTE_INTRO)
    if told["beliefs"]:
        yield Say(DISPUTE_THOUGHT.format(beliefs=told["beliefs"]), personal=True)
    for key, prompt in DISPUTES_FIRST:
        yield Ask.free(key, prompt, optional=True)
    if as_yes((yield Ask.yes_no("more_disputing", ASK_MORE))):
        for key, prompt in DISPUTES_MORE:
            yield Ask.free(key, prompt, optional=True)
    effective = said(
        (yield Ask.free("effective_belief", ASK_EFFECTIVE, optional=True, help=EFFECTIVE_HELP))
    )
    lines = [
        template.format(text=told[key]) for key, template in READBACK_LINES if told[key]
    ]
    if effective:
        lines.append(READBACK_EFFECTIVE.format(text=effective))
    if lines:
        yield Say(READBACK_INTRO)
        for line in lines:
            yield Say(line, personal=True)
    yield Say(CLOSING if effective else CLOSING_NO_EFFECTIVE)


EXERCISES: tuple[Exercise, ...] = (
    Exercise("abc", "the A B C tool", abc, ABC_HELP),
)
