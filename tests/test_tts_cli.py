"""`voice-coach say --out` and `voice-coach voice warm`, run as a person would (no sound card)."""

from __future__ import annotations

from pathlib import Path

from audio_fixtures import transcribe
from conftest import Cli

from voice_coach.audio_io.wav import read_wav


def test_say_writes_a_wav_that_says_the_text(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "hello.wav"
    result = cli("say", "I want to go for a walk.", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert f"Wrote {out}" in result.stdout
    audio = read_wav(out)
    assert (audio.rate, audio.channels) == (22050, 1)
    heard = transcribe(read_wav(out)).split()
    assert {"want", "go"} <= set(heard) and any(word.startswith("walk") for word in heard)


def test_say_pace_makes_a_longer_recording(cli: Cli, tmp_path: Path) -> None:
    text = "Breathe in slowly, and breathe out even more slowly than that."
    for pace in ("1.0", "1.6"):
        assert (
            cli("say", text, "--pace", pace, "--out", str(tmp_path / f"{pace}.wav")).returncode == 0
        )
    assert read_wav(tmp_path / "1.6.wav").seconds > read_wav(tmp_path / "1.0.wav").seconds * 1.2


def test_say_does_not_store_the_text_unless_asked(
    cli: Cli, coach_home: Path, tmp_path: Path,
) -> None:
    assert cli("say", "My private words.", "--out", str(tmp_path / "a.wav")).returncode == 0
    assert not (coach_home / "cache" / "prompts").exists()
    assert (
        cli("say", "A fixed prompt.", "--cache", "--out", str(tmp_path / "b.wav")).returncode == 0
    )
    assert len(list((coach_home / "cache" / "prompts").glob("*.wav"))) == 1


def test_say_out_to_a_missing_folder_is_a_clear_error(cli: Cli, tmp_path: Path) -> None:
    result = cli("say", "Hello.", "--out", str(tmp_path / "no" / "such" / "x.wav"))
    assert result.returncode == 1
    assert "Cannot write" in result.stderr and "Traceback" not in result.stderr


def test_a_missing_voice_setting_is_explained(cli: Cli, coach_home: Path, tmp_path: Path) -> None:
    (coach_home / "config.toml").write_text(f'voice = "{tmp_path / "gone.onnx"}"\n')
    result = cli("say", "Hello.", "--out", str(tmp_path / "x.wav"))
    assert result.returncode == 1
    assert "gone.onnx does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_pace_is_refused_before_anything_loads(cli: Cli) -> None:
    result = cli("say", "Hello.", "--pace", "5")
    assert result.returncode == 2
    assert "outside 0.5–2.0" in result.stderr


def test_voice_warm_fills_the_cache_once(cli: Cli, coach_home: Path) -> None:
    args = ("voice", "warm", "--text", "Let's begin.", "--text", "How strong is the urge?")
    first = cli(*args)
    assert first.returncode == 0, first.stderr
    assert "Rendered 2 prompt(s), 0 already cached" in first.stdout
    assert len(list((coach_home / "cache" / "prompts").glob("*.wav"))) == 2
    again = cli(*args)
    assert "Rendered 0 prompt(s), 2 already cached" in again.stdout
