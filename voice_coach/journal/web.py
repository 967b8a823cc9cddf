"""`voice-coach journal serve`: the progress page, live, on this computer (or the home network).

Only 127.0.0.1 unless the person asks for the network (`--lan`). Either way a
random access token is printed in the terminal and required: the address
carries it once, the page then keeps it in a same-site cookie, and the export
and delete buttons also send it in a header (another site cannot forge them).
Requests are never logged: the address holds the token.
"""

from __future__ import annotations

import contextlib
import hmac
import json
import logging
import secrets
import threading
from collections.abc import Callable
from datetime import datetime
from http import HTTPStatus
from http.cookies import SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from voice_coach.errors import JournalError
from voice_coach.journal import database, export
from voice_coach.journal.records import JournalDump
from voice_coach.journal.report import body_html, render_page

log = logging.getLogger(__name__)

COOKIE = "voice_coach_token"
HEADER = "X-Voice-Coach-Token"
POLL_MS = 2000

LIVE_SCRIPT = """<script>
(function () {
  var token = %(token)s, version = %(version)s;
  function post(path) {
    return fetch(path, {method: "POST", headers: {"%(header)s": token},
                        credentials: "same-origin"});
  }
  setInterval(function () {
    fetch("/version", {credentials: "same-origin"}).then(function (r) { return r.json(); })
      .then(function (v) {
        if (v.version === version) return;
        version = v.version;
        return fetch("/progress", {credentials: "same-origin"}).then(function (r) {
          return r.text(); }).then(function (html) {
            document.getElementById("progress").innerHTML = html; });
      }).catch(function () {});
  }, %(poll)d);
  window.exportJournal = function () {
    if (!confirm("Download your whole journal as a JSON file? It holds private health " +
                 "information: keep it somewhere only you can read.")) return;
    post("/export").then(function (r) { return r.blob(); }).then(function (blob) {
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob); a.download = "voice-coach-journal.json";
      document.body.appendChild(a); a.click(); a.remove();
    });
  };
  window.deleteJournal = function () {
    var typed = prompt("This permanently deletes your journal from this device. " +
                       "Type delete to confirm.");
    if (!typed || typed.trim().toLowerCase() !== "delete") return;
    post("/delete").then(function (r) { return r.text(); }).then(function (text) {
      document.getElementById("status").textContent = text;
    });
  };
})();
</script>"""

ACTIONS = (
    '<section class="actions"><button type="button" onclick="exportJournal()">Export…</button>'
    '<button type="button" class="danger" onclick="deleteJournal()">Delete journal…</button>'
    '<span id="status" role="status"></span></section>'
)
FORBIDDEN = (
    "This page needs its access token. Open the address `voice-coach journal serve` printed "
    "in its terminal."
)


def journal_version(file: Path) -> str:
    """Changes whenever the journal (or its write-ahead log) does."""
    parts = []
    for path in (file, *database.side_files(file)):
        try:
            stat = path.stat()
        except OSError:
            continue
        parts.append(f"{path.name}:{stat.st_mtime_ns}:{stat.st_size}")
    return "|".join(parts) or "none"


def delete_journal(file: Path) -> list[Path]:
    """Delete the journal and SQLite's side files; JournalError while a coach has it open."""
    existing = [f for f in (*database.side_files(file), file) if f.exists()]
    if file.exists() and database.in_use(file):
        raise database.locked_error(file)
    for path in (*database.side_files(file), file):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    return existing


