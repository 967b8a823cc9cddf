"""The crisis response: said first, in every state, whatever else was going on.

The numbers are the national crisis lines of each supported region. Keep them
checked: a wrong number here is the worst bug this product can have.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CrisisLines:
    """Who to contact in a region, in the words the coach speaks."""

    crisis_line: str
    """The line for suicidal thoughts or emotional crisis."""
    emergency: str
    """What to do in immediate danger."""
    treatment: str = ""
    """A helpline for treatment referral, where one exists."""


CRISIS_LINES: dict[str, CrisisLines] = {
    "US": CrisisLines(
        crisis_line="You can call or text nine eight eight, the Suicide and Crisis Lifeline, "
        "any time, day or night.",
        emergency="If you are in immediate danger, call nine one one.",
        treatment="For help finding treatment, SAMHSA's free helpline is "
        "one eight hundred, six six two, four three five seven.",
    ),
    "CA": CrisisLines(
        crisis_line="You can call or text nine eight eight, the Suicide Crisis Helpline, "
        "any time, day or night.",
        emergency="If you are in immediate danger, call nine one one.",
    ),
    "UK": CrisisLines(
        crisis_line="You can call the Samaritans free on one one six, one two three, "
        "any time, day or night.",
        emergency="If you are in immediate danger, call nine nine nine.",
        treatment="You can also call NHS one one one for urgent advice.",
    ),
    "IE": CrisisLines(
        crisis_line="You can call the Samaritans free on one one six, one two three, "
        "any time, day or night.",
        emergency="If you are in immediate danger, call one one two or nine nine nine.",
    ),
    "AU": CrisisLines(
        crisis_line="You can call Lifeline on thirteen, eleven, fourteen, "
        "any time, day or night.",
        emergency="If you are in immediate danger, call triple zero.",
    ),
    "NZ": CrisisLines(
        crisis_line="You can call or text one seven three seven, any time, to talk with "
        "a trained counsellor.",
        emergency="If you are in immediate danger, call one one one.",
    ),
}

ACKNOWLEDGE = (
    "I'm really glad you told me. What you're feeling matters, and you don't have to "
    "face it alone."
)
REACH_OUT = (
    "Please reach out to someone right now: a crisis line, or a person you trust who "
    "can be with you."
)
NOT_EMERGENCY = "I'm a self-help tool, not an emergency service, but I can stay with you."
OFFER = "Would you like to stay and breathe together for a minute while you reach out?"


def crisis_response(region: str) -> tuple[str, ...]:
    """The sentences of the crisis response for a region, in the order they are said."""
    lines = CRISIS_LINES.get(region.upper(), CRISIS_LINES["US"])
    spoken = [ACKNOWLEDGE, lines.crisis_line, lines.emergency]
    if lines.treatment:
        spoken.append(lines.treatment)
    spoken += [REACH_OUT, NOT_EMERGENCY, OFFER]
    return tuple(spoken)


DISCLAIMER = (
    "Hello, I'm Voice Coach. I'm a self-help tool based on ideas from SMART Recovery. "
    "I'm not a substitute for professional care or emergency services. "
    "Everything you tell me stays on this device."
)
