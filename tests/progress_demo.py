"""A demo journal: five weeks of urges, check-ins and reflections, written through `Journal`.

Used for the README screenshot and the report's figure checks. Dates are fixed
relative to `now`, so every figure on the page can be computed by hand.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from voice_coach.journal.port import SOBER_SINCE, SessionStatus
from voice_coach.journal.store import Journal

URGES = [
    # (days ago, hour, before, after, trigger)
    (33, 22, 9, 6, "a fight with my brother"),
    (30, 19, 8, 5, "payday"),
    (26, 23, 8, 4, "a fight with my brother"),
    (22, 18, 7, 4, "stress at work"),
    (19, 21, 7, 3, "stress at work"),
    (15, 13, 6, 3, "payday"),
    (11, 20, 6, 2, "stress at work"),
    (6, 9, 5, 2, "feeling lonely"),
    (2, 20, 4, 1, "stress at work"),
]
CHECK_INS = [
    # (days ago, mood, sleep)
    (32, 3, 4), (27, 4, 4), (21, 5, 5), (16, 6, 6), (10, 6, 7), (5, 7, 7), (1, 8, 8),
]
REFLECTIONS = [
    (20, "I called my sister instead of going to the bar"),
    (9, "I went for a long walk when the craving hit and it passed"),
    (3, "I am proud that I told my friend the truth about how I feel"),
]
SOBER_DAYS = 34


def make_demo_journal(path: Path, now: datetime) -> None:
    journal = Journal.open(path)
    try:
        journal.set_profile("first_run_done", (now - timedelta(days=40)).isoformat())
        journal.set_profile("name", "Sam")
        journal.set_profile(SOBER_SINCE, (now - timedelta(days=SOBER_DAYS)).date().isoformat())
        for days, hour, before, after, trigger in URGES:
            at = (now - timedelta(days=days)).replace(hour=hour, minute=5, second=0)
            sid = journal.start_session("urge_help", at)
            journal.record_answer(sid, "intensity_before", "How strong?", str(before),
                                  before, at)
            journal.record_answer(sid, "trigger", "What set it off?", trigger, None, at)
            journal.save_urge(sid, at, intensity_before=before, trigger=trigger,
                              method="surfing")
            journal.save_urge(sid, at, intensity_after=after, what_helped="breathing")
            journal.end_session(sid, SessionStatus.COMPLETED, at + timedelta(minutes=12))
        for days, mood, sleep in CHECK_INS:
            at = (now - timedelta(days=days)).replace(hour=8, minute=30, second=0)
            sid = journal.start_session("check_in", at)
            journal.record_answer(sid, "mood", "How is your mood?", str(mood), mood, at)
            journal.record_answer(sid, "sleep", "How did you sleep?", str(sleep), sleep, at)
            journal.end_session(sid, SessionStatus.COMPLETED, at + timedelta(minutes=2))
        for days, words in REFLECTIONS:
            at = (now - timedelta(days=days)).replace(hour=21, minute=15, second=0)
            sid = journal.start_session("evening_reflection", at)
            journal.record_answer(sid, "went_well", "What went well today?", words, None, at)
            journal.end_session(sid, SessionStatus.COMPLETED, at + timedelta(minutes=5))
    finally:
        journal.close()
