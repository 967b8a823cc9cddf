"""Headless Chromium (Debian's `chromium`) for the progress page tests, and a proxy that
records any request the page makes beyond this computer."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from bootstrap_only import program

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
    return shutil.which("chromium-browser") or program("chromium", "chromium")


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
def chromium_profile() -> Iterator[str]:
    """A throw-away profile folder, removed only once every Chromium process is gone.

    Chromium's helper processes (zygote, renderer, crash handler) can outlive the
    browser process by a moment and keep writing into the profile, so a plain
    TemporaryDirectory sometimes failed with "Directory not empty"."""
    profile = tempfile.mkdtemp(prefix="chromium-")
    try:
        yield profile
    finally:
        for _ in range(50):
            shutil.rmtree(profile, ignore_errors=True)
            if not os.path.exists(profile):
                break
            time.sleep(0.1)


def stop_browser(proc: subprocess.Popen[bytes] | subprocess.Popen[str]) -> None:
    """End Chromium and every helper process it started (they share its session)."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=20)
    for _ in range(50):  # helpers still alive in the group get a moment, then SIGKILL
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)


def run_browser(args: list[str]) -> subprocess.CompletedProcess[str]:
    """Run one headless Chromium command to the end, helpers included."""
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        out, err = proc.communicate(timeout=120)
    finally:
        stop_browser(proc)
    return subprocess.CompletedProcess(args, proc.returncode, out, err)


@contextmanager
def browser() -> Iterator[tuple[list[str], RecordingProxy]]:
    """Chromium's command line (ending before the URL) and the proxy it must never need."""
    proxy = RecordingProxy()
    with chromium_profile() as profile:
        args = [chromium(), *QUIET_FLAGS, f"--user-data-dir={profile}",
                f"--proxy-server=http://{proxy.address}"]
        try:
            yield args, proxy
        finally:
            proxy.close()


def dump_dom(url: str, wait_ms: int = 1500) -> tuple[str, list[str]]:
    """The page's DOM after it loaded (scripts ran), and what it asked the outside world for."""
    with browser() as (args, proxy):
        result = run_browser([*args, f"--virtual-time-budget={wait_ms}", "--dump-dom", url])
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout, page_requests(proxy.requests)


def screenshot(url: str, out: Path, width: int = 900, height: int = 3000) -> list[str]:
    with browser() as (args, proxy):
        result = run_browser([*args, f"--window-size={width},{height}", f"--screenshot={out}", url])
        assert result.returncode == 0, result.stderr[-2000:]
        return page_requests(proxy.requests)
