"""Download and unpack a model zip so that an interrupted or corrupt download leaves nothing.

The zip goes to a temporary file in the models folder, is checked (size when
the server says it, SHA-256 when known), unpacked into a temporary folder
beside the target, and only then renamed into place: a rename within one file
system is atomic, so `models_dir / NAME` is either absent or complete.
"""

from __future__ import annotations

import hashlib
import http.client
import logging
import shutil
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from voice_coach.errors import DownloadError
from voice_coach.models import is_model_dir

log = logging.getLogger(__name__)

Progress = Callable[[int, int | None], None]
"""Called with (bytes so far, total bytes or None)."""
_BLOCK = 64 * 1024


def fetch_model(
    url: str,
    name: str,
    models_dir: Path,
    sha256: str | None = None,
    progress: Progress | None = None,
    timeout: float = 30.0,
) -> Path:
    """Download `url` (a model zip) and install it as `models_dir / name`."""
    target = models_dir / name
    if target.exists():
        raise DownloadError(
            f"{target} already exists; remove it first with `voice-coach models remove {name}`."
        )
    models_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    remove_partial(models_dir)
    with tempfile.TemporaryDirectory(prefix=f".{name}.", dir=models_dir) as tmp:
        archive = Path(tmp) / "model.zip"
        digest = _download(url, archive, models_dir, progress, timeout)
        if sha256 and digest != sha256.lower():
            raise DownloadError(
                f"The download of {name} is corrupt (SHA-256 {digest[:12]}... instead of "
                f"{sha256[:12]}...). Nothing was installed; try again later."
            )
        unpacked = _unpack(archive, Path(tmp) / "unpacked", name)
        unpacked.rename(target)
    log.info("Installed model %s in %s", name, target)
    return target


def _download(
    url: str, archive: Path, models_dir: Path, progress: Progress | None, timeout: float
) -> str:
    host = urllib.parse.urlparse(url).netloc or url
    try:
        response = urllib.request.urlopen(url, timeout=timeout)
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
    done = 0
    length = response.headers.get("Content-Length")
    total = int(length) if length and length.isdigit() else None
    try:
        with response, archive.open("wb") as out:
            while block := response.read(_BLOCK):
                out.write(block)
                hasher.update(block)
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
    return hasher.hexdigest()


def _unpack(archive: Path, into: Path, name: str) -> Path:
    """Extract the zip; returns the model folder (the zip's single top folder, or the root)."""
    try:
        with zipfile.ZipFile(archive) as zf:
            for member in zf.namelist():
                if member.startswith("/") or ".." in Path(member).parts:
                    raise DownloadError(f"The {name} archive has an unsafe path {member!r}.")
            zf.extractall(into)
    except (zipfile.BadZipFile, EOFError) as exc:
        raise DownloadError(
            f"The download of {name} is not a valid zip ({exc}); nothing was installed. Try again."
        ) from None
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
