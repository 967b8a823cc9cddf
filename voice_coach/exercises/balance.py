"""Point four, a balanced life: the Lifestyle Balance Pie and the Change Plan.

Sources: SMART's Lifestyle Balance Pie "helps us to visually map out which areas of
life are important to us and which areas need greater attention", and the Change
Plan worksheet's headings are "The changes I want to make; How important is it; How
confident am I; The most important reasons ...; The steps I plan to take ...; The
ways others can help me ...; I will know my plan is working if ...; Some things that
could interfere with my plan" (smartrecovery.org/smart-recovery-toolbox;
volunteerhq.smartrecovery.org/?p=607; smartrecovery.org/the-change-plan-worksheet:
"potential obstacles you might face, strategies to overcome these obstacles").
Changed: the plan now asks importance and confidence from zero to ten, follows up
what could get in the way with "what could you do if that happens?", reads every
answer back in the second person, and a focus area outside the list is a real answer.

Recovery lasts when the rest of life has room to grow, so the pie finds the
areas that need care and the change plan turns one of them into small steps.

The pie uses eight default areas, so ratings stay comparable from one time to
the next. When the person has named values in the Hierarchy of Values, up to
two of their top values that no default area already covers become extra
slices, named in their own words ("honesty", "my music").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from voice_coach.exercises.motivation import top_values
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
    CONFIDENCE_SCALE,
    IMPORTANCE_SCALE,
    SATISFACTION_SCALE,
    as_number,
    as_yes,
    said,
    sentence_start,
    spoken_number,
)
from voice_coach.understanding.readback import action_phrase


@dataclass(frozen=True)
class Area:
    """One slice of the pie."""

    name: str
    """How it is spoken and stored as the focus area ("health and fitness")."""
    slug: str
    """The answer key is `area_<slug>`."""
    phrases: tuple[str, ...]
    """Ways to name it when choosing a focus."""
    covers: frozenset[str] = frozenset()
    """Words in a person's value that mean this area is already on the pie."""


DEFAULT_AREAS = (
    Area("family", "family", ("family",), frozenset({
        "family", "kids", "children", "child", "son", "daughter", "partner", "wife",
        "husband", "marriage", "parents", "mum", "mom", "dad", "home"})),
    Area("friends and social life", "friends",
         ("friends", "social life", "social", "friends and social life"),
         frozenset({"friends", "friend", "friendship", "social", "community"})),
    Area("work or study", "work", ("work", "study", "job", "school", "work or study"),
         frozenset({"work", "job", "career", "study", "school", "education"})),
    Area("health and fitness", "health", ("health", "fitness", "health and fitness"),
         frozenset({"health", "fitness", "exercise", "body", "healthy", "sobriety"})),
    Area("fun and recreation", "fun", ("fun", "recreation", "hobbies", "fun and recreation"),
         frozenset({"fun", "hobbies", "hobby", "play", "recreation", "leisure"})),
    Area("money", "money", ("money", "finances"),
         frozenset({"money", "finances", "financial", "savings"})),
    Area("personal growth", "growth", ("personal growth", "growth", "learning"),
         frozenset({"growth", "learning", "creativity", "creative", "self"})),
    Area("spirituality or meaning", "meaning", ("spirituality", "meaning", "faith"),
         frozenset({"faith", "spirituality", "spiritual", "god", "religion", "meaning",
                    "church", "purpose", "prayer"})),
)
MAX_VALUE_AREAS = 2
MAX_SLUG = 30

