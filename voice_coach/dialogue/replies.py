"""What the coach says outside the exercises: greetings, help, controls, fallbacks.

All the engine's own wording is here so it can be read and edited in one place.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from voice_coach.exercises.script import Exercise

ASK_NAME = "What would you like me to call you?"
ASK_NAME_AGAIN = "Hello! What name would you like me to use? You can also say skip."
WHAT_NEXT = (
    "What would you like to do? You can say things like: I'm having an urge, "
    "let's breathe, or evening reflection."
)
OKAY_HERE = "Okay. I'm here whenever you need me."
YOURE_WELCOME = "You're welcome. I'm here whenever you need me."
SLOWER = "Okay, I'll slow down."
DIDNT_CATCH = "Sorry, I didn't catch that."
"""Speech was heard but not understood (`Unclear`): said, then the same question is listened for."""
SLOWER_PAUSE = "Okay, I'll take it slower. Carry on breathing."
STAYING = (
    "I'm still here. Take your time.",
    "No rush. I'm right here with you.",
    "Whenever you're ready, just tell me how strong it is. I'm staying.",
    "You don't have to say anything. I'm still here.",
)
CONTROLS = (
    "At any time you can say repeat, slower, skip, pause, or stop. "
    "Stopping keeps everything you've said so far."
)
PAUSED = "Okay, I'll wait. Say resume when you're ready, or stop to end."
STILL_PAUSED = "We're paused. Say resume when you're ready, or stop to end."
RESUMING = "Okay, let's carry on."
STILL_HERE = "I'm still here with you. Let's keep going."
SKIPPING = "Okay, let's skip that."
CANT_GO_BACK = "There's nothing before this one to go back to, so here it is again."
GOING_BACK = "Sure, let's change that one."
REVISE_KEPT = "Okay, I'll keep what you said before."
TIMED_OUT = (
    "It sounds like now isn't a good time, and that's okay. Everything you've said "
    "is saved. I'm here whenever you need me."
)
EXERCISE_FAILED = (
    "I'm sorry, something went wrong in that exercise on my side. Everything you said "
    "is saved. You can start it again, or try another one."
)
REFLECTION_DECLINED = "No problem. Sleep well, and I'm here if you need me."
MISHEARD = f"Sorry, I must have misheard. {WHAT_NEXT}"

_OUT_OF_SCOPE = (
    "I'm not able to help with that.",
    "I can help you ride out an urge, breathe, remember your reasons for change, "
    "work through a difficult thought, reflect on your day, or check your progress.",
)


HOW_CAN_I_HELP = "How can I help? You can say I'm having an urge, or just ask what I can do."


def greeting(name: str) -> tuple[str, str]:
    """The hello as two lines: the person's name is in the short first one only, so the
    long second one is a fixed prompt and plays from the cache at start-up."""
    return (f"Hello, {name}." if name else "Hello.", HOW_CAN_I_HELP)


def welcome(name: str) -> str:
    start = f"Nice to meet you, {name}. " if name else "That's fine. "
    return (
        f"{start}Whenever you need me, just talk to me. For example, say I'm having an urge, "
        "let's breathe, or what can you do."
    )


def goodbye(name: str) -> str:
    who = f", {name}" if name else ""
    return f"Take care{who}. I'm here whenever you need me."


def reflection_offer(hour: int, minute: int, name: str) -> str:
    clock = _spoken_time(hour, minute)
    who = f", {name}" if name else ""
    return f"It's {clock}{who}. Would you like to do your evening reflection?"


def _spoken_time(hour: int, minute: int) -> str:
    words = ["twelve", "one", "two", "three", "four", "five", "six", "seven", "eight",
             "nine", "ten", "eleven"]
    base = words[hour % 12]
    if minute == 0:
        return f"{base} o'clock"
    if minute == 30:
        return f"half past {base}"
    return f"{base} {minute:02d}"


def capabilities(exercises: Mapping[str, Exercise]) -> tuple[str, ...]:
    titles = [exercise.title for exercise in exercises.values()]
    listed = ", ".join(titles[:-1]) + f", and {titles[-1]}" if len(titles) > 1 else "".join(titles)
    return (
        f"Here is what I can do: {listed}.",
        "Just say what you need, for example: I'm having an urge, or remind me why.",
        "If you are ever in crisis, tell me, and I'll give you people to call right away.",
    )


def out_of_scope() -> tuple[str, ...]:
    return _OUT_OF_SCOPE


def did_you_ask_for(title: str) -> str:
    return f"I think you asked for {title}. Is that right?"


def stopped(title: str) -> str:
    return f"Okay, we'll stop {title} here. Everything you said is saved."


def busy_with(title: str) -> str:
    return (
        f"We're in the middle of {title}. If you'd like to do something else, "
        "say stop first. Otherwise, here's the question again."
    )


def revised(text: str) -> str:
    return f"Got it. I've changed that to {text}."


def gentle(prompt: str) -> str:
    return f"Take your time. {prompt}"


_NAME_PREFIXES = re.compile(
    r"^(?:(?:you can |just )?call me|my name is|my name's|i am|i'm|it's|it is|this is|"
    r"the name is|name's|people call me)\s+",
    re.IGNORECASE,
)


def extract_name(text: str) -> str:
    """A name from an answer like "call me Sam" or "I'm Alex"; "" when unclear."""
    cleaned = _NAME_PREFIXES.sub("", text.strip().strip(".!?,")).strip()
    words = re.findall(r"[^\W\d_][\w'-]*", cleaned)
    if not words or len(words) > 3:
        return ""
    return " ".join(word[:1].upper() + word[1:] for word in words)[:40]
