"""Crisis wording and region resources, read from `intents/<lang>/crisis/`.

`resources.yaml` holds the numbers (checked against each service's own
page, with the date); `replies.yaml` the words. `CrisisContent.line()` fills
a template twice: once to be spoken ("nine eight eight") and once to be
shown ("988"), so text mode shows digits while speech says words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from voice_coach.errors import IntentsError
from voice_coach.resources import load_yaml

KINDS_OF_LINE = ("emergency", "crisis", "poison")
_FIELD = re.compile(r"\{([a-z_]+)\}")


@dataclass(frozen=True)
class Line:
    """One sentence, as said and as shown."""

    spoken: str
    display: str


@dataclass(frozen=True)
class Number:
    """A phone number of one service."""

    name: str
    display: str
    """As shown: "988", "1-800-222-1222"."""
    spoken: str
    """As said: "nine eight eight"."""
    how: str = "call"
    """"call", "call or text", "call free on"."""
    source: str = ""
    """Where the number was checked."""
    checked: str = ""
    """When it was last checked there (ISO date)."""


@dataclass(frozen=True)
class Region:
    """The lines of one region."""

    code: str
    emergency: Number
    crisis: Number
    poison: Number | None


@dataclass(frozen=True)
class CrisisContent:
    """Everything the safety conversation says, for one region."""

    region: Region
    replies: Mapping[str, Any]
    checked: str
    """The date the numbers were last checked (ISO)."""
    contact: str = ""
    """The trusted contact's name from settings ("" for none)."""
    emergency_first: bool = False
    """An overdose or medical emergency: the emergency number comes before the crisis line."""

    def for_emergency(self) -> CrisisContent:
        """The same content with the emergency number first (overdose, medical emergency)."""
        return replace(self, emergency_first=True)

    @staticmethod
    @lru_cache(maxsize=16)
    def load(region: str = "US", contact: str = "", language: str = "en") -> CrisisContent:
        from voice_coach.resources import intents_dir

        folder = intents_dir(language) / "crisis"
        return CrisisContent.from_data(
            _read(folder / "resources.yaml"), _read(folder / "replies.yaml"), region, contact
        )

    @classmethod
    def from_data(
        cls, resources: Any, replies: Any, region: str, contact: str = ""
    ) -> CrisisContent:
        regions = all_regions(resources)
        code = region.upper()
        if code not in regions:
            code = "US"
        if not isinstance(replies, Mapping):
            raise IntentsError("crisis replies: expected a mapping of reply names.")
        return cls(regions[code], replies, str(resources.get("checked", "")), contact.strip())

    # ----- filling templates --------------------------------------------------

    def fields(self, spoken: bool) -> dict[str, str]:
        r = self.region

        def number(n: Number, slow: bool = False) -> str:
            if not spoken:
                return n.display
            return _slowly(n.spoken) if slow else n.spoken

        def named(n: Number) -> str:
            """A name that holds its own number ("NHS 111") says it as the number is said."""
            return n.name.replace(n.display, number(n)) if n.display in n.name else n.name

        def called(n: Number) -> str:
            """"NHS 111" alone, or "the Poisons Information Centre on 13 11 26"."""
            return named(n) if n.display in n.name else f"{n.name} on {number(n)}"

        values = {
            "emergency": number(r.emergency),
            "emergency_slow": number(r.emergency, slow=True),
            "crisis": number(r.crisis),
            "crisis_slow": number(r.crisis, slow=True),
            "crisis_name": r.crisis.name,
            "crisis_how": r.crisis.how,
            "poison": number(r.poison) if r.poison else "",
            "poison_slow": number(r.poison, slow=True) if r.poison else "",
            "poison_name": named(r.poison) if r.poison else "",
            "poison_call": called(r.poison) if r.poison else "",
            "contact": self.contact,
        }
        for name in ("reach", "short_resources"):
            key = f"emergency_{name}" if self.emergency_first else name
            template = str(self.replies.get(key, self.replies.get(name, "")))
            values[name] = _fill(template, values)
        return values

    def line(self, template: str) -> Line:
        spoken = _fill(template, self.fields(spoken=True))
        display = _fill(template, self.fields(spoken=False))
        return Line(_capital(spoken), _capital(display))

    def lines(self, items: Sequence[Any]) -> list[Line]:
        """Templates with conditions (`poison:`, `contact:`/`otherwise:`, `texting:`) filled."""
        out: list[Line] = []
        for item in items:
            template = self._choose(item)
            if template:
                out.append(self.line(template))
        return out

    def say(self, name: str) -> list[Line]:
        """The reply called `name` in replies.yaml (a sentence or a list of them)."""
        value = self.replies.get(f"emergency_{name}") if self.emergency_first else None
        value = value if value is not None else self.replies.get(name)
        if value is None:
            raise IntentsError(f"crisis replies: no reply named {name!r}.")
        return self.lines(value if isinstance(value, list) else [value])

    def _choose(self, item: Any) -> str:
        if isinstance(item, Mapping):
            if "poison" in item:
                return str(item["poison"]) if self.region.poison else ""
            if "contact" in item:
                return str(item["contact"] if self.contact else item.get("otherwise", ""))
            return ""
        text = str(item)
        for condition, holds in (
            ("contact: ", bool(self.contact)),
            ("otherwise: ", not self.contact),
            ("texting: ", "text" in self.region.crisis.how),
        ):
            if text.startswith(condition):
                return text[len(condition) :] if holds else ""
        if text.startswith("otherwise: "):
            return ""
        return text


def all_regions(resources: Any) -> dict[str, Region]:
    """Every region of a parsed resources.yaml; errors name the region and line."""
    if not isinstance(resources, Mapping) or not isinstance(resources.get("regions"), Mapping):
        raise IntentsError("crisis resources: expected 'regions:' with one entry per region.")
    out: dict[str, Region] = {}
    for code, spec in resources["regions"].items():
        if not isinstance(spec, Mapping):
            raise IntentsError(f"crisis resources: region {code!r} must be a mapping.")
        numbers: dict[str, Number | None] = {}
        for kind in KINDS_OF_LINE:
            entry = spec.get(kind)
            if entry is None:
                numbers[kind] = None
                continue
            try:
                numbers[kind] = Number(
                    name=str(entry.get("name", kind)),
                    display=str(entry["display"]),
                    spoken=str(entry["spoken"]),
                    how=str(entry.get("how", "call")),
                    source=str(entry.get("source", "")),
                    checked=str(entry.get("checked", resources.get("checked", ""))),
                )
            except (KeyError, AttributeError) as exc:
                raise IntentsError(
                    f"crisis resources: region {code!r}, {kind}: needs 'display' and 'spoken'."
                ) from exc
        emergency, crisis = numbers["emergency"], numbers["crisis"]
        if emergency is None or crisis is None:
            raise IntentsError(
                f"crisis resources: region {code!r} needs an emergency and a crisis line."
            )
        out[str(code).upper()] = Region(str(code).upper(), emergency, crisis, numbers["poison"])
    return out


def _read(path: Path) -> Any:
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise IntentsError(f"Cannot read {path}: {exc}. Reinstall Voice Coach.") from exc


def _fill(template: str, values: Mapping[str, str]) -> str:
    return _FIELD.sub(lambda m: values.get(m[1], m[0]), template)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def _slowly(spoken: str) -> str:
    """"nine eight eight" → "nine. eight. eight." (Piper pauses at each full stop)."""
    words = spoken.replace(",", " ").split()
    return ". ".join(words)
