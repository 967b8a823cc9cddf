"""The crisis answer for each kind, said first, in every state, whatever else was going on.

Overdose: the emergency number in the first sentence, then what to do while
help comes and the poison line. Suicidal and self-harm: warm, the crisis line
in the first two sentences, the emergency number, then a question about
someone being there; no more than four sentences before the coach listens.
Distress: one direct question (suicide-prevention practice is to ask).
The words are in `intents/en/crisis/replies.yaml`, the numbers in
`resources.yaml` (see `crisis_content`).
"""

from __future__ import annotations

from voice_coach.dialogue.crisis_content import CrisisContent, Line
from voice_coach.understanding.crisis import CrisisKind

DISCLAIMER = (
    "Hello, I'm Voice Coach. I'm a self-help tool based on ideas from SMART Recovery. "
    "I'm not a substitute for professional care or emergency services. "
    "Everything you tell me stays on this device."
)


def first_answer(kind: CrisisKind, content: CrisisContent) -> list[Line]:
    """The first reply to a crisis of `kind` (suicidal for anything unclear)."""
    if kind is CrisisKind.DISTRESS:
        return content.say("distress_question")
    name = kind.value if kind in (CrisisKind.OVERDOSE, CrisisKind.SELF_HARM) else "suicidal"
    return content.lines(content.replies["first_answer"][name])


def crisis_response(region: str) -> tuple[str, ...]:
    """Every fixed sentence of the crisis answers for a region, spoken (for the prompt cache)."""
    content = CrisisContent.load(region)
    spoken: list[str] = []
    for kind in (CrisisKind.SUICIDAL, CrisisKind.OVERDOSE, CrisisKind.SELF_HARM):
        spoken += [line.spoken for line in first_answer(kind, content)]
    spoken += [line.spoken for line in content.say("slow_resources")]
    return tuple(dict.fromkeys(spoken))
