"""Exports and the summary, from a real journal: what a person (or their counsellor) reads."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from voice_coach.journal import export
from voice_coach.journal.port import SessionStatus
from voice_coach.journal.records import JournalDump
from voice_coach.journal.store import Journal
from voice_coach.journal.summary import summarize

TZ = timezone(timedelta(hours=-5))
DAY1 = datetime(2024, 5, 18, 20, 30, tzinfo=TZ)
DAY2 = datetime(2024, 5, 19, 9, 15, tzinfo=TZ)
EXPORTED = datetime(2024, 5, 20, 8, 0, tzinfo=TZ)
TRICKY = 'I said "no" 🙅, then: # not a heading\n- not a list, *not bold*, 1, 2, 3'


def fill(journal: Journal) -> None:
    cba = journal.start_session("cost_benefit", DAY1)
    journal.record_answer(cba, "benefit", "What do you get from drinking?", TRICKY, None, DAY1)
    journal.record_answer(cba, "rating", "How important, 0 to 10?", "eight", 8, DAY1)
    journal.end_session(cba, SessionStatus.STOPPED, DAY1 + timedelta(minutes=4))
    surf = journal.start_session("urge_surfing", DAY2)
    journal.save_urge(surf, DAY2, intensity_before=8, trigger="after work, café", method="surfing")
    journal.save_urge(surf, DAY2, intensity_after=3, what_helped="breathing")
    journal.end_session(surf, SessionStatus.COMPLETED, DAY2 + timedelta(minutes=10))
    evening = journal.start_session("evening_reflection", DAY2 + timedelta(hours=12))
    journal.record_answer(evening, "went_well", "What went well today?", "Rang Zoë ☎️", None, DAY2)
    journal.end_session(evening, SessionStatus.COMPLETED, DAY2 + timedelta(hours=12, minutes=5))
    journal.record_lapse(evening, DAY1 - timedelta(days=3), reset_count=True)
    journal.set_profile("name", "Sam")


@pytest.fixture
def dump(tmp_path: Path) -> JournalDump:
    with Journal.open(tmp_path / "journal.sqlite3") as journal:
        fill(journal)
        return journal.snapshot()


def test_json_holds_everything(dump: JournalDump) -> None:
    data = json.loads(export.to_json(dump, EXPORTED))
    assert data["format"] == "voice-coach-journal"
    assert [s["exercise"] for s in data["sessions"]] == [
        "cost_benefit",
        "urge_surfing",
        "evening_reflection",
    ]
    cba = data["sessions"][0]
    assert cba["status"] == "stopped"
    assert cba["started_at"] == "2024-05-18T20:30:00-05:00"
    assert [(a["key"], a["text"], a["number"]) for a in cba["answers"]] == [
        ("benefit", TRICKY, None),
        ("rating", "eight", 8.0),
    ]
    assert cba["answers"][0]["question"] == "What do you get from drinking?"
    assert data["urges"][0] | {"id": 0} == {
        "id": 0,
        "session_id": 2,
        "at": "2024-05-19T09:15:00-05:00",
        "intensity_before": 8,
        "intensity_after": 3,
        "trigger": "after work, café",
        "what_helped": "breathing",
        "method": "surfing",
    }
    assert data["lapses"][0]["reset_count"] is True
    assert data["profile"] == {"name": "Sam", "sober_since": "2024-05-15"}


def test_json_keeps_non_ascii_readable(dump: JournalDump) -> None:
    text = export.to_json(dump, EXPORTED)
    assert "Rang Zoë ☎️" in text  # not \u escapes: the file is readable as it is


def test_csv_has_one_row_per_answer_with_its_session(dump: JournalDump) -> None:
    rows = list(csv.DictReader(io.StringIO(export.to_csv(dump))))
    assert [(r["exercise"], r["key"], r["answer_text"]) for r in rows] == [
        ("cost_benefit", "benefit", TRICKY),
        ("cost_benefit", "rating", "eight"),
        ("evening_reflection", "went_well", "Rang Zoë ☎️"),
    ]
    assert rows[0]["session_status"] == "stopped"
    assert rows[0]["session_started_at"] == "2024-05-18T20:30:00-05:00"
    assert (rows[0]["answer_number"], rows[1]["answer_number"]) == ("", "8.0")
    assert rows[2]["question"] == "What went well today?"


def test_csv_urges_table(dump: JournalDump) -> None:
    (row,) = list(csv.DictReader(io.StringIO(export.to_csv(dump, "urges"))))
    assert row["exercise"] == "urge_surfing"
    assert (row["intensity_before"], row["intensity_after"]) == ("8", "3")
    assert row["trigger"] == "after work, café"


def test_csv_lapses_and_sessions_tables(dump: JournalDump) -> None:
    lapses = list(csv.DictReader(io.StringIO(export.to_csv(dump, "lapses"))))
    sessions = list(csv.DictReader(io.StringIO(export.to_csv(dump, "sessions"))))
    assert [r["reset_count"] for r in lapses] == ["1"]
    assert [(r["exercise"], r["answers"]) for r in sessions] == [
        ("cost_benefit", "2"),
        ("urge_surfing", "0"),
        ("evening_reflection", "1"),
    ]


def test_markdown_is_grouped_by_day_with_questions_and_answers(dump: JournalDump) -> None:
    text = export.to_markdown(dump, EXPORTED)
    days = [line for line in text.splitlines() if line.startswith("## ")]
    assert days == ["## Wednesday 15 May 2024", "## Saturday 18 May 2024", "## Sunday 19 May 2024"]
    saturday = text.split("## Saturday 18 May 2024")[1].split("## Sunday")[0]
    assert "### 20:30 · Cost benefit (stopped)" in saturday
    assert "**What do you get from drinking?**" in saturday
    assert "> Rang Zoë ☎️" in text
    sunday = text.split("## Sunday 19 May 2024")[1]
    assert sunday.index("Urge surfing") < sunday.index("Evening reflection")
    assert "intensity 8 → 3" in sunday
    assert "A lapse was noted." in text


def test_markdown_does_not_let_answers_become_headings_or_lists(dump: JournalDump) -> None:
    text = export.to_markdown(dump, EXPORTED)
    assert '> I said "no" 🙅, then: # not a heading' in text
    assert "> \\- not a list, \\*not bold\\*, 1, 2, 3" in text
    assert not any(line.startswith(("- not", "# not")) for line in text.splitlines())


def test_empty_journal_exports(tmp_path: Path) -> None:
    empty = JournalDump()
    assert json.loads(export.to_json(empty, EXPORTED))["sessions"] == []
    assert export.to_csv(empty).splitlines() == [
        "session_id,exercise,session_started_at,session_status,answered_at,key,question,"
        "answer_text,answer_number"
    ]
    assert "Nothing has been recorded yet" in export.to_markdown(empty, EXPORTED)


def test_summary(dump: JournalDump) -> None:
    text = summarize(dump, EXPORTED)
    assert "Journal from 15 May 2024 to 19 May 2024." in text
    assert "3 sessions, 2 completed:" in text
    assert "Cost benefit: 1 (0 completed)" in text
    assert "Urges logged: 1; average intensity before 8.0, after 3.0" in text
    assert "Evening reflections kept: 1." in text
    assert "Days since last use: 5 (since 15 May 2024)." in text


def test_summary_of_an_empty_journal() -> None:
    assert "nothing has been recorded" in summarize(JournalDump(), EXPORTED)
