"""Intent files: YAML → `Intents` (templates, slot lists, shared rules, crisis patterns).

Only `Intents.from_files` touches the disk; it hands each file's text to
`from_yaml`, which hands the parsed mapping to `from_dict` — so tests build
intents from a few lines of inline YAML. A file looks like:

    intents:
      urge_help:
        sentences:
          - "(I'm|I am) having [an] <urge>"
      crisis:
        sentences: ["I want to die"]
        patterns: ["suicid", "kill(ing)? myself"]   # regular expressions, crisis only
      order_drink:                                    # slot lists multiply into millions
        sentences: ["[a] {size} {drink} with {milk}"]
        sample: 400                                   # sentences kept per template (see below)
    lists:
      value:
        range: {from: 0, to: 10}                      # spelled as words
      tool:
        values: ["breathing", {in: "urge surfing", out: urge_surfing}]
    expansion_rules:
      urge: "(urge|craving)"

`sample: N` is for grammars too combinatorial to list (a benchmark's coffee
orders): each template keeps about N sentences in which every alternative
and slot value appears (`templates.sample`), instead of every sentence.

Several files merge into one `Intents`; an intent may take sentences from more
than one file, but a list or rule may be defined only once.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from voice_coach.errors import IntentsError
from voice_coach.resources import load_yaml
from voice_coach.understanding.numbers import int_to_words
from voice_coach.understanding.templates import Expansion, Expression, SlotValue, expand, sample
from voice_coach.understanding.templates import parse_template as _parse

log = logging.getLogger(__name__)

_FILE_KEYS = frozenset({"language", "intents", "lists", "expansion_rules"})
_INTENT_KEYS = frozenset({"sentences", "patterns", "description", "sample"})
_NAME = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class Intent:
    """One thing a person can ask for, with every way of asking it."""

    name: str
    templates: tuple[str, ...]
    """The sentence templates, as written in the file."""
    patterns: tuple[str, ...] = ()
    """Regular expressions searched in normalised text (the crisis safety net)."""
    sample: int | None = None
    """Keep about this many sentences per template instead of all (`templates.sample`)."""


@dataclass(frozen=True)
class IntentSentence:
    """One expanded sentence and the intent it belongs to."""

    intent: str
    text: str
    """As expanded from the template (not yet normalised)."""
    slots: dict[str, int | str] = field(default_factory=dict)


@dataclass(frozen=True)
class Intents:
    """Everything the intent files define, merged."""

    intents: dict[str, Intent]
    lists: dict[str, tuple[SlotValue, ...]] = field(default_factory=dict)
    rules: dict[str, Expression] = field(default_factory=dict)

    @classmethod
    def from_files(cls, folder: Path) -> Intents:
        """Read every `*.yaml` in `folder` (sorted by name) and merge them."""
        files = sorted(Path(folder).glob("*.yaml"))
        if not files:
            raise IntentsError(
                f"No intent files (*.yaml) in {folder}. Reinstall Voice Coach or point "
                "it at a folder of intent templates."
            )
        parts = []
        for path in files:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise IntentsError(f"Cannot read the intent file {path}: {exc}.") from None
            parts.append(cls.from_yaml(text, source=str(path)))
        return cls.merge(parts)

    @classmethod
    def from_yaml(cls, text: str, source: str = "<yaml>") -> Intents:
        try:
            data = load_yaml(text)
        except yaml.YAMLError as exc:
            raise IntentsError(f"{source} is not valid YAML: {exc}") from None
        return cls.from_dict(data if data is not None else {}, source)

    @classmethod
    def from_dict(cls, data: Any, source: str = "<dict>") -> Intents:
        """Validate a parsed file; every error names `source` and the offending entry."""
        if not isinstance(data, Mapping):
            raise IntentsError(f"{source}: expected a mapping with an 'intents:' key.")
        unknown = set(data) - _FILE_KEYS
        if unknown:
            raise IntentsError(
                f"{source}: unknown key(s) {', '.join(sorted(map(str, unknown)))}; "
                f"allowed: {', '.join(sorted(_FILE_KEYS))}."
            )
        lists = {
            _check_name(name, source): _slot_list(name, spec, source)
            for name, spec in _mapping(data.get("lists"), "lists", source).items()
        }
        rule_specs = _mapping(data.get("expansion_rules"), "expansion_rules", source)
        rules = {
            _check_name(name, source): _template(str(text), f"{source}, rule <{name}>")
            for name, text in rule_specs.items()
        }
        intents: dict[str, Intent] = {}
        for name, spec in _mapping(data.get("intents"), "intents", source).items():
            intents[_check_name(name, source)] = _intent(name, spec, source)
        return cls(intents, lists, rules)

    @classmethod
    def merge(cls, parts: Iterable[Intents]) -> Intents:
        intents: dict[str, Intent] = {}
        lists: dict[str, tuple[SlotValue, ...]] = {}
        rules: dict[str, Expression] = {}
        for part in parts:
            for name, intent in part.intents.items():
                if name in intents:
                    old = intents[name]
                    intent = Intent(
                        name,
                        old.templates + intent.templates,
                        old.patterns + intent.patterns,
                        intent.sample or old.sample,
                    )
                intents[name] = intent
            _no_overlap("list", lists, part.lists)
            _no_overlap("rule", rules, part.rules)
            lists.update(part.lists)
            rules.update(part.rules)
        return cls(intents, lists, rules)

    @cached_property
    def sentences(self) -> tuple[IntentSentence, ...]:
        """Every sentence every intent accepts (expanded once, then cached)."""
        return tuple(s for name in self.intents for s in self.sentences_of(name))

    def sentences_of(self, name: str) -> list[IntentSentence]:
        """Every sentence one intent accepts (its `sample:` when it has one): expanded now,
        so a caller that needs a few intents never expands them all."""
        intent = self.intents.get(name)
        result: list[IntentSentence] = []
        if intent is None:
            return result
        for template in intent.templates:
            try:
                expansions: list[Expansion] = (
                    expand(template, self.lists, self.rules)
                    if intent.sample is None
                    else sample(template, intent.sample, self.lists, self.rules)
                )
            except IntentsError as exc:
                raise IntentsError(f"Intent {name!r}, template {template!r}: {exc}") from None
            result.extend(IntentSentence(intent.name, e.text, e.slots) for e in expansions)
        return result


def _no_overlap(kind: str, old: Mapping[str, Any], new: Mapping[str, Any]) -> None:
    twice = set(old) & set(new)
    if twice:
        raise IntentsError(
            f"The {kind} {sorted(twice)[0]!r} is defined in two intent files; keep one definition."
        )


def _check_name(name: Any, source: str) -> str:
    if isinstance(name, bool):
        raise IntentsError(
            f"{source}: a name was read as {name} (YAML reads bare yes/no/on/off as true/false); "
            'put it in quotes, e.g. "yes":.'
        )
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise IntentsError(
            f"{source}: {name!r} is not a valid name; use lowercase letters, digits and '_'."
        )
    return name


def _mapping(value: Any, key: str, source: str) -> Mapping[Any, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise IntentsError(f"{source}: '{key}:' must be a mapping of names to entries.")
    return value


def _template(text: str, where: str) -> Expression:
    try:
        return _parse(text)
    except IntentsError as exc:
        raise IntentsError(f"{where}: {exc}") from None


def _intent(name: str, spec: Any, source: str) -> Intent:
    if isinstance(spec, list):
        spec = {"sentences": spec}
    if not isinstance(spec, Mapping) or set(spec) - _INTENT_KEYS:
        raise IntentsError(
            f"{source}: intent {name!r} must be a mapping with 'sentences:' "
            "(and, for crisis, 'patterns:')."
        )
    templates = spec.get("sentences") or []
    patterns = spec.get("patterns") or []
    if not isinstance(templates, list) or not isinstance(patterns, list):
        raise IntentsError(f"{source}: intent {name!r}: 'sentences:' must be a list of strings.")
    size = spec.get("sample")
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 1):
        raise IntentsError(
            f"{source}: intent {name!r}: 'sample:' must be a whole number of sentences "
            "per template, e.g. 400."
        )
    for template in templates:
        _template(str(template), f"{source}, intent {name!r}")
    for pattern in patterns:
        try:
            re.compile(str(pattern))
        except re.error as exc:
            raise IntentsError(
                f"{source}: intent {name!r}: pattern {pattern!r} is not a valid "
                f"regular expression ({exc})."
            ) from None
    return Intent(name, tuple(map(str, templates)), tuple(map(str, patterns)), size)


def _slot_list(name: str, spec: Any, source: str) -> tuple[SlotValue, ...]:
    where = f"{source}, list {name!r}"
    if isinstance(spec, Mapping) and "range" in spec:
        bounds = spec["range"]
        try:
            low, high = int(bounds["from"]), int(bounds["to"])
        except (TypeError, KeyError, ValueError):
            raise IntentsError(f"{where}: range needs integer 'from:' and 'to:'.") from None
        if not 0 <= high - low <= 1000:
            raise IntentsError(f"{where}: range must go up and hold at most 1000 numbers.")
        return tuple(SlotValue(int_to_words(n), n) for n in range(low, high + 1))
    values = spec.get("values") if isinstance(spec, Mapping) else None
    if not isinstance(values, list) or not values:
        raise IntentsError(f"{where}: needs 'values:' (a list) or 'range:'.")
    result = []
    for value in values:
        if isinstance(value, Mapping) and "in" in value:
            result.append(SlotValue(str(value["in"]), value.get("out", value["in"])))
        elif isinstance(value, (str, int)):
            result.append(SlotValue(str(value), value))
        else:
            raise IntentsError(f"{where}: each value is a string or {{in: ..., out: ...}}.")
    return tuple(result)