PIE_INTRO = (
    "Let's look at how balanced your life feels right now. "
    "I'll name some areas of life. For each one, give me a number from zero to ten. "
    "Zero means not at all satisfied. Ten means completely satisfied."
)
PIE_WITH_VALUES = "I've added some of your own values as areas too: {listed}."
ASK_AREA = "{area}. How satisfied are you, from zero to ten?"
AREA_REPROMPT = "Just a number from zero to ten, for {area}."
AREA_HELP = (
    "Zero means not at all satisfied with this part of your life. "
    "Ten means completely satisfied. You can also say skip."
)
PIE_NONE_RATED = "That's okay. We can look at this another time."
PIE_LOWEST_TWO = "Your lowest two are {first}, at {first_score}, and {second}, at {second_score}."
PIE_LOWEST_ONE = "Your lowest is {first}, at {first_score}."
PIE_HIGHEST = "And your highest is {area}, at {score}. That's worth noticing too."
ASK_FOCUS = (
    "Which one area would you most like to improve? "
    "It can be one of those two, or any of the others."
)
FOCUS_SKIPPED = "That's okay. Just noticing how things are is a step."
FOCUS_OWN = "{area}. That's a good one to work on."
IMPORTANCE_PROMPT = "How important is this change to you, from zero to ten?"
CONFIDENCE_PROMPT = "And how confident are you that you can do it, from zero to ten?"
LOW_CONFIDENCE = (
    "That's honest. A smaller first step can make it feel more doable, so keep the first "
    "steps small."
)
OBSTACLE_FOLLOW_UP = "If that happens, what could you do?"
ASK_MAKE_PLAN = "Would you like to make a small change plan for {area}?"
NO_PLAN = "That's okay. Whenever you're ready, just say I want to set a goal."
PIE_HELP = (
    "The lifestyle balance pie rates how satisfied you are with each area of your life, "
    "to find the one that needs the most care."
)

PLAN_INTRO = "Let's make a change plan. Small and realistic works best."
PLAN_INTRO_AREA = "Let's make a change plan for {area}. Small and realistic works best."
PLAN_QUESTIONS = (
    # (key, question, read-back label)
    ("goal", "What is one change you'd like to make?", "Your goal"),
    ("why", "Why does this matter to you?", "Why it matters"),
    ("first_steps", "What are the first steps? What could you do in the next few days?",
     "Your first steps"),
    ("helpers", "Who could help you with this, and how?", "Who can help"),
    ("signs_of_progress", "How will you know it's working?", "How you'll know it's working"),
    ("obstacles", "What could get in the way?", "What could get in the way"),
)
ASK_GOAL_AREA = "What is one change you'd like to make for {area}?"
GOAL_HELP = (
    "Something small you could start this week. For example: "
    "walk for twenty minutes three times a week, or call my sister on Sunday."
)
PLAN_NO_GOAL = (
    "That's okay. A plan starts with a goal, so let's leave it for now. "
    "Whenever you're ready, just say I want to set a goal."
)
PLAN_READBACK_INTRO = "Here is your plan."
PLAN_CLOSING = "Start with the first step. Small steps count."
PLAN_HELP = (
    "A change plan sets one realistic goal, why it matters, the first steps, "
    "who can help, how you'll know it's working, and what could get in the way."
)
AREA_QUESTION = "Which area of life is this plan for?"


def slug(text: str) -> str:
    """A key-safe name: lower-case words joined by underscores, at most 30 characters."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return "_".join(words)[:MAX_SLUG].rstrip("_")


def pie_areas(values: list[str]) -> tuple[list[Area], list[Area]]:
    """The areas to rate, and which of them came from the person's values."""
    added: list[Area] = []
    taken = {area.slug for area in DEFAULT_AREAS}
    for value in values:
        words = set(re.findall(r"[a-z]+", value.lower()))
        key = slug(value)
        if not key or key in taken or any(words & area.covers for area in DEFAULT_AREAS):
            continue
        taken.add(key)
        added.append(Area(value, key, (value.lower(),)))
        if len(added) == MAX_VALUE_AREAS:
            break
    return [*DEFAULT_AREAS, *added], added


