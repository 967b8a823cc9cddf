"""Looking back at the urge log: the spoken review of the person's own urges.

SMART's urge log "becomes a road map that will help you anticipate situations and
emotions that may trigger urges" once there are a few entries, and it shows "that
urges are time-limited" and "often arrive at particular times and in particular
situations" (smartrecovery.org/urge-log; smartrecoveryaustralia.com.au/use-urge-log).
So the review says, in plain words: how many urges, the most common triggers, the
time of day they come, what helped most, and how far they came down on average.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from voice_coach.exercises.wording import join_words
from voice_coach.journal.port import JournalPort, UrgeEntry
from voice_coach.number_words import count
from voice_coach.understanding.readback import read_back as said

REVIEW_DAYS = 30
NONE_YET = (
    "There are no urges in your log from the last month. When one comes, say I'm having an "
    "urge, and we'll log it together."
)
COUNT_LINE = "You've logged {urges} in the last month."
TRIGGERS_LINE = "What set them off most often: {triggers}."
RECENT_TRIGGERS_LINE = "Recent triggers you named: {triggers}."
TIME_LINE = "Most of them came in the {part}."
HELPED_LINE = "What helped most often: {method}."
DROP_LINE = "On average, an urge came down by {points} by the end."
HELD_LINE = "On average they held steady, and each one was an urge you rode out."
CLOSING = "Knowing your pattern helps you plan ahead for it."
METHOD_NAMES = {"surfing": "urge surfing", "deads": "DEADS", "disarm": "DISARM"}


def _part_of_day(hour: int) -> str:
    if 5 <= hour < 12:
        return "morning"
    if 12 <= hour < 17:
        return "afternoon"
    if 17 <= hour < 22:
        return "evening"
    return "night"


def review_lines(urges: list[UrgeEntry]) -> list[str]:
    """The spoken review of these urge entries (most telling facts first)."""
    if not urges:
        return [NONE_YET]
    n_urges = len(urges)
    lines = [COUNT_LINE.format(
        urges=count(n_urges, "urge")
    )]
    triggers = Counter(
        text.lower() for text in (said(u.trigger) for u in urges) if text
    )
    repeated = [trigger for trigger, n in triggers.most_common(2) if n > 1]
    if repeated:
        lines.append(TRIGGERS_LINE.format(triggers=join_words(repeated)))
    elif triggers:
        recent = [t for t in (said(u.trigger) for u in reversed(urges)) if t][:2]
        lines.append(RECENT_TRIGGERS_LINE.format(triggers=join_words(recent)))
    parts = Counter(_part_of_day(u.at.hour) for u in urges)
    part, n = parts.most_common(1)[0]
    if len(urges) >= 2 and n > len(urges) / 2:
        lines.append(TIME_LINE.format(part=part))
    helped = Counter(u.method for u in urges if u.what_helped and u.method)
    if helped:
        method = helped.most_common(1)[0][0]
        lines.append(HELPED_LINE.format(method=METHOD_NAMES.get(method, method)))
    drops = [
        u.intensity_before - u.intensity_after for u in urges
        if u.intensity_before is not None and u.intensity_after is not None
    ]
    if drops:
        average = round(sum(drops) / len(drops))
        if average > 0:
            points = count(average, "point")
            lines.append(DROP_LINE.format(points=points))
        else:
            lines.append(HELD_LINE)
    lines.append(CLOSING)
    return lines


def urge_review(journal: JournalPort, now: datetime) -> tuple[str, ...]:
    """The review of the last month's urges, as spoken lines."""
    return tuple(review_lines(journal.urges_since(now - timedelta(days=REVIEW_DAYS))))
