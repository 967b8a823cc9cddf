"""Unpack a downloaded model zip only when every entry is a plain file or folder inside it.

Everything is checked from the zip's central directory before a byte is
written: no absolute or `..` paths, no symbolic links, devices, pipes or
sockets, at most `MAX_FILES` entries and `MAX_BYTES` unpacked (Vosk's largest
English model unpacks to about 2.7 GB), and room for it on the disk. The
declared sizes bound what is written, because Python's zipfile never returns
more bytes than an entry declares (a lying entry fails its CRC check).
"""

from __future__ import annotations

import shutil
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from voice_coach.errors import DownloadError

MAX_BYTES = 4 * 1024**3
"""Largest total unpacked size accepted (4 GiB)."""
MAX_FILES = 50_000
"""Most entries accepted in one archive."""
_COPY_BLOCK = 1024 * 1024


@dataclass(frozen=True)
class ArchivePlan:
    """What an archive would write, known before writing it."""

    files: int
    unpacked_bytes: int


def _kind(info: zipfile.ZipInfo) -> str | None:
    """"symbolic link", "device" etc. for a special entry; None for a file or folder."""
    mode = info.external_attr >> 16
    if info.create_system != 3 or not mode:  # not made on Unix: no file type recorded
        return None
    kind = stat.S_IFMT(mode)
    if kind in (0, stat.S_IFREG, stat.S_IFDIR):
        return None
    return {
        stat.S_IFLNK: "symbolic link",
        stat.S_IFIFO: "named pipe",
        stat.S_IFCHR: "device file",
        stat.S_IFBLK: "device file",
        stat.S_IFSOCK: "socket",
    }.get(kind, "special file")


def plan(zf: zipfile.ZipFile, name: str, max_bytes: int = MAX_BYTES,
         max_files: int = MAX_FILES) -> ArchivePlan:
    """Check every entry; raise `DownloadError` (one sentence) on the first thing refused."""
    entries = zf.infolist()
    if len(entries) > max_files:
        raise DownloadError(
            f"The {name} archive holds {len(entries):,} files, more than the {max_files:,} a "
            "model may have; nothing was installed."
        )
    total = 0
    for info in entries:
        path = PurePosixPath(info.filename.replace("\\", "/"))
        unsafe = not path.parts or ".." in path.parts or path.parts[0].endswith(":")
        if info.filename.startswith(("/", "\\")) or unsafe:
            raise DownloadError(
                f"The {name} archive has an unsafe path {info.filename!r}; nothing was installed."
            )
        kind = _kind(info)
        if kind is not None:
            raise DownloadError(
                f"The {name} archive contains a {kind} ({info.filename!r}), which a model never "
                "needs; nothing was installed."
            )
        total += info.file_size
    if total > max_bytes:
        raise DownloadError(
            f"The {name} archive would unpack to {total / 1e9:.1f} GB, more than the "
            f"{max_bytes / 1e9:.1f} GB a model may take; nothing was installed."
        )
    return ArchivePlan(len(entries), total)


def check_space(folder: Path, needed: int, name: str) -> None:
    free = shutil.disk_usage(folder).free
    if needed > free:
        raise DownloadError(
            f"Installing {name} needs {needed / 1e6:.0f} MB but only {free / 1e6:.0f} MB is free "
            f"in {folder}; free some space and try again."
        )


def extract(archive: Path, into: Path, name: str, max_bytes: int = MAX_BYTES,
            max_files: int = MAX_FILES) -> ArchivePlan:
    """Unpack `archive` into the new folder `into` (files 0600, folders 0700)."""
    try:
        with zipfile.ZipFile(archive) as zf:
            checked = plan(zf, name, max_bytes, max_files)
            into.mkdir(mode=0o700)
            check_space(into, checked.unpacked_bytes, name)
            for info in zf.infolist():
                target = into.joinpath(*PurePosixPath(info.filename.replace("\\", "/")).parts)
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True, mode=0o700)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                with zf.open(info) as source, target.open("xb") as out:
                    shutil.copyfileobj(source, out, _COPY_BLOCK)
                target.chmod(0o600)
            for folder in into.rglob("*"):  # mkdir(parents=True) gives parents the umask's mode
                if folder.is_dir():
                    folder.chmod(0o700)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as exc:
        raise DownloadError(
            f"The download of {name} is not a valid zip ({exc}); nothing was installed. Try again."
        ) from None
    except (OSError, NotImplementedError) as exc:
        raise DownloadError(
            f"The {name} archive could not be unpacked ({getattr(exc, 'strerror', None) or exc}); "
            "nothing was installed."
        ) from None
    return checked