def balance(ctx: ExerciseContext) -> Script:
    """Rate each area, name the lowest two, pick one to improve, offer a change plan."""
    areas, added = pie_areas(top_values(ctx.journal.latest_answers("values"), limit=5))
    yield Say(PIE_INTRO)
    if added:
        yield Say(
            PIE_WITH_VALUES.format(listed=" and ".join(a.name for a in added)), personal=True
        )
    rated: list[tuple[Area, int]] = []
    for area in areas:
        score = as_number((yield Ask.number(
            f"area_{area.slug}",
            ASK_AREA.format(area=sentence_start(area.name)),
            reprompt=AREA_REPROMPT.format(area=area.name),
            help=AREA_HELP,
            scale=SATISFACTION_SCALE,
            personal=area in added,
        )))
        if score is not None:
            rated.append((area, score))
    if not rated:
        yield Say(PIE_NONE_RATED)
        return
    ranked = sorted(rated, key=lambda pair: pair[1])  # stable: ties keep the asked order
    lowest = ranked[:2]
    yield Say(_lowest_sentence(lowest))
    top_area, top_score = max(rated, key=lambda pair: pair[1])
    if len(rated) > 2 and top_score > lowest[-1][1]:
        yield Say(PIE_HIGHEST.format(area=top_area.name, score=spoken_number(top_score)))
    first = [area for area, _ in lowest]
    ordered = first + [area for area in areas if area not in first]
    focus = yield Ask.choice(
        "focus_area",
        ASK_FOCUS,
        tuple(Choice(area.name, area.phrases) for area in ordered),
    )
    if not isinstance(focus, str) or not focus:
        yield Say(FOCUS_SKIPPED)
        return
    if focus not in {area.name for area in areas}:
        focus = said(focus) or focus  # their own area, in their words
        yield Say(FOCUS_OWN.format(area=focus), personal=True)
    if as_yes((yield Ask.yes_no("make_plan", ASK_MAKE_PLAN.format(area=focus), personal=True))):
        yield from run_as_own_record(
            ctx, "plan", plan(ctx, area=focus), extra={"area": (AREA_QUESTION, focus)}
        )
    else:
        yield Say(NO_PLAN)


def _lowest_sentence(lowest: list[tuple[Area, int]]) -> str:
    (first, first_score), *rest = lowest
    if not rest:
        return PIE_LOWEST_ONE.format(first=first.name, first_score=spoken_number(first_score))
    second, second_score = rest[0]
    return PIE_LOWEST_TWO.format(
        first=first.name, first_score=spoken_number(first_score),
        second=second.name, second_score=spoken_number(second_score),
    )


def plan(ctx: ExerciseContext, area: str | None = None) -> Script:
    """SMART's change plan worksheet, one question at a time, read back at the end.

    `area` is set when the plan comes from the balance pie; the goal question
    then names it. The key `goal` is read by the evening reflection.
    """
    yield Say(PLAN_INTRO_AREA.format(area=area) if area else PLAN_INTRO)
    lines: list[str] = []
    lines_extra = ""
    for key, question, label in PLAN_QUESTIONS:
        if key == "goal":
            prompt = ASK_GOAL_AREA.format(area=area) if area else question
            answer = said((yield Ask.free(key, prompt, help=GOAL_HELP, personal=bool(area))))
            if not answer:
                yield Say(PLAN_NO_GOAL)
                return
            importance = as_number((yield Ask.number(
                "importance", IMPORTANCE_PROMPT, scale=IMPORTANCE_SCALE
            )))
            confidence = as_number((yield Ask.number(
                "confidence", CONFIDENCE_PROMPT, scale=CONFIDENCE_SCALE
            )))
            if confidence is not None and confidence <= 4:
                yield Say(LOW_CONFIDENCE)
            if importance is not None and confidence is not None:
                lines_extra = (
                    f"How important it is: {spoken_number(importance)}, "
                    f"and your confidence: {spoken_number(confidence)}."
                )
            else:
                lines_extra = ""
        else:
            answer = said((yield Ask.free(key, question, optional=True)))
        if answer:
            lines.append(f"{sentence_start(label)}: {answer}.")
        if key == "goal" and lines_extra:
            lines.append(lines_extra)
        if key == "obstacles" and answer:
            remedy = action_phrase((yield Ask.free(
                "obstacles_plan", OBSTACLE_FOLLOW_UP, optional=True
            )))
            if remedy:
                lines.append(f"If that happens, you'll {remedy}.")
    yield Say(PLAN_READBACK_INTRO)
    for line in lines:
        yield Say(line, personal=True)
    yield Say(PLAN_CLOSING)


EXERCISES: tuple[Exercise, ...] = (
    Exercise("balance", "the lifestyle balance pie", balance, PIE_HELP),
    Exercise("plan", "the change plan", plan, PLAN_HELP),
)
