"""Model download, verification, listing and removal against a local HTTP server."""

from __future__ import annotations

import hashlib
import io
import re
import socket
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import Cli

from voice_coach import models
from voice_coach.download import fetch_model
from voice_coach.errors import DownloadError, ModelError
from voice_coach.paths import resolve_paths
from voice_coach.recognition.select import choose_engine, create_recognizer
from voice_coach.settings import Settings

NAME = "vosk-model-tiny-test"


def model_zip(with_model: bool = True) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        if with_model:
            zf.writestr(f"{NAME}/am/final.mdl", b"\x01" * 5000)
            zf.writestr(f"{NAME}/conf/model.conf", "--beam=10.0\n")
        zf.writestr(f"{NAME}/README", "test model\n")
    return buf.getvalue()


class Handler(BaseHTTPRequestHandler):
    files: dict[str, bytes] = {}  # noqa: RUF012 - shared with the test through the class

    def do_GET(self) -> None:
        body = self.files.get(self.path)
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.path.startswith("/drop/"):
            self.wfile.write(body[: len(body) // 2])  # then the connection closes
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    good = model_zip()
    Handler.files = {
        f"/{NAME}.zip": good,
        f"/drop/{NAME}.zip": good,
        "/empty.zip": model_zip(with_model=False),
        "/notzip.zip": b"<html>not a zip</html>",
    }
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def models_dir(tmp_path: Path) -> Path:
    return tmp_path / "models"


def fetch(url: str, name: str, folder: Path, sha256: str | None = None,
          progress: object = None, **options: object) -> Path:
    """`fetch_model` on the local http server (checksum optional unless `sha256` is given)."""
    return fetch_model(url, name, folder, sha256, progress,  # type: ignore[arg-type]
                       allow_http=True, insecure_no_checksum=sha256 is None, **options)  # type: ignore[arg-type]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_download_installs_a_complete_model(server: str, models_dir: Path) -> None:
    sha = hashlib.sha256(model_zip()).hexdigest()
    seen: list[tuple[int, int | None]] = []
    target = fetch(
        f"{server}/{NAME}.zip", NAME, models_dir, sha, lambda d, t: seen.append((d, t))
    )
    assert target == models_dir / NAME
    assert (target / "am" / "final.mdl").read_bytes() == b"\x01" * 5000
    assert leftovers(models_dir) == [NAME]
    assert seen and seen[-1][0] == seen[-1][1] == len(model_zip())


def test_a_checksum_mismatch_installs_nothing(server: str, models_dir: Path) -> None:
    with pytest.raises(DownloadError, match="corrupt"):
        fetch(f"{server}/{NAME}.zip", NAME, models_dir, "0" * 64)
    assert leftovers(models_dir) == []


def test_a_dropped_connection_installs_nothing(server: str, models_dir: Path) -> None:
    with pytest.raises(DownloadError, match="nothing was installed"):
        fetch(f"{server}/drop/{NAME}.zip", NAME, models_dir)
    assert leftovers(models_dir) == []


@pytest.mark.parametrize(
    ("path", "message"),
    [("/notzip.zip", "not a valid zip"), ("/empty.zip", "does not contain a Vosk model")],
)
def test_an_archive_without_a_model_installs_nothing(
    server: str, models_dir: Path, path: str, message: str
) -> None:
    with pytest.raises(DownloadError, match=message):
        fetch(server + path, NAME, models_dir)
    assert leftovers(models_dir) == []


def test_an_unknown_model_name_says_to_check_the_list(server: str, models_dir: Path) -> None:
    with pytest.raises(DownloadError, match=r"404.*models list"):
        fetch(f"{server}/nope.zip", "nope", models_dir)


def test_an_unreachable_host_gives_the_offline_advice(models_dir: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound but not listening: connection refused
        with pytest.raises(DownloadError) as err:
            fetch(f"http://127.0.0.1:{port}/{NAME}.zip", NAME, models_dir, timeout=5)
    assert f"Cannot reach 127.0.0.1:{port}" in str(err.value)
    assert f"copy a model folder to {models_dir}" in str(err.value)


def test_an_installed_model_is_not_overwritten(server: str, models_dir: Path) -> None:
    fetch(f"{server}/{NAME}.zip", NAME, models_dir)
    with pytest.raises(DownloadError, match=r"already exists.*models remove"):
        fetch(f"{server}/{NAME}.zip", NAME, models_dir)


def test_names_and_urls_resolve_to_the_official_base() -> None:
    _name, url, known = models.resolve(models.DEFAULT_MODEL)
    assert url == "https://alphacephei.com/vosk/models/vosk-model-small-en-us-0.15.zip"
    assert known is not None and known.sha256
    assert models.resolve("http://example.org/x/my-model.zip")[0] == "my-model"
    with pytest.raises(ModelError):
        models.resolve("../etc")


def test_cli_download_list_and_remove(cli: Cli, server: str, coach_home: Path) -> None:
    got = cli("models", "download", f"{server}/{NAME}.zip", "--allow-http",
              "--insecure-no-checksum")
    assert got.returncode == 0, got.stderr
    assert "Installed vosk-model-tiny-test" in got.stdout
    listed = cli("models", "list")
    assert NAME in listed.stdout and "Engine in use with engine = auto: vosk" in listed.stdout
    removed = cli("models", "remove", NAME)
    assert removed.returncode == 0 and not (coach_home / "data" / "models" / NAME).exists()
    again = cli("models", "remove", NAME)
    assert again.returncode == 1
    assert (
        again.stderr.strip() == f"voice-coach: No installed model named '{NAME}' (installed: none)."
    )


def test_cli_download_offline_message(cli: Cli) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        got = cli("models", "download", f"http://127.0.0.1:{port}/{NAME}.zip", "--allow-http",
                  "--sha256", "0" * 64)
    assert got.returncode == 1
    assert "Cannot reach" in got.stderr and "check the network" in got.stderr
    assert "Traceback" not in got.stderr


def test_auto_picks_vosk_only_when_a_model_is_installed(tmp_path: Path) -> None:
    paths = resolve_paths(tmp_path)
    assert choose_engine(Settings(), paths) == "pocketsphinx"
    model = paths.models_dir / models.DEFAULT_MODEL
    (model / "am").mkdir(parents=True)
    assert choose_engine(Settings(), paths) == "vosk"
    assert choose_engine(Settings(engine="pocketsphinx"), paths) == "pocketsphinx"


def test_forcing_vosk_without_a_model_names_the_download_command(tmp_path: Path) -> None:
    command = "voice-coach models download vosk-model-small-en-us-0.15"
    with pytest.raises(ModelError, match=re.escape(command)):
        create_recognizer(Settings(engine="vosk"), resolve_paths(tmp_path))


def test_cli_recognize_with_an_empty_model_folder(
    cli: Cli, tmp_path: Path, coach_home: Path,
) -> None:
    empty = tmp_path / "empty-model"
    empty.mkdir()
    (coach_home / "config.toml").write_text(f'engine = "vosk"\nvosk_model = "{empty}"\n')
    wav = tmp_path / "silence.wav"
    wav.write_bytes(
        b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x80>\x00\x00"
        b"\x00}\x00\x00\x02\x00\x10\x00data\x00\x00\x00\x00"
    )
    got = cli("recognize", str(wav))
    assert got.returncode == 1
    assert "not a complete Vosk model" in got.stderr and "Traceback" not in got.stderr
