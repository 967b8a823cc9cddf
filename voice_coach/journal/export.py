"""The journal as JSON (complete, for programs), CSV (for spreadsheets) or Markdown (for people).

Pure functions of a `JournalDump`. The Markdown is what someone might print
or share with a counsellor: grouped by day, each question followed by the
answer, in the words the person used.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime
from typing import Any

from voice_coach.journal.records import JournalDump, LapseRecord, SessionRecord, UrgeRecord

FORMATS = ("json", "csv", "md")

CSV_TABLES = ("answers", "urges", "lapses", "sessions")
"""CSV is one table per file: answers by default; `--table urges` etc. for the others."""

FORMAT_NAME = "voice-coach-journal"
FORMAT_VERSION = 1


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat(timespec="seconds")


def to_json(dump: JournalDump, exported_at: datetime) -> str:
    """One object: sessions (each with its answers), urges, lapses and profile."""
    data: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": _iso(exported_at),
        "sessions": [
            {
                "id": s.id,
                "exercise": s.exercise,
                "started_at": _iso(s.started_at),
                "ended_at": _iso(s.ended_at),
                "status": s.status,
                "answers": [
                    {
                        "key": a.key,
                        "question": a.question,
                        "text": a.text,
                        "number": a.number,
                        "at": _iso(a.at),
                    }
                    for a in s.answers
                ],
            }
            for s in dump.sessions
        ],
        "urges": [
            {
                "id": u.id,
                "session_id": u.session_id,
                "at": _iso(u.at),
                "intensity_before": u.intensity_before,
                "intensity_after": u.intensity_after,
                "trigger": u.trigger,
                "what_helped": u.what_helped,
                "method": u.method,
            }
            for u in dump.urges
        ],
        "lapses": [
            {"id": x.id, "session_id": x.session_id, "at": _iso(x.at), "reset_count": x.reset_count}
            for x in dump.lapses
        ],
        "profile": dict(sorted(dump.profile.items())),
    }
    if dump.warnings:
        data["warnings"] = list(dump.warnings)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _csv_rows(dump: JournalDump, table: str) -> tuple[list[str], list[list[Any]]]:
    if table == "answers":
        header = [
            "session_id",
            "exercise",
            "session_started_at",
            "session_status",
            "answered_at",
            "key",
            "question",
            "answer_text",
            "answer_number",
        ]
        rows = [
            [
                s.id,
                s.exercise,
                _iso(s.started_at),
                s.status,
                _iso(a.at),
                a.key,
                a.question,
                a.text,
                "" if a.number is None else a.number,
            ]
            for s in dump.sessions
            for a in s.answers
        ]
    elif table == "urges":
        header = [
            "session_id",
            "exercise",
            "at",
            "intensity_before",
            "intensity_after",
            "trigger",
            "what_helped",
            "method",
        ]
        rows = [
            [
                u.session_id,
                _exercise_of(dump, u.session_id),
                _iso(u.at),
                u.intensity_before,
                u.intensity_after,
                u.trigger,
                u.what_helped,
                u.method,
            ]
            for u in dump.urges
        ]
    elif table == "lapses":
        header = ["session_id", "at", "reset_count"]
        rows = [[x.session_id, _iso(x.at), int(x.reset_count)] for x in dump.lapses]
    elif table == "sessions":
        header = ["session_id", "exercise", "started_at", "ended_at", "status", "answers"]
        rows = [
            [s.id, s.exercise, _iso(s.started_at), _iso(s.ended_at), s.status, len(s.answers)]
            for s in dump.sessions
        ]
    else:
        raise ValueError(f"Unknown CSV table {table!r}; choose from {', '.join(CSV_TABLES)}")
    return header, [["" if cell is None else cell for cell in row] for row in rows]


def _exercise_of(dump: JournalDump, session_id: int | None) -> str:
    session = dump.session(session_id) if session_id is not None else None
    return session.exercise if session else ""


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is run as a formula by spreadsheets (OWASP, CSV injection)."""


def csv_safe(cell: Any) -> Any:
    """A text cell that a spreadsheet shows as text: a leading formula character gets a `'`.

    OWASP's CSV-injection advice: prefix such cells with a single quote (Excel,
    LibreOffice and Google Sheets then show the text and never evaluate it).
    Numbers stay numbers, so a rating of -1 is not touched.
    """
    if isinstance(cell, str) and cell.startswith(FORMULA_PREFIXES):
        return "'" + cell
    return cell


