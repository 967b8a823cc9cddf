"""The crisis rules file (`intents/<lang>/crisis/rules.yaml`) → compiled `CrisisRules`.

Only `from_file` touches the disk; `from_text` parses YAML and `from_dict`
validates, so tests build rules from inline text. Every error names the file
and the entry, because a broken safety net must be fixed, not guessed at.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from voice_coach.errors import IntentsError
from voice_coach.resources import load_yaml
from voice_coach.understanding.crisis.kinds import CrisisKind

_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_WORD = re.compile(r"[a-z]{3,}")


@dataclass(frozen=True)
class Rule:
    """One rule of a kind: every part must be found (most rules have one part)."""

    source: str
    """The rule as written in the file (for logs and reports)."""
    parts: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class OverNow:
    """A crisis told as a story that is over, not a crisis now (`over_now:` in the rules).

    Whole-utterance, not literal: crisis words in a past frame with a present-safe
    clause ("i tried to end it back in twenty fifteen and im glad i didnt succeed"),
    someone else's crisis that is over, a question asked and answered no, or a show, a
    play, a group session or a lesson. A present crisis said beside the past ("i tried
    before and im going to do it properly this time") cancels the frame (`still_now`).
    """

    past: re.Pattern[str]
    safe_now: re.Pattern[str]
    told: re.Pattern[str]
    still_now: re.Pattern[str]

    def holds(self, plain: str) -> bool:
        """True when `plain` tells a crisis that is over (or only told), none now."""
        if self.still_now.search(plain):
            return False
        return bool(self.told.search(plain)) or bool(
            self.past.search(plain) and self.safe_now.search(plain)
        )


@dataclass(frozen=True)
class CrisisRules:
    """The compiled rules: repairs, figures of speech, negation and each kind's rules."""

    rewrites: tuple[tuple[re.Pattern[str], str], ...]
    not_a_crisis: tuple[re.Pattern[str], ...]
    negation: re.Pattern[str]
    """Matches the end of the text before a rule's match when that match is denied."""
    kinds: tuple[tuple[CrisisKind, tuple[Rule, ...]], ...]
    """In the file's order: the first kind with a match wins."""
    vocabulary: frozenset[str]
    """Every word the rules are written in (what misspellings are corrected towards)."""
    escalate_at: int = 0
    """This many different distress rules in one utterance count as `escalate_to` (0: never)."""
    escalate_to: CrisisKind = CrisisKind.SUICIDAL
    not_present_distress: re.Pattern[str] | None = None
    """Matches the clause before a distress match that makes it hypothetical ("I'd hate
    myself tomorrow") or a thought being reported ("the thought was nobody cares"): no
    safety question then. Never applies to the crisis kinds."""
    word_lists: tuple[tuple[str, str], ...] = ()
    """The `words:` lists as written (name, alternatives), for the learned second opinion."""
    keep_spelling: frozenset[str] = frozenset()
    """Words the spelling repair never changes (`spelling: keep:`): the coach's own
    names that are not English words ("deads" is not "dead")."""
    medical_signs: tuple[Rule, ...] = ()
    """Signs of an overdose or a body in trouble (`medical_signs:`), not a kind of their own:
    they make a "yes" to the safety question get the emergency answer, not the suicide one."""
    over_now: OverNow | None = None
    """The frame of a crisis told as a story that is over (`over_now:`): see `OverNow`."""

    @classmethod
    def from_file(cls, path: Path) -> CrisisRules:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise IntentsError(
                f"Cannot read the crisis rules {path}: {exc.strerror}. Reinstall Voice Coach."
            ) from exc
        return cls.from_text(text, str(path))

    @classmethod
    def from_text(cls, text: str, source: str = "<text>") -> CrisisRules:
        try:
            data = load_yaml(text)
        except yaml.YAMLError as exc:
            raise IntentsError(f"{source}: not valid YAML ({exc}).") from exc
        return cls.from_dict(data, source)

    @classmethod
    def from_dict(cls, data: Any, source: str = "<dict>") -> CrisisRules:
        if not isinstance(data, Mapping) or not isinstance(data.get("kinds"), Mapping):
            raise IntentsError(f"{source}: expected a mapping with a 'kinds:' key.")
        words = {str(k): str(v) for k, v in (data.get("words") or {}).items()}

        def compile_(pattern: Any, where: str) -> re.Pattern[str]:
            def expand(m: re.Match[str], seen: frozenset[str] = frozenset()) -> str:
                # A list may name other lists ("used: {pill}|{drug}|too much").
                if m[1] not in words or m[1] in seen:
                    raise IntentsError(f"{source}: {where}: no word list named {{{m[1]}}}.")
                inner = _PLACEHOLDER.sub(lambda n: expand(n, seen | {m[1]}), words[m[1]])
                return f"(?:{inner})"

            try:
                return re.compile(_PLACEHOLDER.sub(expand, str(pattern)))
            except re.error as exc:
                raise IntentsError(
                    f"{source}: {where}: {pattern!r} is not a valid regular expression ({exc})."
                ) from exc

        rewrites = []
        for i, pair in enumerate(data.get("rewrite") or []):
            if not isinstance(pair, Sequence) or isinstance(pair, str) or len(pair) != 2:
                raise IntentsError(f"{source}: rewrite {i + 1}: expected [pattern, replacement].")
            rewrites.append((compile_(pair[0], f"rewrite {i + 1}"), str(pair[1])))
        not_a_crisis = tuple(
            compile_(p, f"not_a_crisis {i + 1}")
            for i, p in enumerate(data.get("not_a_crisis") or [])
        )
        negation_spec = data.get("negation") or {}
        before = str(negation_spec.get("before") or "(not|never)")
        small = str(negation_spec.get("small_words") or "to")
        negation = compile_(rf"\b{before}(?: (?:{small}))*\s*$", "negation")
        present = data.get("distress_not_present") or {}
        not_present = None
        if present:
            frames: list[str] = []
            if present.get("hypothetical"):
                frames.append(rf"\bi (?:{present['hypothetical']})(?: (?:{small}))*\s*$")
            if present.get("reported"):
                frames.append(rf"\b(?:{present['reported']})\b")
            not_present = compile_("|".join(frames), "distress_not_present")
        kinds = []
        vocabulary: set[str] = set(_WORD.findall(" ".join(words.values())))

        def rules_of(rules: list[Any], name: str) -> tuple[Rule, ...]:
            compiled = []
            for i, rule in enumerate(rules):
                where = f"{name}, rule {i + 1}"
                parts = rule.get("all") if isinstance(rule, Mapping) else [rule]
                if not isinstance(parts, list) or not parts:
                    raise IntentsError(f"{source}: {where}: expected a pattern or 'all: [...]'.")
                compiled.append(Rule(str(rule), tuple(compile_(p, where) for p in parts)))
                vocabulary.update(_WORD.findall(_PLACEHOLDER.sub(" ", " ".join(map(str, parts)))))
            return tuple(compiled)

        for name, rules in data["kinds"].items():
            try:
                kind = CrisisKind(str(name))
            except ValueError as exc:
                known = ", ".join(k.value for k in CrisisKind if k is not CrisisKind.NONE)
                raise IntentsError(f"{source}: unknown kind {name!r} (known: {known}).") from exc
            if not isinstance(rules, list) or not rules:
                raise IntentsError(f"{source}: kind {name!r} needs a list of rules.")
            kinds.append((kind, rules_of(rules, f"kind {name!r}")))
        signs = data.get("medical_signs") or []
        if not isinstance(signs, list):
            raise IntentsError(f"{source}: medical_signs: expected a list of rules.")
        medical = rules_of(signs, "medical_signs")
        escalate = data.get("escalate") or {}
        try:
            escalate_at = int(escalate.get("distress_signs", 0))
            escalate_to = CrisisKind(str(escalate.get("to", "suicidal")))
        except (TypeError, ValueError) as exc:
            raise IntentsError(
                f"{source}: escalate: expected distress_signs: <number> and to: <kind>."
            ) from exc
        over_spec = data.get("over_now") or {}
        over_now = None
        if over_spec:
            try:
                over_now = OverNow(
                    *(
                        compile_(str(over_spec[k]), f"over_now {k}")
                        for k in ("past", "safe_now", "told", "still_now")
                    )
                )
            except KeyError as exc:
                raise IntentsError(
                    f"{source}: over_now needs past, safe_now, told and still_now."
                ) from exc
        return cls(
            tuple(rewrites), not_a_crisis, negation, tuple(kinds), frozenset(vocabulary),
            escalate_at, escalate_to, not_present, tuple(words.items()),
            frozenset(str((data.get("spelling") or {}).get("keep", "")).split("|")) - {""},
            medical, over_now,
        )
