"""Talking to a Wyoming service elsewhere (`engine`/`voice = "wyoming://HOST:PORT"`).

The low layer shared by `recognition.remote` and `speech.remote`: the setting's
address, one blocking connection with time limits (a service that dies or
hangs must never leave the coach stuck), and the notices the coach says once
when it falls back to its embedded engine and when the remote one returns.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
from types import TracebackType
from typing import BinaryIO, cast

from wyoming.event import Event, read_event, write_event

log = logging.getLogger(__name__)

URI_PREFIX = "wyoming://"
CONNECT_SECONDS = 2.0
"""How long to wait for a connection (the home server is on the same network)."""
REPLY_SECONDS = 10.0
"""How long one answer may take before the service counts as unreachable."""
RETRY_SECONDS = 30.0
"""After a failure, how long to use the embedded engine before trying the remote one again."""


class RemoteUnavailable(Exception):
    """The remote service could not be reached, hung up, or did not answer in time."""


def is_wyoming_uri(value: str) -> bool:
    """True for a setting that names a remote Wyoming service."""
    return value.strip().lower().startswith(URI_PREFIX)


def parse_uri(value: str) -> tuple[str, int]:
    """`wyoming://HOST:PORT` → (host, port); ValueError saying what it must look like."""
    rest = value.strip()[len(URI_PREFIX):].strip("/")
    host, sep, port = rest.rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError("must look like wyoming://HOST:PORT (e.g. wyoming://192.168.1.5:10300)")
    return host, int(port)


class Connection:
    """One blocking Wyoming connection with time limits; every failure is `RemoteUnavailable`."""

    def __init__(self, host: str, port: int, reply_seconds: float = REPLY_SECONDS) -> None:
        self.where = f"{host}:{port}"
        try:
            self._sock = socket.create_connection((host, port), timeout=CONNECT_SECONDS)
        except OSError as exc:
            raise RemoteUnavailable(f"cannot connect to {self.where}: {exc}") from None
        self._sock.settimeout(reply_seconds)
        self._file = cast(BinaryIO, self._sock.makefile("rwb"))

    def send(self, *events: Event) -> None:
        try:
            for event in events:
                write_event(event, self._file)
            self._file.flush()
        except OSError as exc:
            raise RemoteUnavailable(f"{self.where} hung up: {exc}") from None

    def receive(self) -> Event:
        try:
            event = read_event(self._file)
        except OSError as exc:  # includes the timeout
            raise RemoteUnavailable(f"{self.where} did not answer: {exc}") from None
        if event is None:
            raise RemoteUnavailable(f"{self.where} closed the connection")
        return event

    def close(self) -> None:
        for part in (self._file, self._sock):
            with contextlib.suppress(OSError):
                part.close()

    def __enter__(self) -> Connection:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def reachable(host: str, port: int) -> bool:
    """A quick check that something listens there (before switching back to it)."""
    try:
        with socket.create_connection((host, port), timeout=CONNECT_SECONDS):
            return True
    except OSError:
        return False


class Notices:
    """Sentences the coach should say at the next chance ("the server is unreachable")."""

    def __init__(self) -> None:
        self._pending: list[str] = []
        self._lock = threading.Lock()

    def add(self, text: str) -> None:
        log.warning("%s", text)
        with self._lock:
            self._pending.append(text)

    def take(self) -> list[str]:
        with self._lock:
            pending, self._pending = self._pending, []
        return pending


NOTICES = Notices()
"""The one queue the voice loop's speech drains (see `speech.remote.AnnouncingSpeech`)."""


class Switch:
    """Remote or embedded: falls back on failure, says so once, and tries again later."""

    def __init__(self, what: str, host: str, port: int, notices: Notices = NOTICES) -> None:
        self.what = what
        self.host = host
        self.port = port
        self.notices = notices
        self.remote = True
        self._retry_at = 0.0

    def failed(self, problem: RemoteUnavailable, now: float) -> None:
        log.info("%s at %s:%d: %s", self.what, self.host, self.port, problem)
        if self.remote:
            self.notices.add(
                f"I can't reach the {self.what} on your home server, so I'm using my own "
                "for now."
            )
        self.remote = False
        self._retry_at = now + RETRY_SECONDS

    def maybe_back(self, now: float) -> None:
        """Between utterances: switch back once the remote service answers again."""
        if self.remote or now < self._retry_at:
            return
        if reachable(self.host, self.port):
            self.remote = True
            self.notices.add(f"The {self.what} on your home server is back.")
        else:
            self._retry_at = now + RETRY_SECONDS
