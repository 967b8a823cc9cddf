"""Download and unpack a model zip so that an interrupted or corrupt download leaves nothing.

The zip goes to a temporary file in the models folder, is checked (size when
the server says it, and always a SHA-256: pinned for known models, given with
`--sha256` otherwise, skipped only with an explicit `insecure_no_checksum`),
unpacked by `safe_unzip` (no links, devices or escaping paths, size and file
count limited before writing) into a temporary folder beside the target, and
only then renamed into place: a rename within one file system is atomic, so
`models_dir / NAME` is either absent or complete. Only https is used unless
`allow_http` is given, redirects included.
"""

from __future__ import annotations

import hashlib
import http.client
import logging
import re
import shutil
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TextIO

from voice_coach import safe_unzip
from voice_coach.errors import DownloadError
from voice_coach.models import is_model_dir

log = logging.getLogger(__name__)

Progress = Callable[[int, int | None], None]
"""Called with (bytes so far, total bytes or None)."""
_BLOCK = 64 * 1024


@dataclass(frozen=True)
class Expected:
    """What the downloaded zip must match."""

    sha256: str | None = None
    """Lower-case hex SHA-256, or None only with `insecure_no_checksum`."""
    md5: str | None = None
    """The MD5 the publisher lists, checked too when known."""
    size: int | None = None
    """The exact size in bytes, when known."""


def check_sha256(text: str) -> str:
    """A SHA-256 as 64 hex digits (spaces and case forgiven), else a `DownloadError`."""
    value = text.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{64}", value):
        raise DownloadError(
            f"{text!r} is not a SHA-256 checksum (64 hexadecimal digits, as `sha256sum` prints)."
        )
    return value


def check_url(url: str, allow_http: bool) -> None:
    """https only (or http with `allow_http`): nothing else may fetch a model."""
    scheme = urllib.parse.urlparse(url).scheme.lower()
    if scheme == "https" or (scheme == "http" and allow_http):
        return
    if scheme == "http":
        raise DownloadError(
            f"{url} is plain http, which anyone on the network can alter; use an https URL, "
            "or add --allow-http if you trust this network."
        )
    raise DownloadError(f"{url} is not an https URL; give the https URL of a model zip.")


def fetch_model(
    url: str,
    name: str,
    models_dir: Path,
    sha256: str | None = None,
    progress: Progress | None = None,
    timeout: float = 30.0,
    *,
    expected: Expected | None = None,
    allow_http: bool = False,
    insecure_no_checksum: bool = False,
    max_bytes: int = safe_unzip.MAX_BYTES,
    max_files: int = safe_unzip.MAX_FILES,
) -> Path:
    """Download `url` (a model zip) and install it as `models_dir / name`.

    Refuses before connecting when there is no checksum to check (unless
    `insecure_no_checksum`) or the URL is not https (unless `allow_http`).
    """
    want = expected or Expected()
    if sha256:
        want = Expected(check_sha256(sha256), want.md5, want.size)
    check_url(url, allow_http)
    if want.sha256 is None and not insecure_no_checksum:
        raise DownloadError(
            f"There is no known checksum for {name}, so a damaged or tampered file could not be "
            "told apart. Give the publisher's SHA-256 with --sha256 HEX, or add "
            "--insecure-no-checksum to install it unchecked."
        )
    target = models_dir / name
    if target.exists():
        raise DownloadError(
            f"{target} already exists; remove it first with `voice-coach models remove {name}`."
        )
    models_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    remove_partial(models_dir)
    with tempfile.TemporaryDirectory(prefix=f".{name}.", dir=models_dir) as tmp:
        archive = Path(tmp) / "model.zip"
        sha, md5, size = _download(url, archive, models_dir, progress, timeout, allow_http)
        _verify(name, want, sha, md5, size)
        unpacked = _unpack(archive, Path(tmp) / "unpacked", name, max_bytes, max_files)
        unpacked.rename(target)
    log.info("Installed model %s in %s", name, target)
    return target


