"""Settings: one frozen dataclass, read once at start-up from a TOML file.

Every key has a default, so a missing file is fine; an invalid file or value
stops start-up with the file, the key and what is allowed — the coach never
runs half-configured.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import tomllib
import unicodedata
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from voice_coach.errors import ConfigError
from voice_coach.paths import ensure_private_dir

FOCUSES = ("alcohol", "drugs", "smoking", "gambling", "other")
REGIONS = ("US", "CA", "UK", "IE", "AU", "NZ")
ENGINES = ("auto", "vosk", "pocketsphinx")
LISTENING_MODES = ("always-on", "wake-phrase", "push-to-talk")
FRONT_ENDS = ("rnnoise", "webrtc", "speex", "none")
"""Noise suppressors before recognition (`audio_io.front_end`); measured in benchmarks/."""
VADS = ("silero", "micro", "energy")
"""Speech detectors for endpointing (`audio_io.speech_detector`); measured in benchmarks/vad.py."""
COMMAND_GRAMMARS = ("compiled", "expanded")
"""How PocketSphinx decodes commands (`recognition.pocketsphinx_engine`); see benchmarks/."""


@dataclass(frozen=True)
class Settings:
    """Everything a person can configure. Field docstrings become `config show` help."""

    name: str = ""
    """The name the coach calls you ("" = ask on first run)."""
    focus: str = "other"
    """What you are working on: alcohol, drugs, smoking, gambling or other."""
    crisis_region: str = "US"
    """Which crisis lines to give: US, CA, UK, IE, AU or NZ."""
    trusted_contact: str = ""
    """Someone you trust, by name: in a crisis the coach asks "Could you call them right now?"."""
    evening_reflection_time: str = "21:00"
    """When to offer the evening reflection (HH:MM, 24-hour), or "off"."""
    pace: float = 1.0
    """Speaking pace: 1.0 normal, up to 2.0 (slower); pauses stretch with it."""
    urge_surfing_minutes: int = 10
    """Length of an urge-surfing session in minutes (2–30)."""
    voice: str = ""
    """Path to a Piper .onnx voice ("" = the bundled voice), or wyoming://HOST:PORT."""
    engine: str = "auto"
    """Speech recognition: auto, vosk, pocketsphinx, or wyoming://HOST:PORT (a home server)."""
    vosk_model: str = ""
    """Path to a Vosk model folder ("" = the installed default model)."""
    front_end: str = "rnnoise"
    """Noise suppression before recognition: rnnoise, webrtc, speex or none."""
    raw_mix: float = 0.2
    """Share of the unprocessed microphone mixed back after noise suppression (0–0.9)."""
    vad: str = "silero"
    """What tells speech from noise to end your turn: silero, micro or energy."""
    command_grammar: str = "expanded"
    """PocketSphinx answers: expanded (listed sentences, two-pass check) or compiled (templates
    as a graph with a garbage loop: one decode)."""
    input_device: str = ""
    """Microphone by name or index ("" = system default); see `voice-coach devices`."""
    output_device: str = ""
    """Speaker by name or index ("" = system default)."""
    listening_mode: str = "always-on"
    """always-on, wake-phrase or push-to-talk."""
    wake_phrase: str = "hey coach"
    """Said before a request when listening_mode is wake-phrase."""
    silence_timeout: float = 0.8
    """Seconds of silence that end a free answer (0.3–3.0)."""
    command_silence_timeout: float = 0.4
    """Seconds of silence that end a command, rating or yes/no (0.2–2.0)."""
    answer_timeout: float = 20.0
    """Seconds to wait for an answer before a gentle re-prompt (5–120)."""
    barge_in: bool = False
    """Let "stop" interrupt the coach mid-sentence. Only with an echo-cancelled microphone."""
    log_transcripts: bool = False
    """Log what you say (debug only). Off: nothing you say is logged."""
    show_transcripts: bool = True
    """Show on screen what the coach heard you say (voice mode on a terminal)."""


def _check_choice(key: str, value: Any, allowed: tuple[str, ...]) -> str:
    text = str(value)
    for option in allowed:
        if text.lower() == option.lower():
            return option
    raise ValueError(f"must be one of {', '.join(allowed)}")


def _check_range(value: Any, low: float, high: float, kind: type) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"must be a number from {low:g} to {high:g}")
    if kind is int and not float(value).is_integer():
        raise ValueError(f"must be a whole number from {low:g} to {high:g}")
    if not low <= value <= high:
        raise ValueError(f"must be from {low:g} to {high:g}")
    return kind(value)


def _check_time(value: Any) -> str:
    text = str(value).strip().lower()
    if text == "off":
        return "off"
    match = re.fullmatch(r"(\d{1,2}):(\d{2})", text)
    if not match or int(match[1]) > 23 or int(match[2]) > 59:
        raise ValueError('must be a time as HH:MM (24-hour, e.g. "21:00") or "off"')
    return f"{int(match[1]):02d}:{match[2]}"


def _check_str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("must be text in quotes")
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        raise ValueError("must be one line of text (no line breaks, tabs or control characters)")
    return value.strip()


def _check_remote(value: Any) -> str:
    """A `wyoming://HOST:PORT` address, checked; "" when `value` is not one."""
    from voice_coach.remote import is_wyoming_uri, parse_uri

    if not isinstance(value, str) or not is_wyoming_uri(value):
        return ""
    parse_uri(value)
    return value.strip()


def _check_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError("must be true or false")


