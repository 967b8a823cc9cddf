"""The progress page (`journal report`, `journal serve`) in a real browser: headless Chromium.

Journals come from a scripted `voice-coach chat --fast` session (what a person
would really have) or from the five-week demo journal (`progress_demo`).
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from browser import dump_dom, screenshot
from chart_reader import read_chart
from conftest import REPO, run_cli
from progress_demo import SOBER_DAYS, URGES, make_demo_journal

from voice_coach.journal.figures import compute
from voice_coach.journal.store import Journal

SCREENSHOT = REPO / "docs" / "progress-page.png"

CHAT = [
    "I really need a drink right now", "eight", "my brother called and we argued",
    "I keep thinking one drink won't hurt", "surfing", "seven", "six", "five", "four",
    "three", "going for a walk helped", "let's do a check in", "six", "two", "seven",
]


@pytest.fixture
def chatted(named_home: Path) -> Path:
    said = run_cli("chat", "--fast", input="\n".join(CHAT) + "\n", home=named_home)
    assert said.returncode == 0, said.stderr
    return named_home


@pytest.fixture
def demo_home(named_home: Path) -> Path:
    make_demo_journal(named_home / "data" / "journal.sqlite3", datetime.now().astimezone())
    return named_home


def journal_file(home: Path) -> Path:
    located = run_cli("journal", "path", home=home)
    return Path(located.stdout.strip())


def report(home: Path, tmp_path: Path) -> Path:
    out = tmp_path / "report.html"
    made = run_cli("journal", "report", "--out", str(out), home=home)
    assert made.returncode == 0, made.stderr
    return out


def test_report_of_a_chat_session_shows_what_was_entered(chatted: Path, tmp_path: Path) -> None:
    out = report(chatted, tmp_path)
    assert (out.stat().st_mode & 0o777) == 0o600
    dom, outside = dump_dom(out.as_uri())
    assert outside == []
    today = f"{datetime.now():%d %b}"
    urges = read_chart(dom, "urge-intensity")
    assert urges.series == {0: ["8"], 1: ["3"]} and urges.x_labels == [today]
    triggers = read_chart(dom, "urge-triggers")
    assert triggers.y_labels == ["my brother called and we argued"]
    assert triggers.series == {0: ["1"]}
    mood_sleep = read_chart(dom, "mood-sleep")
    assert mood_sleep.series == {0: ["6"], 1: ["7"]}
    done = read_chart(dom, "exercises")
    assert sorted(zip(done.y_labels, done.series[0], strict=True)) == [
        ("Check in", "1"), ("Urge help", "1")]
    # The person's own words are on the page, as they said them.
    assert "I keep thinking one drink won" in dom


def test_the_page_and_the_spoken_summary_agree(demo_home: Path, tmp_path: Path) -> None:
    dom, _ = dump_dom(report(demo_home, tmp_path).as_uri())
    summary = run_cli("journal", "summary", home=demo_home).stdout
    before = re.search(r"average intensity before ([\d.]+), after ([\d.]+)", summary)
    assert before is not None
    figure = dict(re.findall(r'data-figure="([\w-]+)"><b>([^<]+)</b>', dom))
    assert (figure["average-before"], figure["average-after"]) == before.groups()
    assert f"Urges logged: {figure['urges']};" in summary
    assert f"Days since last use: {SOBER_DAYS} " in summary
    assert f'data-days="{SOBER_DAYS}"' in dom


def test_demo_journal_charts_weeks_triggers_times_and_milestones(
    demo_home: Path, tmp_path: Path
) -> None:
    dom, outside = dump_dom(report(demo_home, tmp_path).as_uri())
    assert outside == []
    intensity = read_chart(dom, "urge-intensity")
    assert intensity.series[0] == [str(u[2]) for u in URGES]
    assert intensity.series[1] == [str(u[3]) for u in URGES]
    per_week = read_chart(dom, "urges-per-week")
    assert sum(int(v) for v in per_week.series[0]) == len(URGES)
    times = read_chart(dom, "urge-time-of-day")
    assert times.x_labels == ["Night", "Morning", "Afternoon", "Evening"]
    expected = [sum(1 for u in URGES if lo <= u[1] < hi) for lo, hi in ((0, 6), (6, 12),
                                                                       (12, 18), (18, 24))]
    assert times.series[0] == [str(n) for n in expected]
    triggers = read_chart(dom, "urge-triggers")
    assert dict(zip(triggers.y_labels, triggers.series[0], strict=True))["stress at work"] == "4"
    assert re.findall(r'class="badge">(\d+) days?<', dom) == ["1", "7", "14", "30"]
    assert "next: 60 days" in dom


def test_the_screenshot_in_the_readme_comes_from_the_demo_journal(
    demo_home: Path, tmp_path: Path
) -> None:
    shot = tmp_path / "progress.png"
    outside = screenshot(report(demo_home, tmp_path).as_uri(), shot, height=2600)
    assert outside == []
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000
    if os.environ.get("VOICE_COACH_UPDATE_SCREENSHOT"):
        SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(shot, SCREENSHOT)
    assert SCREENSHOT.is_file(), "run with VOICE_COACH_UPDATE_SCREENSHOT=1 to make it"


def test_an_empty_journal_says_so(named_home: Path, tmp_path: Path) -> None:
    dom, outside = dump_dom(report(named_home, tmp_path).as_uri())
    assert "Nothing is recorded yet" in dom and outside == []


# ----- journal serve --------------------------------------------------------------


class Page:
    def __init__(self, process: subprocess.Popen[str], url: str) -> None:
        self.process = process
        self.url = url
        match = re.match(r"http://([\d.]+):(\d+)/\?token=(\S+)", url)
        assert match, url
        self.host, self.port, self.token = match.group(1), int(match.group(2)), match.group(3)

    def request(self, method: str, path: str, headers: dict[str, str] | None = None
                ) -> http.client.HTTPResponse:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        conn.request(method, path, headers=headers or {})
        return conn.getresponse()

    def cookie(self) -> str:
        response = self.request("GET", f"/?token={self.token}")
        assert response.status == 303
        return response.getheader("Set-Cookie", "").split(";")[0]


def serve_page(home: Path, *extra: str) -> Page:
    env = dict(os.environ, VOICE_COACH_HOME=str(home), PYTHONPATH=str(REPO))
    process = subprocess.Popen(
        [sys.executable, "-m", "voice_coach", "journal", "serve", "--port", "0", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    assert "Your progress page: " in line, process.stderr.read() if process.stderr else ""
    return Page(process, line.split("Your progress page: ", 1)[1].strip())


@pytest.fixture
def page(chatted: Path) -> Iterator[Page]:
    served = serve_page(chatted)
    yield served
    served.process.terminate()
    served.process.wait(timeout=20)


def test_served_page_in_the_browser_shows_the_charts(page: Page) -> None:
    dom, outside = dump_dom(page.url)
    assert outside == []
    assert read_chart(dom, "urge-intensity").series == {0: ["8"], 1: ["3"]}
    assert "exportJournal()" in dom and "deleteJournal()" in dom


def test_served_page_needs_its_token(page: Page) -> None:
    assert page.host == "127.0.0.1"
    assert page.request("GET", "/").status == 403
    assert page.request("GET", "/?token=wrong").status == 403
    assert page.request("GET", "/version").status == 403
    dom, _ = dump_dom(f"http://127.0.0.1:{page.port}/")
    assert "needs its access token" in dom and "urge-intensity" not in dom
    cookie = page.cookie()
    assert page.request("GET", "/", {"Cookie": cookie}).status == 200


def test_lan_needs_the_flag_and_the_token(chatted: Path) -> None:
    served = serve_page(chatted, "--lan")
    try:
        listening = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True).stdout
        assert any(line.split()[3] == f"0.0.0.0:{served.port}"
                   for line in listening.splitlines())
        assert served.request("GET", "/").status == 403
        assert served.request("GET", "/progress").status == 403
        assert served.request("GET", "/", {"Cookie": served.cookie()}).status == 200
    finally:
        served.process.terminate()
        served.process.wait(timeout=20)


def test_live_updates_follow_the_journal(page: Page, chatted: Path) -> None:
    cookie = {"Cookie": page.cookie()}
    before = json.loads(page.request("GET", "/version", cookie).read())["version"]
    said = run_cli("chat", "--fast", input="let's do a check in\nthree\nfive\nfour\n",
                   home=chatted)
    assert said.returncode == 0
    after = json.loads(page.request("GET", "/version", cookie).read())["version"]
    assert after != before
    fragment = page.request("GET", "/progress", cookie).read().decode()
    mood = read_chart(fragment, "mood-sleep").series[0]
    assert sorted(mood) == ["3", "6"]  # the new check-in's mood is on the page


def test_export_and_delete_need_the_page_and_ask_first(page: Page, chatted: Path) -> None:
    cookie = page.cookie()
    # Another site cannot post (no token header); even with the cookie it needs the header.
    assert page.request("POST", "/export").status == 403
    assert page.request("POST", "/delete", {"Cookie": cookie}).status == 403
    token = {"Cookie": cookie, "X-Voice-Coach-Token": page.token}
    exported = json.loads(page.request("POST", "/export", token).read())
    assert exported["urges"][0]["trigger"] == "my brother called and we argued"
    dom = page.request("GET", "/", {"Cookie": cookie}).read().decode()
    assert "confirm(" in dom and "Type delete to confirm" in dom
    file = journal_file(chatted)
    assert file.exists()
    deleted = page.request("POST", "/delete", token)
    assert deleted.status == 200 and b"deleted" in deleted.read()
    assert not file.exists()
    assert "Nothing is recorded yet" in page.request("GET", "/progress",
                                                     {"Cookie": cookie}).read().decode()


def test_figures_module_is_what_both_use(demo_home: Path) -> None:
    with Journal.open(journal_file(demo_home), create=False) as journal:
        figures = compute(journal.snapshot(), datetime.now().astimezone())
    assert len(figures.urges) == len(URGES)
    assert figures.streak.days == SOBER_DAYS and figures.streak.next == 60


def test_in_the_browser_delete_asks_first_and_the_page_follows_the_journal(
    page: Page, chatted: Path
) -> None:
    from cdp import open_page

    file = journal_file(chatted)
    with open_page(page.url) as browser_page:
        browser_page.wait_until("document.getElementById('urge-intensity') !== null")
        # Live: a check-in made meanwhile appears without reloading.
        said = run_cli("chat", "--fast", input="let's do a check in\nthree\nfive\nfour\n",
                       home=chatted)
        assert said.returncode == 0
        browser_page.wait_until(
            "document.querySelectorAll('#mood-sleep .serie-0 desc.value').length === 2")
        # Delete asks first; saying no (or typing anything but "delete") keeps everything.
        browser_page.evaluate("setTimeout(deleteJournal, 0); true")
        asked = browser_page.wait_for_event("Page.javascriptDialogOpening")
        assert asked["type"] == "prompt" and "permanently deletes" in asked["message"]
        browser_page.call("Page.handleJavaScriptDialog", accept=True, promptText="no")
        time.sleep(1)
        assert file.exists()
        browser_page.evaluate("setTimeout(deleteJournal, 0); true")
        browser_page.wait_for_event("Page.javascriptDialogOpening")
        browser_page.call("Page.handleJavaScriptDialog", accept=True, promptText="delete")
        browser_page.wait_until(
            "document.getElementById('status').textContent.includes('deleted')")
        assert not file.exists()
        browser_page.wait_until(
            "document.getElementById('progress').textContent.includes('Nothing is recorded')")
        # Export asks first too.
        browser_page.evaluate("setTimeout(exportJournal, 0); true")
        asked = browser_page.wait_for_event("Page.javascriptDialogOpening")
        assert asked["type"] == "confirm" and "private health" in asked["message"]
        browser_page.call("Page.handleJavaScriptDialog", accept=False)
