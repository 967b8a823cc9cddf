"""Point one, building motivation: cost-benefit analysis, values, and "remind me why".

The person's own reasons move them more than anything the coach could say, so
these exercises collect those reasons in their words and read them back (in the
second person: "you'd sleep better").

Sources, and what changed against them:

* Cost-benefit analysis — SMART's four squares, the benefits and costs of using
  and of not using, in the short and long run (smartrecovery.org/cost-benefit-analysis).
  SMART adds, for what you enjoy about the behaviour: "Where possible, find
  alternative ways of achieving the same goals" — so after the benefits of using
  the coach now asks for another way to get the same thing, and reads it back.
* Hierarchy of Values — list what matters most, pick the top five, then "take an
  honest look at your list and insert your addictive behaviour where you are in
  fact putting your addictive behaviour. For many people ... it is number one"
  (SMART handbook HoV, as on smartsouthport.co.uk/hov.html; studylib "Hierarchy of
  Values Worksheet", Joe Gerstein MD). The honest-placement step is new.
"""

from __future__ import annotations

from collections.abc import Mapping

from voice_coach.exercises.nested import run_as_own_record
from voice_coach.exercises.script import (
    Ask,
    Choice,
    Exercise,
    ExerciseContext,
    Say,
    Script,
)
from voice_coach.exercises.wording import (
    as_yes,
    behaviour,
    join_words,
    said,
    sentence_start,
)

# ----- Cost-benefit analysis wording ---------------------------------------------

CBA_INTRO = (
    "Let's do a cost benefit analysis. We'll look at four sides. "
    "The good and the bad of {behaviour}, and the good and the bad of stopping. "
    "There are no wrong answers, and you can say skip at any question."
)
CBA_QUADRANTS: tuple[tuple[str, str, str, str], ...] = (
    # (key, first question, long-run follow-up, read-back label)
    (
        "benefits_of_using",
        "First, what does {behaviour} do for you? What do you get out of it?",
        "Anything good about it in the long run?",
        "The good things about {behaviour}",
    ),
    (
        "costs_of_using",
        "Now, what does {behaviour} cost you? Think about your health, money, "
        "people, and how you feel.",
        "Anything in the long run? What could it cost you down the road?",
        "What {behaviour} costs you",
    ),
    (
        "benefits_of_stopping",
        "Now imagine you stopped {behaviour}. What would get better?",
        "Anything in the long run? What could get better over months and years?",
        "What gets better if you stop",
    ),
    (
        "costs_of_stopping",
        "And what would be hard about stopping? What might you miss?",
        "Anything hard about it in the long run?",
        "What would be hard about stopping",
    ),
)
LONG_TERM = "_long_term"
ALTERNATIVES_KEY = "alternatives"
ALTERNATIVES_PROMPT = (
    "SMART suggests finding other ways to get those same good things. "
    "Is there another way you could get that, without {behaviour}?"
)
ALTERNATIVES_READBACK = "Another way to get the same good things: {text}."
CBA_SUMMARY_INTRO = "Thank you. Here is what you said."
CBA_SUMMARY_EMPTY = "We didn't put much into words today, and that's okay."
CBA_CONCLUSION = (
    "Looking at all of that, which side feels weightier to you right now? "
    "Changing, staying as you are, or not sure yet?"
)
"""The options avoid "stop", "quit" and "carry on": the engine hears those as commands."""
CBA_CONCLUSION_HELP = (
    "Just say which side weighs more for you today: changing, staying as you are, "
    "or not sure yet."
)
CBA_AFTER_CONCLUSION = {
    "change": (
        "Thank you. Those reasons are yours, and they are worth coming back to. "
        "Say remind me why whenever you want to hear them again."
    ),
    "no_change": (
        "Thank you for being honest. That's worth knowing. "
        "The balance can shift over time, and you can do this again whenever you like."
    ),
    "unsure": (
        "That's okay. Mixed feelings are normal when you're thinking about a change. "
        "You can come back to this whenever you like."
    ),
}
CBA_NO_CONCLUSION = "That's okay. You don't have to decide anything today."
CBA_HELP = (
    "A cost benefit analysis weighs the good and the bad of the habit you're changing, "
    "and the good and the bad of stopping, in the short run and the long run."
)

# ----- Hierarchy of values wording -------------------------------------------------