_VALIDATORS: dict[str, Any] = {
    "name": lambda v: _check_str(v)[:60],
    "focus": lambda v: _check_choice("focus", v, FOCUSES),
    "crisis_region": lambda v: _check_choice("crisis_region", v, REGIONS),
    "trusted_contact": lambda v: _check_str(v)[:60],
    "evening_reflection_time": _check_time,
    "pace": lambda v: _check_range(v, 0.5, 2.0, float),
    "urge_surfing_minutes": lambda v: _check_range(v, 2, 30, int),
    "voice": lambda v: _check_remote(v) or _check_str(v),
    "engine": lambda v: _check_remote(v) or _check_choice("engine", v, ENGINES),
    "vosk_model": _check_str,
    "front_end": lambda v: _check_choice("front_end", v, FRONT_ENDS),
    "raw_mix": lambda v: _check_range(v, 0.0, 0.9, float),
    "vad": lambda v: _check_choice("vad", v, VADS),
    "command_grammar": lambda v: _check_choice("command_grammar", v, COMMAND_GRAMMARS),
    "input_device": lambda v: _check_str(str(v)) if isinstance(v, (str, int)) else _check_str(v),
    "output_device": lambda v: _check_str(str(v)) if isinstance(v, (str, int)) else _check_str(v),
    "listening_mode": lambda v: _check_choice("listening_mode", v, LISTENING_MODES),
    "wake_phrase": lambda v: _check_str(v).lower(),
    "silence_timeout": lambda v: _check_range(v, 0.3, 3.0, float),
    "command_silence_timeout": lambda v: _check_range(v, 0.2, 2.0, float),
    "answer_timeout": lambda v: _check_range(v, 5, 120, float),
    "barge_in": _check_bool,
    "log_transcripts": _check_bool,
    "show_transcripts": _check_bool,
}

KEYS = tuple(f.name for f in fields(Settings))


def describe(key: str) -> str:
    """The one-line help of a key (its field docstring, kept in `_HELP`)."""
    return _HELP.get(key, "")


def from_dict(data: dict[str, Any], source: str = "settings") -> Settings:
    """Validate a parsed TOML table; errors name the source, the key and what is allowed."""
    values: dict[str, Any] = {}
    for key, raw in data.items():
        if key not in _VALIDATORS:
            raise ConfigError(
                f"{source}: unknown key {key!r}. Known keys: {', '.join(KEYS)}."
            )
        try:
            values[key] = _VALIDATORS[key](raw)
        except ValueError as exc:
            raise ConfigError(f"{source}: {key} = {raw!r} {exc}.") from None
    return Settings(**values)


def from_text(text: str, source: str = "settings") -> Settings:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{source} is not valid TOML ({exc}). Fix it, or delete it to use the defaults."
        ) from None
    return from_dict(data, source)


def from_file(path: Path) -> Settings:
    """Read the settings file; a missing file means all defaults."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Cannot read the settings file {path}: {exc}.") from None
    return from_text(text, str(path))


def parse_value(key: str, text: str) -> Any:
    """Turn a command-line value into the key's type (for `config set KEY VALUE`)."""
    if key not in _VALIDATORS:
        raise ConfigError(f"Unknown setting {key!r}. Known settings: {', '.join(KEYS)}.")
    default = getattr(Settings(), key)
    raw: Any = text
    if isinstance(default, bool):
        lowered = text.strip().lower()
        if lowered in ("true", "yes", "on", "1"):
            raw = True
        elif lowered in ("false", "no", "off", "0"):
            raw = False
    elif isinstance(default, (int, float)):
        with contextlib.suppress(ValueError):
            raw = float(text) if "." in text else int(text)
    try:
        return _VALIDATORS[key](raw)
    except ValueError as exc:
        raise ConfigError(f"{key} = {text!r} {exc}.") from None


def to_toml(settings: Settings, only_changed: bool = True) -> str:
    """Write settings as TOML, with each key's help as a comment."""
    defaults = Settings()
    lines = ["# Voice Coach settings. `voice-coach config show` lists every key."]
    for key, value in asdict(settings).items():
        if only_changed and value == getattr(defaults, key):
            continue
        lines.append(f"# {describe(key)}")
        lines.append(f"{key} = {toml_value(value)}")
    return "\n".join(lines) + "\n"


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def save(path: Path, settings: Settings) -> None:
    """Write the settings file atomically, readable only by you (it holds your name and focus).

    The text is read back and compared first, so a value TOML cannot carry
    never leaves a file nothing can read; a folder you cannot write to gets
    one sentence, not a traceback.
    """
    text = to_toml(settings)
    try:
        faithful = from_text(text, str(path)) == settings
    except ConfigError:
        faithful = False
    if not faithful:
        raise ConfigError(
            f"Not saved: these settings would not read back the same from {path}; "
            "the file was left as it was."
        )
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        ensure_private_dir(path.parent)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            os.fchmod(out.fileno(), 0o600)
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        tmp.replace(path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise ConfigError(
            f"Cannot write the settings file {path} ({exc.strerror or exc}); check that you can "
            "write to that folder, or point VOICE_COACH_HOME at one you can."
        ) from None


def set_value(path: Path, key: str, text: str) -> Settings:
    """Validate the whole file plus the new value, then save it."""
    current = from_file(path)
    updated = replace(current, **{key: parse_value(key, text)})
    save(path, updated)
    return updated


def _field_docs() -> dict[str, str]:
    """Read the field docstrings from this module's source (one place to document a key)."""
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(Settings))
    docs: dict[str, str] = {}
    body = tree.body[0].body  # type: ignore[attr-defined]
    for node, nxt in itertools.pairwise(body):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(nxt, ast.Expr)
            and isinstance(nxt.value, ast.Constant)
        ):
            docs[node.target.id] = str(nxt.value.value)
    return docs


_HELP = _field_docs()
