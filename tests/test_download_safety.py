"""Downloads you can trust: checksums required, https only, hostile zips refused in one sentence.

Every archive is built here and served from 127.0.0.1; nothing leaves the machine.
"""

from __future__ import annotations

import hashlib
import io
import stat
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import Cli

from voice_coach import models, safe_unzip
from voice_coach.download import Expected, _SchemeGuard, fetch_model
from voice_coach.errors import DownloadError

NAME = "vosk-model-trust-test"


def _zip(extra: list[tuple[zipfile.ZipInfo | str, bytes]] = (), model: bool = True,  # type: ignore[assignment]
         compression: int = zipfile.ZIP_STORED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        if model:
            zf.writestr(f"{NAME}/am/final.mdl", b"\x01" * 2000)
            zf.writestr(f"{NAME}/conf/model.conf", "--beam=10.0\n")
        for info, data in extra:
            zf.writestr(info, data)
    return buf.getvalue()


def _special(path: str, kind: int, data: bytes = b"") -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(path)
    info.create_system = 3
    info.external_attr = (kind | 0o644) << 16
    return info, data


class Handler(BaseHTTPRequestHandler):
    files: dict[str, bytes] = {}  # noqa: RUF012 - set per test
    requests: list[str] = []  # noqa: RUF012

    def do_GET(self) -> None:
        self.requests.append(self.path)
        body = self.files.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    Handler.files, Handler.requests = {}, []
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def serve(name: str, body: bytes) -> str:
    Handler.files[f"/{name}"] = body
    return f"/{name}"


def nothing_installed(folder: Path) -> bool:
    return not folder.exists() or not any(folder.iterdir())


def test_plain_http_is_refused_before_connecting(cli: Cli, server: str) -> None:
    path = serve(f"{NAME}.zip", _zip())
    sha = hashlib.sha256(_zip()).hexdigest()
    got = cli("models", "download", server + path, "--sha256", sha)
    assert got.returncode == 1
    assert "plain http" in got.stderr and "--allow-http" in got.stderr
    assert "Traceback" not in got.stderr
    assert Handler.requests == []
    ok = cli("models", "download", server + path, "--sha256", sha, "--allow-http")
    assert ok.returncode == 0, ok.stderr
    assert f"Installed {NAME}" in ok.stdout


def test_an_unknown_url_needs_a_checksum_or_an_explicit_opt_out(cli: Cli, server: str) -> None:
    path = serve(f"{NAME}.zip", _zip())
    refused = cli("models", "download", server + path, "--allow-http")
    assert refused.returncode == 1
    assert "--sha256" in refused.stderr and "--insecure-no-checksum" in refused.stderr
    assert Handler.requests == [], "it refused before downloading anything"
    wrong = cli("models", "download", server + path, "--allow-http", "--sha256", "ab" * 32)
    assert wrong.returncode == 1 and "not the expected file" in wrong.stderr
    bad_hex = cli("models", "download", server + path, "--allow-http", "--sha256", "xyz")
    assert bad_hex.returncode == 1 and "64 hexadecimal digits" in bad_hex.stderr
    unchecked = cli("models", "download", server + path, "--allow-http", "--insecure-no-checksum")
    assert unchecked.returncode == 0, unchecked.stderr


def test_a_known_model_is_pinned_by_sha256_md5_and_size() -> None:
    default = models.KNOWN_MODELS[models.DEFAULT_MODEL]
    assert default.sha256 == "30f26242c4eb449f948e42cb302dd7a686cb29a3423a8367f99ff41780942498"
    assert default.md5 == "09ab50ccd62b674cbaa231b825f9c1cb"
    assert default.size_bytes == 41_205_931
    assert default.url.startswith("https://")


def test_a_size_or_md5_mismatch_installs_nothing(server: str, tmp_path: Path) -> None:
    body = _zip()
    url = server + serve(f"{NAME}.zip", body)
    sha = hashlib.sha256(body).hexdigest()
    for expected in (Expected(sha, None, len(body) + 1), Expected(sha, "0" * 32, None)):
        with pytest.raises(DownloadError, match="not the expected file"):
            fetch_model(url, NAME, tmp_path / "m", expected=expected, allow_http=True)
        assert nothing_installed(tmp_path / "m")


def test_a_redirect_to_plain_http_is_refused() -> None:
    with pytest.raises(DownloadError, match="plain http"):
        _SchemeGuard(allow_http=False).redirect_request(
            None, io.BytesIO(), 302, "Found", {}, "http://example.org/model.zip"
        )


@pytest.mark.parametrize(
    ("entry", "said"),
    [
        (_special(f"{NAME}/graph", stat.S_IFLNK, b"/etc/passwd"), "symbolic link"),
        (_special(f"{NAME}/fifo", stat.S_IFIFO), "named pipe"),
        (_special(f"{NAME}/dev", stat.S_IFCHR), "device file"),
        ((f"{NAME}/../../escape.txt", b"x"), "unsafe path"),
        (("/etc/cron.d/evil", b"x"), "unsafe path"),
        ((f"{NAME}/am/final.mdl", b"twice"), "could not be unpacked"),
        ((f"{NAME}/conf/model.conf/inside", b"x"), "could not be unpacked"),
    ],
)
def test_a_hostile_archive_is_refused_in_one_sentence(
    cli: Cli, server: str, coach_home: Path, entry: tuple[zipfile.ZipInfo | str, bytes],
    said: str,
) -> None:
    body = _zip([entry])
    path = serve(f"{NAME}.zip", body)
    got = cli("models", "download", server + path, "--allow-http",
              "--sha256", hashlib.sha256(body).hexdigest())
    assert got.returncode == 1
    assert said in got.stderr and "nothing was installed" in got.stderr
    assert "Traceback" not in got.stderr
    errors = [line for line in got.stderr.splitlines() if line.startswith("voice-coach:")]
    assert len(errors) == 1 and errors[0].count(". ") == 0, "one sentence"
    assert nothing_installed(coach_home / "data" / "models")
    assert not (coach_home.parent / "escape.txt").exists()


def test_a_zip_bomb_is_refused_before_anything_is_written(server: str, tmp_path: Path) -> None:
    body = _zip([(f"{NAME}/big.bin", b"\0" * 3_000_000)], compression=zipfile.ZIP_DEFLATED)
    assert len(body) < 20_000, "a 1000x bomb"
    url = server + serve(f"{NAME}.zip", body)
    with pytest.raises(DownloadError, match=r"unpack to .*more than"):
        fetch_model(url, NAME, tmp_path / "m", hashlib.sha256(body).hexdigest(),
                    allow_http=True, max_bytes=1_000_000)
    assert nothing_installed(tmp_path / "m")


def test_the_default_limits_are_4_gib_and_50000_files() -> None:
    zf = zipfile.ZipFile(io.BytesIO(_zip([(f"{NAME}/big.bin", b"\0")])))
    zf.getinfo(f"{NAME}/big.bin").file_size = 4 * 1024**3  # as a lying central directory says
    with pytest.raises(DownloadError, match=r"4\.3 GB"):
        safe_unzip.plan(zf, NAME)
    many = _zip([(f"{NAME}/f{i}", b"") for i in range(safe_unzip.MAX_FILES)])
    with pytest.raises(DownloadError, match="50,002 files"):
        safe_unzip.plan(zipfile.ZipFile(io.BytesIO(many)), NAME)


def test_installed_files_are_private(server: str, tmp_path: Path) -> None:
    body = _zip()
    url = server + serve(f"{NAME}.zip", body)
    target = fetch_model(url, NAME, tmp_path / "m", hashlib.sha256(body).hexdigest(),
                         allow_http=True)
    for path in [target, *target.rglob("*")]:
        expected = 0o700 if path.is_dir() else 0o600
        assert stat.S_IMODE(path.stat().st_mode) == expected, path
