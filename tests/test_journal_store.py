"""The SQLite journal: schema migrations, every JournalPort method, file modes."""

from __future__ import annotations

import sqlite3
import stat
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from voice_coach.errors import JournalError
from voice_coach.journal import migrations
from voice_coach.journal.database import MissingJournalError
from voice_coach.journal.port import JournalPort, SessionStatus
from voice_coach.journal.store import Journal
from voice_coach.paths import resolve_paths

TZ = timezone(timedelta(hours=2))
NOW = datetime(2024, 5, 20, 21, 0, tzinfo=TZ)


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal.open(tmp_path / "data" / "journal.sqlite3") as opened:
        yield opened


def _tables(path: Path) -> set[str]:
    conn = sqlite3.connect(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    finally:
        conn.close()


def test_journal_satisfies_the_port(journal: Journal) -> None:
    port: JournalPort = journal  # mypy checks the signatures; this checks it at run time too
    for name in (
        "start_session",
        "end_session",
        "record_answer",
        "save_urge",
        "record_lapse",
        "latest_answers",
        "get_profile",
        "set_profile",
        "progress",
    ):
        assert callable(getattr(port, name))


def test_new_journal_gets_every_migration_each_recorded(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    Journal.open(path).close()
    assert {"sessions", "answers", "urges", "lapses", "profile", "_migrations"} <= _tables(path)
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT version, name FROM _migrations ORDER BY version").fetchall()
    mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    conn.close()
    assert rows == [(m.version, m.name) for m in migrations.MIGRATIONS]
    assert mode == "wal"


def test_older_journal_is_upgraded_and_keeps_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.apply(conn, path, upto=1)
    conn.execute(
        "INSERT INTO sessions (exercise, started_at, status) VALUES ('cba', ?, 'completed')",
        (NOW.isoformat(),),
    )
    conn.execute(
        "INSERT INTO answers (session_id, key, question, answer_text, created_at) "
        "VALUES (1, 'why', 'Why change?', 'For my kids', ?)",
        (NOW.isoformat(),),
    )
    conn.close()
    assert "urges" not in _tables(path)

    with Journal.open(path) as journal:
        assert journal.latest_answers("cba") == {"why": "For my kids"}
        journal.save_urge(1, NOW, intensity_before=6)  # a table added by a later migration
        assert journal.progress(NOW).urges_this_week == 1
    conn = sqlite3.connect(path)
    versions = [r[0] for r in conn.execute("SELECT version FROM _migrations ORDER BY version")]
    conn.close()
    assert versions == list(range(1, migrations.latest_version() + 1))


def test_a_failed_migration_leaves_nothing_half_done(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.apply(conn, path, upto=1)
    conn.execute("CREATE TABLE lapses (x)")  # step 2 makes `urges`, then fails on `lapses`
    with pytest.raises(sqlite3.OperationalError, match="lapses"):
        migrations.apply(conn, path)
    assert "urges" not in _tables(path)
    assert migrations.applied_versions(conn) == {1}
    conn.close()


def test_journal_from_a_newer_voice_coach_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    Journal.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO _migrations VALUES (99, 'm099_future', '2030-01-01T00:00:00+00:00')")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(JournalError, match="newer Voice Coach") as caught:
        Journal.open(path)
    assert str(path) in str(caught.value)
    assert "Upgrade" in str(caught.value)
    assert path.read_bytes() == before


def test_files_are_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VOICE_COACH_HOME", str(tmp_path / "home"))
    path = resolve_paths().journal_file
    with Journal.open(path) as journal:
        journal.set_profile("name", "Sam")  # a write, so the -wal file exists
        created = [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
        for file in created:
            assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_a_world_readable_journal_is_made_private_on_open(tmp_path: Path) -> None:
    path = tmp_path / "j.sqlite3"
    Journal.open(path).close()
    path.chmod(0o644)
    Journal.open(path).close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_sessions_and_answers(journal: Journal) -> None:
    first = journal.start_session("cost_benefit", NOW)
    second = journal.start_session("cost_benefit", NOW + timedelta(minutes=5))
    assert second != first
    journal.record_answer(first, "rating", "How strong, 0 to 10?", "seven", 7, NOW)
    journal.end_session(first, SessionStatus.COMPLETED, NOW + timedelta(minutes=3))
    dump = journal.snapshot()
    session = dump.session(first)
    assert session is not None
    assert session.status == "completed"
    assert session.ended_at == NOW + timedelta(minutes=3)
    assert session.started_at.utcoffset() == timedelta(hours=2)  # stored with its timezone
    assert session.answers[0].number == 7.0
    assert dump.session(second) is not None and dump.session(second).status == "active"  # type: ignore[union-attr]


def test_bad_session_ids_and_statuses_are_rejected(journal: Journal) -> None:
    with pytest.raises(ValueError, match="status"):
        journal.end_session(journal.start_session("x", NOW), "finished", NOW)
    with pytest.raises(ValueError, match="no session 42"):
        journal.end_session(42, SessionStatus.COMPLETED, NOW)
    with pytest.raises(ValueError):
        journal.record_answer(42, "k", "q", "a", None, NOW)  # foreign keys are on


def test_latest_answers_prefers_the_latest_completed_session(journal: Journal) -> None:
    assert journal.latest_answers("cost_benefit") == {}
    old = journal.start_session("cost_benefit", NOW - timedelta(days=2))
    journal.record_answer(old, "benefit", "Q", "old reason", None, NOW - timedelta(days=2))
    journal.end_session(old, SessionStatus.COMPLETED, NOW - timedelta(days=2))
    done = journal.start_session("cost_benefit", NOW - timedelta(days=1))
    journal.record_answer(done, "benefit", "Q", "first try", None, NOW - timedelta(days=1))
    journal.record_answer(done, "benefit", "Q", "said again", None, NOW - timedelta(days=1))
    journal.record_answer(done, "cost", "Q", "money 💸", None, NOW - timedelta(days=1))
    journal.end_session(done, SessionStatus.COMPLETED, NOW - timedelta(days=1))
    stopped = journal.start_session("cost_benefit", NOW)
    journal.record_answer(stopped, "benefit", "Q", "half-way", None, NOW)
    journal.end_session(stopped, SessionStatus.STOPPED, NOW)
    other = journal.start_session("evening_reflection", NOW)
    journal.record_answer(other, "benefit", "Q", "other exercise", None, NOW)
    journal.end_session(other, SessionStatus.COMPLETED, NOW)

    assert journal.latest_answers("cost_benefit") == {"benefit": "said again", "cost": "money 💸"}


def test_latest_answers_falls_back_to_a_stopped_session(journal: Journal) -> None:
    stopped = journal.start_session("cost_benefit", NOW - timedelta(days=1))
    journal.record_answer(stopped, "benefit", "Q", "it helps me sleep", None, NOW)
    journal.end_session(stopped, SessionStatus.STOPPED, NOW)
    empty = journal.start_session("cost_benefit", NOW)  # newer, but nothing was said
    journal.end_session(empty, SessionStatus.TIMED_OUT, NOW)
    assert journal.latest_answers("cost_benefit") == {"benefit": "it helps me sleep"}


def test_save_urge_creates_then_updates_only_given_fields(journal: Journal) -> None:
    session = journal.start_session("urge_surfing", NOW)
    journal.save_urge(session, NOW, intensity_before=8, trigger="payday", method="surfing")
    journal.save_urge(session, NOW + timedelta(minutes=10), intensity_after=3)
    journal.save_urge(session, NOW + timedelta(minutes=11), what_helped="a walk, tea ☕")
    (urge,) = journal.snapshot().urges
    assert (urge.intensity_before, urge.intensity_after) == (8, 3)
    assert (urge.trigger, urge.what_helped, urge.method) == ("payday", "a walk, tea ☕", "surfing")
    assert urge.at == NOW  # when the urge was logged, not when it was last updated


def test_record_lapse_resets_the_day_count_only_when_asked(journal: Journal) -> None:
    assert journal.progress(NOW).days_since_last_use is None
    journal.set_profile("sober_since", "2024-05-01")
    assert journal.progress(NOW).days_since_last_use == 19
    session = journal.start_session("lapse", NOW)
    journal.record_lapse(session, NOW - timedelta(days=4), reset_count=False)
    assert journal.progress(NOW).days_since_last_use == 19
    journal.record_lapse(session, NOW - timedelta(days=2), reset_count=True)
    assert journal.get_profile("sober_since") == "2024-05-18"
    assert journal.progress(NOW).days_since_last_use == 2
    assert [lapse.reset_count for lapse in journal.snapshot().lapses] == [False, True]


def test_profile_values_are_kept_and_replaced(journal: Journal) -> None:
    assert journal.get_profile("name") is None
    journal.set_profile("name", "Zoë")
    journal.set_profile("name", "Zoë 🌱")
    assert journal.get_profile("name") == "Zoë 🌱"


def test_progress_counts_this_week_against_last_week(journal: Journal) -> None:
    def urge(days_ago: float, before: int) -> None:
        at = NOW - timedelta(days=days_ago)
        journal.save_urge(journal.start_session("urge_surfing", at), at, intensity_before=before)

    urge(0.5, 6)
    urge(6.9, 4)
    urge(8, 9)
    urge(13, 7)
    urge(20, 1)  # older than two weeks: in neither week
    # Near the week boundary (NOW - 7 days = 19:00 UTC) in other timezones: compared as
    # text these two would land in the wrong weeks; compared as instants they do not.
    inside = datetime(2024, 5, 13, 20, 30, tzinfo=UTC)
    outside = datetime(2024, 5, 13, 22, 0, tzinfo=timezone(timedelta(hours=5)))
    for at in (inside, outside):
        journal.save_urge(journal.start_session("urge_surfing", at), at)

    for days_ago, exercise, status in (
        (1, "evening_reflection", SessionStatus.COMPLETED),
        (2, "evening_reflection", SessionStatus.STOPPED),
        (10, "evening_reflection", SessionStatus.COMPLETED),
        (3, "deads", SessionStatus.COMPLETED),
    ):
        at = NOW - timedelta(days=days_ago)
        journal.end_session(journal.start_session(exercise, at), status, at)

    stats = journal.progress(NOW)
    assert stats.urges_this_week == 3
    assert stats.average_intensity_this_week == 5.0  # the urge with no intensity is not averaged
    assert stats.average_intensity_last_week == 8.0
    assert stats.exercises_done == 3
    assert stats.exercises_this_week == 2
    assert stats.reflections_kept == 2


def test_progress_of_an_empty_journal(journal: Journal) -> None:
    stats = journal.progress(NOW)
    assert stats.urges_this_week == 0
    assert stats.average_intensity_this_week is None
    assert stats.average_intensity_last_week is None
    assert (stats.exercises_done, stats.exercises_this_week, stats.reflections_kept) == (0, 0, 0)


def test_journal_can_be_used_from_another_thread(journal: Journal) -> None:
    session = journal.start_session("breathing", NOW)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for i in range(20):
                journal.record_answer(session, f"k{i}", "Q", str(i), None, NOW)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(journal.snapshot().sessions[0].answers) == 60


def test_open_without_create_does_not_make_a_file(tmp_path: Path) -> None:
    path = tmp_path / "none" / "j.sqlite3"
    with pytest.raises(MissingJournalError, match=str(path)):
        Journal.open(path, create=False)
    assert not path.parent.exists()


def test_naive_times_are_stored_as_local_time_with_offset(journal: Journal) -> None:
    naive = datetime(2024, 5, 20, 12, 0)
    session = journal.start_session("x", naive)
    stored = journal.snapshot().session(session)
    assert stored is not None
    assert stored.started_at.tzinfo is not None
    assert stored.started_at == naive.astimezone()


def test_progress_counts_unfinished_exercises_the_same_on_file_and_in_memory(
    journal: Journal,
) -> None:
    """A stopped exercise with answers is work done together; one with no answer is not."""
    def fill(port: JournalPort) -> None:
        stopped = port.start_session("urge_help", NOW)
        port.record_answer(stopped, "intensity_before", "How strong?", "8", 8, NOW)
        port.end_session(stopped, SessionStatus.STOPPED, NOW)
        empty = port.start_session("breathing", NOW)
        port.end_session(empty, SessionStatus.STOPPED, NOW)
        done = port.start_session("deads", NOW)
        port.record_answer(done, "choice", "Which?", "walk", None, NOW)
        port.end_session(done, SessionStatus.COMPLETED, NOW)
        port.start_session("disarm", NOW)  # still active

    memory = Journal.in_memory()
    fill(journal)
    fill(memory)
    assert journal.progress(NOW).exercises_unfinished == 1
    assert journal.progress(NOW) == memory.progress(NOW)


def test_without_voice_coach_home_the_xdg_folders_are_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VOICE_COACH_HOME", raising=False)
    for name in ("CONFIG", "DATA", "CACHE"):
        monkeypatch.setenv(f"XDG_{name}_HOME", str(tmp_path / name.lower()))
    paths = resolve_paths()
    assert paths.config_file == tmp_path / "config" / "voice-coach" / "config.toml"
    assert paths.journal_file == tmp_path / "data" / "voice-coach" / "journal.sqlite3"
    assert paths.cache_dir == tmp_path / "cache" / "voice-coach"
    assert resolve_paths(tmp_path / "mine").journal_file == tmp_path / "mine" / "journal.sqlite3"
