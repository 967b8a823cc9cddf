"""Replies that fit the moment, outside the exercises.

When someone says "I hate myself", "I'm so lonely", "I've been sober thirty days
today!", "I lie about how much I drink", "can I drink just on weekends", "what is
SMART" or "I want to quit", a list of exercises is the wrong answer. Each of those
gets a short, warm reply here, usually one open question or one offer, never
pretend therapy. The engine asks this module first at the top level; crisis and
distress (`dialogue.safety`) are checked before anything reaches it.

Sources for the stances taken:
* SMART's 4-Point Program — building and maintaining motivation, coping with urges,
  managing thoughts, feelings and behaviours, living a balanced life; motto
  "Discover the power of choice" (smartrecoverysd.org/learn-more; smartrecovery.ie).
* Abstinence vs. moderation — SMART "supports individuals who have chosen to
  abstain, or are considering abstinence", and the choice is the person's; the CBA
  is the tool for weighing it (SMART handbook ch. 2 "Abstinence vs. moderation";
  smartrecovery.org/cost-benefit-analysis).
* Shame → Unconditional Self-Acceptance: "labels that we carry internally ...
  often lead to deep feelings of shame" (r/SMARTRecovery Tool Tuesday, USA).
* Honesty about hiding use — answered in the spirit of motivational interviewing:
  no judgement, affirm the courage, one open question about what it costs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from voice_coach import names
from voice_coach.dialogue.urge_review import urge_review
from voice_coach.journal.port import SOBER_SINCE, JournalPort
from voice_coach.number_words import count, int_to_words
from voice_coach.understanding.normalize import normalize
from voice_coach.understanding.numbers import find_numbers
from voice_coach.understanding.readback import read_back

MIN_CONFIDENCE = 0.75
PROFILE_MILESTONE = "milestone_celebrated"
"""Profile key: the day count of the last milestone celebrated (each is said once)."""
MILESTONES = ((365, "one year"), (180, "six months"), (90, "ninety days"),
              (60, "sixty days"), (30, "thirty days"), (7, "one week"), (1, "one day"))

INTENTS = frozenset(names.MOMENTS)
_ABOUT_DAYS = (names.SOBRIETY_MILESTONE, names.GOOD_NEWS, names.PROGRESS, None)
"""Intents (or none) under which a start date said in passing is about the day count."""


@dataclass(frozen=True)
class MomentReply:
    """What to say, and what may come next."""

    lines: tuple[str, ...]
    offer: str = ""
    """An exercise offered with a yes/no question ("" for none)."""
    on_no: str = ""
    """Said when the offer is declined."""
    listen_free: bool = False
    """The next words are an open answer for this module (a listening turn)."""


@dataclass
class _Pending:
    kind: str
    """"listen_lonely", "listen_quit", "listen_honesty" or "confirm_date"."""
    when: date | None = None


@dataclass
class Moments:
    """The small state of a moment: an open listening turn or a date to confirm."""

    journal: JournalPort
    pending: _Pending | None = field(default=None)

    # ----- the first reply -----------------------------------------------------

    def respond(
        self, intent: str | None, text: str, now: datetime, doing: str, confidence: float = 1.0
    ) -> MomentReply | None:
        """A reply for `intent`, or None when this module has nothing to add.

        Below `MIN_CONFIDENCE` nothing is said here: a wrong "well done!" or a wrong
        "that sounds painful" is worse than the general fallback.
        """
        self.pending = None
        if confidence < MIN_CONFIDENCE:
            intent = None
        when = sober_since(text, now)
        if when is not None and intent in _ABOUT_DAYS:
            return self._sober_since(when, now)
        if intent not in INTENTS:
            return None
        if intent == names.SHAME:
            return MomentReply(SHAME, offer=names.SELF_ACCEPTANCE, on_no=SHAME_NO)
        if intent == names.LONELY:
            self.pending = _Pending("listen_lonely")
            return MomentReply(LONELY, listen_free=True)
        if intent == names.GOOD_NEWS:
            return MomentReply(GOOD_NEWS)
        if intent == names.SOBRIETY_MILESTONE:
            return MomentReply(MILESTONE_NO_DATE)
        if intent == names.HONESTY:
            self.pending = _Pending("listen_honesty")
            return MomentReply(HONESTY, listen_free=True)
        if intent == names.URGE_REVIEW:
            return MomentReply(urge_review(self.journal, now))
        if intent == names.ABOUT_SMART:
            return MomentReply(ABOUT_SMART)
        if intent == names.MODERATION:
            return MomentReply(
                tuple(line.format(doing=doing) for line in MODERATION),
                offer=names.COST_BENEFIT, on_no=MODERATION_NO,
            )
        self.pending = _Pending("listen_quit")
        return MomentReply(tuple(line.format(doing=doing) for line in WANT_TO_QUIT),
                           listen_free=True)

    # ----- what follows --------------------------------------------------------

    def follow_up(self, text: str, yes_no: str | None) -> MomentReply | None:
        """The answer to an open turn; None when nothing is pending."""
        pending, self.pending = self.pending, None
        if pending is None:
            return None
        if pending.kind == "confirm_date":
            if yes_no == names.YES and pending.when is not None:
                self.journal.set_profile(SOBER_SINCE, pending.when.isoformat())
                return MomentReply((DATE_CHANGED.format(day=spoken_date(pending.when)),))
            if yes_no == names.NO:
                return MomentReply((DATE_KEPT,))
            self.pending = pending
            return MomentReply((DATE_YES_NO,))
        heard = read_back(text)
        reflect = (f"Thank you for telling me. {_reflect(heard)}",) if heard else (NOTHING_TO_ADD,)
        if pending.kind == "listen_lonely":
            return MomentReply((*reflect, LONELY_OFFER), offer=names.BREATHING, on_no=LONELY_NO)
        if pending.kind == "listen_honesty":
            return MomentReply(
                (*reflect, HONESTY_OFFER), offer=names.COST_BENEFIT, on_no=HONESTY_NO
            )
        return MomentReply((*reflect, QUIT_OFFER), offer=names.PLAN, on_no=QUIT_NO)

    # ----- the sobriety date ---------------------------------------------------

    def _sober_since(self, when: date, now: datetime) -> MomentReply:
        days = (now.date() - when).days
        current = self.journal.get_profile(SOBER_SINCE)
        if current and current[:10] != when.isoformat():
            self.pending = _Pending("confirm_date", when)
            return MomentReply((
                DATE_CONFIRM.format(old=spoken_date(date.fromisoformat(current[:10])),
                                    new=spoken_date(when)),
            ), listen_free=True)
        self.journal.set_profile(SOBER_SINCE, when.isoformat())
        lines = [DATE_SET.format(day=spoken_date(when), days=_days(days))]
        milestone = reached_milestone(days)
        if milestone is not None:
            self.journal.set_profile(PROFILE_MILESTONE, str(milestone[0]))
            lines.insert(0, CELEBRATE.format(Milestone=milestone[1].capitalize()))
        else:
            lines.insert(0, WELL_DONE)
        return MomentReply(tuple(lines))


def milestone_line(journal: JournalPort, now: datetime) -> str | None:
    """A celebration the first time the day count reaches a milestone (then never again)."""
    since = journal.get_profile(SOBER_SINCE)
    if not since:
        return None
    try:
        days = (now.date() - date.fromisoformat(since[:10])).days
    except ValueError:
        return None
    milestone = reached_milestone(days)
    if milestone is None:
        return None
    celebrated = journal.get_profile(PROFILE_MILESTONE)
    if celebrated is not None and celebrated.isdigit() and int(celebrated) >= milestone[0]:
        return None
    journal.set_profile(PROFILE_MILESTONE, str(milestone[0]))
    return CELEBRATE.format(Milestone=milestone[1].capitalize())


def reached_milestone(days: int) -> tuple[int, str] | None:
    """The biggest milestone `days` has reached (1 day … 1 year), if any."""
    for threshold, words in MILESTONES:
        if days >= threshold:
            return threshold, words
    return None


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_SINCE = re.compile(r"\bsince\b(?P<rest>.*)$")
_FOR = re.compile(r"\b(?P<n>\d+) (?P<unit>day|days|week|weeks|month|months|year|years)\b")
_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30,
}


def sober_since(text: str, now: datetime) -> date | None:
    """The start date in "sober since March 3rd" or "sober for 30 days"; None when absent."""
    lowered = text.lower()
    if not re.search(r"\b(sober|clean|dry|free|off|quit|stopped|abstinent|date|day|without|"
                     r"haven't|have not)\b", lowered):
        return None
    since = _SINCE.search(lowered) or re.search(r"\b(?:date is|on)\b(?P<rest>.*)$", lowered)
    if since is not None:
        return _month_day(since.group("rest"), now.date())
    words = normalize(text).split()
    spans = find_numbers(words)
    for span in spans:
        unit = words[span.end] if span.end < len(words) else ""
        factor = {"day": 1, "days": 1, "week": 7, "weeks": 7, "month": 30, "months": 30,
                  "year": 365, "years": 365}.get(unit)
        if factor and 0 < span.value < 100:
            return now.date() - timedelta(days=span.value * factor)
    match = re.search(r"\b(?:day|week) (?P<n>\w+)\b", lowered)
    if match is not None:
        n = find_numbers(normalize(match.group("n")).split())
        if n:
            factor = 7 if "week" in match.group(0) else 1
            return now.date() - timedelta(days=max(0, n[0].value * factor - factor))
    return None


def _month_day(rest: str, today: date) -> date | None:
    month = next((i + 1 for i, m in enumerate(_MONTHS) if re.search(rf"\b{m}\b", rest)), None)
    if month is None:
        return None
    day = None
    digits = re.search(r"\b(\d{1,2})(?:st|nd|rd|th)?\b", rest)
    if digits is not None:
        day = int(digits.group(1))
    else:
        for word, value in _ORDINAL_WORDS.items():
            if re.search(rf"\b{word}\b", rest):
                day = value
        if day is None:
            numbers = find_numbers(normalize(rest).split())
            day = numbers[0].value if numbers else 1
    year = today.year
    try:
        when = date(year, month, day)
        if when > today:
            when = date(year - 1, month, day)
    except ValueError:
        return None
    return when


def spoken_date(day: date) -> str:
    """"March the third": how a date sounds."""
    ordinal = {1: "first", 2: "second", 3: "third", 5: "fifth", 8: "eighth", 9: "ninth",
               12: "twelfth", 20: "twentieth", 30: "thirtieth"}
    n = day.day
    if n in ordinal:
        words = ordinal[n]
    elif n > 20 and n % 10 in (1, 2, 3):
        words = int_to_words(n - n % 10) + "-" + ordinal[n % 10]
    else:
        words = int_to_words(n) + "th"
    return f"{_MONTHS[day.month - 1].capitalize()} the {words}"


def _days(days: int) -> str:
    days = max(0, days)
    return count(days, "day")


def _reflect(heard: str) -> str:
    return f"It sounds like {heard}." if len(heard.split()) <= 25 else "That's a lot to carry."


SHAME = (
    "That sounds really painful, and I'm glad you said it out loud.",
    "In SMART, we say you are not your behaviour. You're a person, and people make mistakes.",
    "Would you like to try unconditional self acceptance together? It takes a few minutes.",
)
SHAME_NO = "Okay. Go easy on yourself tonight. I'm here whenever you need me."
LONELY = (
    "I'm glad you told me. Feeling lonely is really hard, and a lot of people in recovery "
    "feel it.",
    "What's been making it feel that way?",
)
LONELY_OFFER = (
    "I'm a self-help tool, so I can't be a friend, but reaching out to one person today, or "
    "going to a SMART meeting, can really help. Meanwhile, would you like to breathe "
    "together for a minute?"
)
LONELY_NO = "Okay. I'm here, and you can talk to me any time."
NOTHING_TO_ADD = "That's okay. You don't have to explain."
GOOD_NEWS = (
    "That's great to hear. Well done.",
    "Moments like this are worth remembering when things get hard.",
)
WELL_DONE = "That's worth celebrating."
CELEBRATE = "{Milestone}! That's a real milestone, and you got there one day at a time."
MILESTONE_NO_DATE = (
    "That's brilliant, well done. If you tell me the date you started, like sober since "
    "March the third, I'll count your days for you.",
)
DATE_SET = "I've noted your start date as {day}. That's {days}."
DATE_CONFIRM = (
    "I have your start date as {old}. Shall I change it to {new}?"
)
DATE_CHANGED = "Done. I'll count your days from {day}."
DATE_KEPT = "Okay, I'll keep the date I have."
DATE_YES_NO = "Sorry, shall I change the date? Please say yes or no."
HONESTY = (
    "Thank you for telling me that. It takes courage to say.",
    "Lots of people hide how much they drink or use. It usually comes from shame, not from "
    "being a bad person, and there's no judgement here.",
    "What do you think the hiding costs you?",
)
HONESTY_OFFER = (
    "Looking honestly at the costs and benefits can help. Would you like to do a cost "
    "benefit analysis together?"
)
HONESTY_NO = "That's okay. Saying it out loud was already a step."
ABOUT_SMART = (
    "SMART Recovery is a self help program for any addictive behaviour, based on science, "
    "and built on the power of choice.",
    "It has four points. One, building and keeping your motivation, with tools like the cost "
    "benefit analysis and your values.",
    "Two, coping with urges, with urge surfing, DEADS and DISARM.",
    "Three, managing thoughts, feelings and behaviours, with the A B C tool and "
    "unconditional self acceptance.",
    "And four, living a balanced life, with the lifestyle balance pie and a change plan.",
    "You can ask me for any of those tools by name.",
)
MODERATION = (
    "That's a fair question, and the choice is yours to make.",
    "SMART supports people who choose to stop, and it respects that you decide your own "
    "goal.",
    "A good way to look at it honestly is a cost benefit analysis of {doing}. Would you like "
    "to do one now?",
)
MODERATION_NO = "Okay. Whenever you want to weigh it up, just say cost benefit analysis."
WANT_TO_QUIT = (
    "That's a big decision, and it's yours. I'd like to help you build on it.",
    "What's the main reason you want to make this change?",
)
QUIT_OFFER = (
    "That's a strong reason. Would you like to make a change plan now, one small step at "
    "a time?"
)
QUIT_NO = (
    "Okay. Whenever you're ready, say make a change plan, or cost benefit analysis to weigh "
    "it up first."
)


def behaviour_word(focus: str) -> str:
    """The behaviour as a gerund for the wording here ("drinking", "using")."""
    return {"alcohol": "drinking", "smoking": "smoking", "gambling": "gambling"}.get(
        focus.strip().lower(), "using"
    )