def to_csv(dump: JournalDump, table: str = "answers") -> str:
    """One table as CSV with a header row (answers: one row per answer, with its session)."""
    header, rows = _csv_rows(dump, table)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180; a CR in a cell is quoted too
    writer.writerow(header)
    writer.writerows([csv_safe(cell) for cell in row] for row in rows)
    return out.getvalue()


def exercise_title(name: str) -> str:
    """Turn an exercise name into a heading: "evening_reflection" -> "Evening reflection"."""
    text = name.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


_SPECIAL = re.compile(r"([\\`*_\[\]<>|~])")
_LINE_START = re.compile(r"^(\s*)([#+\-=]|\d+[.)])", re.MULTILINE)


def md_escape(text: str) -> str:
    """Keep a person's words as words: nothing they said becomes a heading, link, list,
    code fence (``` or ~~~, every backtick and tilde is escaped) or entity (& is &amp;)."""
    escaped = _SPECIAL.sub(r"\\\1", text.replace("&", "&amp;"))
    return _LINE_START.sub(lambda m: m[1] + "\\" + m[2], escaped)


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in md_escape(text).splitlines() or [""])


def _urge_line(urge: UrgeRecord) -> str:
    parts = [f"**{urge.at:%H:%M} · Urge logged**"]
    if urge.intensity_before is not None or urge.intensity_after is not None:
        before = "?" if urge.intensity_before is None else urge.intensity_before
        after = "?" if urge.intensity_after is None else urge.intensity_after
        parts.append(f"intensity {before} → {after} (out of 10)")
    for label, value in (
        ("trigger", urge.trigger),
        ("what helped", urge.what_helped),
        ("method", urge.method),
    ):
        if value:
            parts.append(f"{label}: {md_escape(value)}")
    return "- " + "; ".join(parts)


def _lapse_line(lapse: LapseRecord) -> str:
    restart = " The day count started again." if lapse.reset_count else ""
    return f"- **{lapse.at:%H:%M} · A lapse was noted.**{restart}"


def _session_block(session: SessionRecord, urge: UrgeRecord | None) -> list[str]:
    status = "" if session.status == "completed" else f" ({session.status.replace('_', ' ')})"
    lines = [f"### {session.started_at:%H:%M} · {exercise_title(session.exercise)}{status}", ""]
    for answer in session.answers:
        lines += [f"**{md_escape(answer.question)}**", "", _quote(answer.text), ""]
    if urge is not None:
        lines += [_urge_line(urge), ""]
    elif not session.answers:
        lines += ["_No answers recorded._", ""]
    return lines


def to_markdown(dump: JournalDump, exported_at: datetime) -> str:
    """A readable journal: one section per day, sessions with their questions and answers.

    An urge is shown inside the session that logged it; lapses (and urges whose
    session could not be read) stand on their own at their time of day.
    """
    urges = {urge.session_id: urge for urge in dump.urges}
    days: dict[date, list[tuple[datetime, list[str]]]] = {}
    for session in dump.sessions:
        days.setdefault(session.started_at.date(), []).append(
            (session.started_at, _session_block(session, urges.pop(session.id, None)))
        )
    for urge in urges.values():
        days.setdefault(urge.at.date(), []).append((urge.at, [_urge_line(urge), ""]))
    for lapse in dump.lapses:
        days.setdefault(lapse.at.date(), []).append((lapse.at, [_lapse_line(lapse), ""]))
    lines = [
        "# Voice Coach journal",
        "",
        f"Exported {exported_at:%A %d %B %Y at %H:%M}. Kept privately on this device.",
        "",
    ]
    if dump.warnings:
        lines += [
            "_This export was salvaged from a damaged journal; some entries may be missing._",
            "",
        ]
    if not days:
        lines += ["_Nothing has been recorded yet._", ""]
    for day in sorted(days):
        lines += [f"## {day:%A %d %B %Y}", ""]
        for _, block in sorted(days[day], key=lambda item: item[0]):
            lines += block
    return "\n".join(lines).rstrip("\n") + "\n"


def render(dump: JournalDump, fmt: str, exported_at: datetime, table: str = "answers") -> str:
    """The export in `fmt` ("json", "csv" or "md")."""
    if fmt == "json":
        return to_json(dump, exported_at)
    if fmt == "csv":
        return to_csv(dump, table)
    if fmt == "md":
        return to_markdown(dump, exported_at)
    raise ValueError(f"Unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