VALUE_COUNT = 5
VALUES_INTRO = (
    "Let's name what matters most to you in life. Up to five things, "
    "most important first. One at a time."
)
VALUE_PROMPTS = (
    "What matters most to you?",
    "What comes next in importance?",
    "And the third?",
    "And the fourth?",
    "And one more. What else matters to you?",
)
VALUE_EXAMPLES = (
    "Some people choose family, health, honesty, freedom, work, faith, "
    "friends, or creativity. Anything that matters to you is fine."
)
VALUES_EFFECT_INTRO = "Thank you. Now let's look at how {behaviour} affects each one."
VALUE_EFFECT_PROMPT = "{value}. How does {behaviour} affect that?"
VALUES_READBACK = "Here are your values, in order. {listed}."
VALUES_CLOSING = (
    "These are yours, and they are worth keeping close. "
    "When an urge comes, it can help to remember them."
)
VALUES_NONE = (
    "That's okay. Values can take time to put into words. "
    "We can come back to this whenever you like."
)
VALUES_HELP = (
    "The hierarchy of values lists what matters most to you, and looks at how "
    "the habit you're changing affects each of those things."
)
_ORDER_WORDS = ("One", "Two", "Three", "Four", "Five")
PLACEMENT_INTRO = (
    "Now an honest question. People rarely put {behaviour} on a list like this. "
    "But when you've been {behaviour}, where has it really been, compared with these?"
)
PLACEMENT_PROMPT = "Above all of them, somewhere in the middle, or below them all?"
PLACEMENT_CHOICES = (
    Choice("top", ("above all of them", "above them all", "above", "at the top", "the top",
                   "top", "first", "number one", "number 1", "above everything",
                   "more than all of them")),
    Choice("middle", ("somewhere in the middle", "in the middle", "middle", "the middle",
                      "in between", "somewhere in between")),
    Choice("bottom", ("below them all", "below all of them", "below", "at the bottom",
                      "the bottom", "bottom", "last", "below everything")),
)
PLACEMENT_REPLY = {
    "top": (
        "Thank you for being that honest. Many people find it has been number one, ahead of "
        "everything they listed. Every time, it was chosen over {first}. That's what change "
        "can shift."
    ),
    "middle": (
        "Thank you for being honest. Even in the middle, it was still being chosen over "
        "some of the things you value. That's worth keeping in mind."
    ),
    "bottom": (
        "That's good to hear. Keeping it below what matters most is what recovery "
        "protects."
    ),
}
PLACEMENT_OWN = "Thank you for being honest about that. It's worth keeping in mind."

# ----- Remind me why wording ---------------------------------------------------------

WHY_INTRO = "Here are your reasons, in your own words."
WHY_COSTS = "What {behaviour} costs you: {text}."
WHY_BENEFITS = "What gets better when you stop: {text}."
WHY_VALUES = "And what matters most to you: {listed}."
WHY_NOTHING_YET = (
    "We haven't written down your reasons together yet. "
    "Would you like to make a cost benefit list now? It takes about five minutes."
)
WHY_DECLINED = "That's okay."
WHY_REASON_TODAY = "What is one reason that matters most to you today?"
WHY_REASON_ECHO = "{reason}. Hold on to that today."
WHY_NO_REASON = "That's okay. Your reasons are here whenever you need them."
WHY_HELP = "This reads back your own reasons for change, from your cost benefit list and values."

def _part(short: str | None, long: str | None) -> str | None:
    """One quadrant as a phrase: the short-run answer, then the long-run one."""
    if short and long:
        return f"{short}. And in the long run, {long}"
    return short or (f"in the long run, {long}" if long else None)


# ----- Cost-benefit analysis ------------------------------------------------------------


def cost_benefit(ctx: ExerciseContext) -> Script:
    """SMART's four quadrants, each in the short and long run, read back, then weighed."""
    doing = behaviour(ctx.settings.focus)
    yield Say(CBA_INTRO.format(behaviour=doing))
    summary: list[str] = []
    for key, prompt, follow_up, label in CBA_QUADRANTS:
        short = said((yield Ask.free(key, prompt.format(behaviour=doing), optional=True)))
        long = said((yield Ask.free(key + LONG_TERM, follow_up, optional=True)))
        phrase = _part(short, long)
        if phrase:
            summary.append(f"{label.format(behaviour=doing)}. You said: {phrase}.")
        if key == "benefits_of_using" and phrase:
            other = said((yield Ask.free(
                ALTERNATIVES_KEY, ALTERNATIVES_PROMPT.format(behaviour=doing), optional=True
            )))
            if other:
                summary.append(ALTERNATIVES_READBACK.format(text=other))
    if summary:
        yield Say(CBA_SUMMARY_INTRO)
        for line in summary:
            yield Say(line, personal=True)
    else:
        yield Say(CBA_SUMMARY_EMPTY)
    side = yield Ask.choice(
        "conclusion",
        CBA_CONCLUSION.format(behaviour=doing),
        conclusion_choices(doing),
        help=CBA_CONCLUSION_HELP,
    )
    yield Say(CBA_AFTER_CONCLUSION.get(str(side), CBA_NO_CONCLUSION) if side else CBA_NO_CONCLUSION)


