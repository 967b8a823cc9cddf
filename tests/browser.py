"""Headless Chromium (Debian's `chromium`) for the progress page tests, and a proxy that
records any request the page makes beyond this computer."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

QUIET_FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--disable-domain-reliability",
    "--metrics-recording-only", "--no-default-browser-check", "--disable-breakpad",
    "--disable-client-side-phishing-detection", "--no-pings", "--disable-field-trial-config",
    "--disable-component-extensions-with-background-pages", "--safebrowsing-disable-auto-update",
    "--disable-features=MediaRouter,OptimizationHints,Translate,AutofillServerCommunication,"
    "NetworkTimeServiceQuerying,CertificateTransparencyComponentUpdater,SafeBrowsing,"
    "InterestFeedContentSuggestions,PrivacySandboxSettings4,DnsOverHttps",
)


CHROMIUM_OWN_HOSTS = ("update.googleapis.com", "accounts.google.com", "clients2.google.com")
"""Chromium's own background calls (component updates, sign-in), which no flag fully stops;
the test page's control image shows a page's own fetch is still caught."""


def page_requests(requests: list[str]) -> list[str]:
    """The recorded requests that are not Chromium's own background traffic."""
    return [r for r in requests if not any(host in r for host in CHROMIUM_OWN_HOSTS)]


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "Debian's chromium is not installed: run ./bootstrap test (it installs it)"
    return path


class RecordingProxy:
    """An HTTP proxy on 127.0.0.1 that answers nothing and notes every request line."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self._sock.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self._sock.getsockname()[1]}"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._sock.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    first = conn.recv(4096).split(b"\r\n", 1)[0].decode("latin-1")
                except OSError:
                    first = "?"
                if first:
                    self.requests.append(first)
                conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._sock.close()


@contextmanager
def browser() -> Iterator[tuple[list[str], RecordingProxy]]:
    """Chromium's command line (ending before the URL) and the proxy it must never need."""
    proxy = RecordingProxy()
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        args = [chromium(), *QUIET_FLAGS, f"--user-data-dir={profile}",
                f"--proxy-server=http://{proxy.address}"]
        try:
            yield args, proxy
        finally:
            proxy.close()


def dump_dom(url: str, wait_ms: int = 1500) -> tuple[str, list[str]]:
    """The page's DOM after it loaded (scripts ran), and what it asked the outside world for."""
    with browser() as (args, proxy):
        result = subprocess.run(
            [*args, f"--virtual-time-budget={wait_ms}", "--dump-dom", url],
            capture_output=True, text=True, timeout=120,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout, page_requests(proxy.requests)


def screenshot(url: str, out: Path, width: int = 900, height: int = 3000) -> list[str]:
    with browser() as (args, proxy):
        result = subprocess.run(
            [*args, f"--window-size={width},{height}", f"--screenshot={out}", url],
            capture_output=True, text=True, timeout=120,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        return page_requests(proxy.requests)