def _verify(name: str, want: Expected, sha: str, md5: str, size: int) -> None:
    problems = []
    if want.size is not None and size != want.size:
        problems.append(f"{size:,} bytes instead of {want.size:,}")
    if want.sha256 is not None and sha != want.sha256:
        problems.append(f"SHA-256 {sha[:12]}... instead of {want.sha256[:12]}...")
    if want.md5 is not None and md5 != want.md5:
        problems.append(f"MD5 {md5[:12]}... instead of {want.md5[:12]}...")
    if problems:
        raise DownloadError(
            f"The download of {name} is corrupt or not the expected file ({'; '.join(problems)}). "
            "Nothing was installed; try again later."
        )


class _SchemeGuard(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to an allowed scheme (an https link may not lead to http)."""

    def __init__(self, allow_http: bool) -> None:
        self.allow_http = allow_http

    def redirect_request(self, req: Any, fp: IO[bytes], code: int, msg: str, headers: Any,
                         newurl: str) -> urllib.request.Request | None:
        check_url(newurl, self.allow_http)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _download(
    url: str, archive: Path, models_dir: Path, progress: Progress | None, timeout: float,
    allow_http: bool = False,
) -> tuple[str, str, int]:
    """Fetch `url` into `archive`; returns its (SHA-256, MD5, size)."""
    host = urllib.parse.urlparse(url).netloc or url
    opener = urllib.request.build_opener(_SchemeGuard(allow_http))
    try:
        response = opener.open(url, timeout=timeout)
    except urllib.error.HTTPError as exc:
        raise DownloadError(
            f"{url} answered {exc.code} {exc.reason}; check the model name "
            "with `voice-coach models list`."
        ) from None
    except (TimeoutError, urllib.error.URLError, ConnectionError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DownloadError(
            f"Cannot reach {host} ({reason}); check the network, or copy a model folder "
            f"to {models_dir}."
        ) from None
    hasher = hashlib.sha256()
    md5 = hashlib.md5(usedforsecurity=False)
    done = 0
    length = response.headers.get("Content-Length")
    total = int(length) if length and length.isdigit() else None
    try:
        with response, archive.open("wb") as out:
            while block := response.read(_BLOCK):
                out.write(block)
                hasher.update(block)
                md5.update(block)
                done += len(block)
                if progress:
                    progress(done, total)
    except (OSError, http.client.HTTPException) as exc:
        # The connection dropped mid-transfer, timed out, or the disk is full.
        raise DownloadError(
            f"The download from {host} failed after {done} bytes ({exc or type(exc).__name__}); "
            "nothing was installed. Try again."
        ) from None
    if total is not None and done != total:
        raise DownloadError(
            f"The download from {host} stopped after {done} of {total} bytes; "
            "nothing was installed. Try again."
        )
    return hasher.hexdigest(), md5.hexdigest(), done


def _unpack(archive: Path, into: Path, name: str, max_bytes: int = safe_unzip.MAX_BYTES,
            max_files: int = safe_unzip.MAX_FILES) -> Path:
    """Extract the zip safely; returns the model folder (its single top folder, or the root)."""
    safe_unzip.extract(archive, into, name, max_bytes, max_files)
    children = [p for p in into.iterdir() if not p.name.startswith("__MACOSX")]
    root = children[0] if len(children) == 1 and children[0].is_dir() else into
    if not is_model_dir(root):
        raise DownloadError(
            f"The {name} archive does not contain a Vosk model "
            "(no am/final.mdl and conf/model.conf); nothing was installed."
        )
    return root


def progress_printer(stream: TextIO = sys.stderr) -> Progress:
    """A progress bar on a terminal, else a line per 10 %: never floods a log file."""
    state = {"last": -1}
    tty = stream.isatty()

    def show(done: int, total: int | None) -> None:
        mb = done / 1e6
        if total:
            percent = int(100 * done / total)
            if tty:
                bar = "#" * (percent // 4)
                stream.write(f"\r[{bar:<25}] {percent:3d}%  {mb:.1f}/{total / 1e6:.1f} MB")
                if done >= total:
                    stream.write("\n")
            elif percent // 10 != state["last"]:
                state["last"] = percent // 10
                stream.write(f"{percent}%\n")
        elif tty:
            stream.write(f"\r{mb:.1f} MB")
        stream.flush()

    return show


def remove_partial(models_dir: Path) -> None:
    """Delete leftovers of a download killed with SIGKILL (temporary folders start with ".")."""
    if models_dir.is_dir():
        for leftover in models_dir.glob(".*.*"):
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