def conclusion_choices(doing: str) -> tuple[Choice, ...]:
    """Ways to name each side; the longer, more specific phrase wins a tie."""
    return (
        Choice("change", (
            "changing", "change", "making a change", "the reasons to change", "stopping",
            "quitting", f"not {doing}", f"stop {doing}", "the benefits of stopping",
        )),
        Choice("no_change", (
            "staying as I am", "staying as you are", "staying the same", "no change",
            "as I am", "things as they are", "the same", f"keep {doing}", f"still {doing}",
            f"go on {doing}", f"the {doing} side", "don't want to change",
            "not ready to change", "not ready",
        )),
        Choice("unsure", (
            "not sure", "not sure yet", "unsure", "i don't know", "don't know",
            "both", "about the same", "about equal", "equal",
        )),
    )


# ----- Hierarchy of values -----------------------------------------------------------------


def values(ctx: ExerciseContext) -> Script:
    """Top five values (each optional), how the behaviour affects each, then the list.

    Examples are offered once if the first value is skipped; two skips in a row
    end the list early, because a person who skips twice has said what they have.
    """
    doing = behaviour(ctx.settings.focus)
    yield Say(VALUES_INTRO)
    named: list[tuple[int, str]] = []
    skips = 0
    offered_examples = False
    for number in range(1, VALUE_COUNT + 1):
        value = said((yield Ask.free(
            f"value_{number}", VALUE_PROMPTS[number - 1], optional=True,
            help=VALUE_EXAMPLES, reprompt=VALUE_EXAMPLES,
        )))
        if value:
            named.append((number, value))
            skips = 0
            continue
        skips += 1
        if skips >= 2:
            break
        if not named and not offered_examples:
            offered_examples = True
            yield Say(VALUE_EXAMPLES)
    if not named:
        yield Say(VALUES_NONE)
        return
    yield Say(VALUES_EFFECT_INTRO.format(behaviour=doing))
    for number, value in named:
        yield Ask.free(
            f"effect_{number}",
            VALUE_EFFECT_PROMPT.format(behaviour=doing, value=sentence_start(value)),
            optional=True,
            personal=True,
        )
    listed = ". ".join(
        f"{_ORDER_WORDS[index]}, {value}" for index, (_, value) in enumerate(named)
    )
    yield Say(VALUES_READBACK.format(listed=listed), personal=True)
    yield Say(PLACEMENT_INTRO.format(behaviour=doing))
    place = yield Ask.choice("behaviour_place", PLACEMENT_PROMPT, PLACEMENT_CHOICES)
    if isinstance(place, str) and place in PLACEMENT_REPLY:
        yield Say(PLACEMENT_REPLY[place].format(first=named[0][1]), personal=place == "top")
    elif place:
        yield Say(PLACEMENT_OWN)
    yield Say(VALUES_CLOSING)


def top_values(answers: Mapping[str, str], limit: int = 3) -> list[str]:
    """The first `limit` values a person named, in their order."""
    found = [said(answers.get(f"value_{n}")) for n in range(1, VALUE_COUNT + 1)]
    return [value for value in found if value][:limit]


# ----- Remind me why ------------------------------------------------------------------------

def motivation(ctx: ExerciseContext) -> Script:
    """Read back the person's own strongest reasons, or offer to build them now."""
    doing = behaviour(ctx.settings.focus)
    cba = ctx.journal.latest_answers("cost_benefit")
    lines: list[str] = []
    costs = _part(said(cba.get("costs_of_using")), said(cba.get("costs_of_using" + LONG_TERM)))
    if costs:
        lines.append(WHY_COSTS.format(behaviour=doing, text=costs))
    gains = _part(
        said(cba.get("benefits_of_stopping")), said(cba.get("benefits_of_stopping" + LONG_TERM))
    )
    if gains:
        lines.append(WHY_BENEFITS.format(text=gains))
    tops = top_values(ctx.journal.latest_answers("values"))
    if tops:
        lines.append(WHY_VALUES.format(listed=join_words(tops)))
    if lines:
        yield Say(WHY_INTRO)
        for line in lines:
            yield Say(line, personal=True)
    else:
        build = as_yes((yield Ask.yes_no("build_now", WHY_NOTHING_YET)))
        if build:
            yield from run_as_own_record(ctx, "cost_benefit", cost_benefit(ctx))
        else:
            yield Say(WHY_DECLINED)
    reason = said((yield Ask.free("reason_today", WHY_REASON_TODAY, optional=True)))
    if reason:
        yield Say(WHY_REASON_ECHO.format(reason=sentence_start(reason)), personal=True)
    else:
        yield Say(WHY_NO_REASON)


EXERCISES: tuple[Exercise, ...] = (
    Exercise("cost_benefit", "the cost benefit analysis", cost_benefit, CBA_HELP),
    Exercise("values", "the values exercise", values, VALUES_HELP),
    Exercise("motivation", "remembering your reasons", motivation, WHY_HELP),
)
