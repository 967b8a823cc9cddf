"""Drive headless Chromium over the DevTools protocol (the `websockets` package): click
buttons, answer the page's confirm/prompt dialogs, read the page as it changes."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from browser import QUIET_FLAGS, chromium, chromium_profile, stop_browser
from websockets.sync.client import ClientConnection, connect


class Page:
    def __init__(self, ws: ClientConnection) -> None:
        self._ws = ws
        self._id = 0
        self.events: list[dict[str, Any]] = []

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self._id += 1
        wanted = self._id
        self._ws.send(json.dumps({"id": wanted, "method": method, "params": params}))
        while True:
            message = json.loads(self._ws.recv(timeout=30))
            if message.get("id") == wanted:
                assert "error" not in message, message
                return dict(message.get("result", {}))
            self.events.append(message)

    def wait_for_event(self, method: str, timeout: float = 15) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for i, event in enumerate(self.events):
                if event.get("method") == method:
                    return dict(self.events.pop(i).get("params", {}))
            try:
                self.events.append(json.loads(self._ws.recv(timeout=0.5)))
            except TimeoutError:
                continue
        raise AssertionError(f"no {method} within {timeout} s")

    def evaluate(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True)
        return result.get("result", {}).get("value")

    def wait_until(self, expression: str, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.evaluate(expression):
                return
            time.sleep(0.2)
        raise AssertionError(f"never true in the page: {expression}")


@contextmanager
def open_page(url: str) -> Iterator[Page]:
    with chromium_profile() as profile:
        proc = subprocess.Popen(
            [chromium(), *QUIET_FLAGS, f"--user-data-dir={profile}",
             "--remote-debugging-port=0", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )
        try:
            port_file = Path(profile) / "DevToolsActivePort"
            deadline = time.monotonic() + 60
            while not port_file.exists() and time.monotonic() < deadline:
                time.sleep(0.1)
            port = int(port_file.read_text().split()[0])
            targets = json.loads(_get(f"http://127.0.0.1:{port}/json/list"))
            target = next(t for t in targets if t["type"] == "page")
            with connect(target["webSocketDebuggerUrl"], max_size=None) as ws:
                page = Page(ws)
                page.call("Page.enable")
                page.call("Runtime.enable")
                page.call("Page.navigate", url=url)
                page.wait_for_event("Page.loadEventFired", timeout=30)
                yield page
        finally:
            stop_browser(proc)


def _get(url: str) -> str:
    import urllib.request

    with urllib.request.urlopen(url, timeout=10) as response:  # loopback only
        return str(response.read().decode())