class ProgressServer:
    """The live page for one journal file."""

    def __init__(
        self,
        journal_file: Path,
        read: Callable[[Path], JournalDump],
        host: str = "127.0.0.1",
        port: int = 0,
        token: str | None = None,
    ) -> None:
        self.journal_file = journal_file
        self.read = read
        self.token = token or secrets.token_urlsafe(18)
        self._httpd = ThreadingHTTPServer((host, port), self._handler_class())
        self._httpd.daemon_threads = True

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url(self, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}/?token={self.token}"

    def serve_forever(self) -> None:
        self._httpd.serve_forever(poll_interval=0.25)

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="progress-page", daemon=True)
        thread.start()
        return thread

    def shutdown(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def dump(self) -> JournalDump:
        if not self.journal_file.exists():
            return JournalDump()
        return self.read(self.journal_file)

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            server_version = "VoiceCoach"
            sys_version = ""

            def log_message(self, format: str, *args: object) -> None:
                """Never log requests: the address carries the token."""

            def do_GET(self) -> None:
                url = urlparse(self.path)
                given = parse_qs(url.query).get("token", [""])[0]
                if url.path == "/" and given:
                    if not _same(given, server.token):
                        return self._text(HTTPStatus.FORBIDDEN, FORBIDDEN)
                    # Keep the token in a cookie and take it out of the address bar.
                    self.send_response(HTTPStatus.SEE_OTHER)
                    self.send_header("Location", "/")
                    self.send_header(
                        "Set-Cookie",
                        f"{COOKIE}={server.token}; Path=/; HttpOnly; SameSite=Strict",
                    )
                    self._common_headers()
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                if not self._authorised():
                    return self._text(HTTPStatus.FORBIDDEN, FORBIDDEN)
                now = datetime.now().astimezone()
                if url.path == "/":
                    version = journal_version(server.journal_file)
                    script = LIVE_SCRIPT % {
                        "token": json.dumps(server.token), "version": json.dumps(version),
                        "header": HEADER, "poll": POLL_MS,
                    }
                    page = render_page(server.dump(), now, extra_head=script, actions=ACTIONS)
                    return self._send(HTTPStatus.OK, "text/html; charset=utf-8", page)
                if url.path == "/progress":
                    return self._send(HTTPStatus.OK, "text/html; charset=utf-8",
                                      body_html(server.dump(), now))
                if url.path == "/version":
                    body = json.dumps({"version": journal_version(server.journal_file)})
                    return self._send(HTTPStatus.OK, "application/json", body)
                return self._text(HTTPStatus.NOT_FOUND, "Not found.")

            def do_POST(self) -> None:
                url = urlparse(self.path)
                if not (self._authorised() and _same(self.headers.get(HEADER, ""), server.token)):
                    return self._text(HTTPStatus.FORBIDDEN, FORBIDDEN)
                if url.path == "/export":
                    now = datetime.now().astimezone()
                    body = export.render(server.dump(), "json", now)
                    self.send_response(HTTPStatus.OK)
                    self.send_header("Content-Disposition",
                                     'attachment; filename="voice-coach-journal.json"')
                    return self._body("application/json; charset=utf-8", body)
                if url.path == "/delete":
                    try:
                        deleted = delete_journal(server.journal_file)
                    except JournalError as exc:
                        return self._text(HTTPStatus.CONFLICT, str(exc))
                    log.info("journal deleted from the progress page")
                    message = ("Your journal was deleted." if deleted
                               else "There was no journal to delete.")
                    return self._text(HTTPStatus.OK, message)
                return self._text(HTTPStatus.NOT_FOUND, "Not found.")

            def _authorised(self) -> bool:
                cookie = SimpleCookie(self.headers.get("Cookie", ""))
                morsel = cookie.get(COOKIE)
                return morsel is not None and _same(morsel.value, server.token)

            def _common_headers(self) -> None:
                self.send_header("Cache-Control", "no-store")
                self.send_header("X-Content-Type-Options", "nosniff")
                self.send_header("Referrer-Policy", "no-referrer")
                self.send_header("X-Frame-Options", "DENY")

            def _send(self, status: HTTPStatus, kind: str, body: str) -> None:
                self.send_response(status)
                self._body(kind, body)

            def _body(self, kind: str, body: str) -> None:
                data = body.encode("utf-8")
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self._common_headers()
                self.end_headers()
                self.wfile.write(data)

            def _text(self, status: HTTPStatus, text: str) -> None:
                self._send(status, "text/plain; charset=utf-8", text + "\n")

        return Handler


def _same(given: str, token: str) -> bool:
    return hmac.compare_digest(given.encode(), token.encode())
