"""`CrisisDetector.classify(text)`: the kind of crisis an utterance shows, and why.

The steps, all driven by `rules.yaml`:

1. make the text plain (`normalize`: lower case, digits spelled, contractions
   opened) and turn "od'd"/"ODed" into "overdosed" (the word "od" alone, as
   in "the od bus", is not an overdose);
2. repair dictation and typing slips (`rewrite`, then `Speller`);
3. blank out figures of speech and urge talk (`not_a_crisis`);
4. try each kind's rules in order; a match preceded by a denial in the same
   breath ("I'm not going to hurt myself") does not count.

Nothing is learned: every decision can be traced to one line of the file
(`CrisisFinding.rule`), which is what a clinician reviewing it needs.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from voice_coach.understanding.crisis.kinds import CrisisKind
from voice_coach.understanding.crisis.rules import CrisisRules, Rule
from voice_coach.understanding.crisis.spelling import Speller
from voice_coach.understanding.normalize import normalize

log = logging.getLogger(__name__)

RULES_FILE = Path("crisis") / "rules.yaml"
MAX_CHARS = 4000
"""Longer input is checked in full, in windows of this size (never truncated)."""

_OD_VERB = re.compile(r"\bo\.?d\.?(?:'d|'ed|ed|'ing|ing|'s)\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"\b(but|because|though|although|however|yet|except|and then)\b")


@dataclass(frozen=True)
class CrisisFinding:
    """The answer for one utterance."""

    kind: CrisisKind
    rule: str = ""
    """The rule that matched, as written in the rules file ("" for none)."""
    text: str = ""
    """The plain text the rules saw (after repairs), for tests and reports; never logged."""

    @property
    def is_crisis(self) -> bool:
        return self.kind.is_crisis


class CrisisDetector:
    """Applies the crisis rules to any text."""

    def __init__(self, rules: CrisisRules) -> None:
        self._rules = rules
        self._speller = Speller(rules.vocabulary, rules.keep_spelling)

    @staticmethod
    @lru_cache(maxsize=4)
    def load(language: str = "en") -> CrisisDetector:
        """The rules shipped for `language`."""
        from voice_coach.resources import intents_dir

        return CrisisDetector.from_folder(intents_dir(language))

    @classmethod
    def from_folder(cls, folder: Path) -> CrisisDetector:
        return cls(CrisisRules.from_file(Path(folder) / RULES_FILE))

    @property
    def word_lists(self) -> dict[str, str]:
        """The rules' `words:` lists (name → alternatives), as written."""
        return dict(self._rules.word_lists)

    def not_present(self, plain: str) -> bool:
        """True when `plain` reports a thought or a "what if" ("i told myself nobody cares",
        "the thought was i can't cope"): what the thinking tools ask people to say, not a
        sign of how they are now (`distress_not_present` in the rules file)."""
        pattern = self._rules.not_present_distress
        return pattern is not None and pattern.search(plain) is not None

    def medical_signs(self, text: str) -> str:
        """The `medical_signs` rule `text` matches ("" for none): an overdose or a body in
        trouble mentioned, so "yes" to the safety question gets the emergency answer."""
        if not isinstance(text, str) or not text.strip():
            return ""
        plain = self.plain(text[:MAX_CHARS])
        return next((r.source for r in self._rules.medical_signs if self._match(r, plain)), "")

    def denied(self, plain: str) -> bool:
        """True when `plain` (already plain, as in `CrisisFinding.text`) holds a crisis
        rule's words that a denial in the same breath takes back ("there's no way i'd take
        my own life"): the rules have read the denial, and the learned second opinion,
        which sees words rather than their scope, does not overrule it."""
        if self._over_now(plain):
            return True
        for kind, rules in self._rules.kinds:
            if not kind.is_crisis:
                continue
            for rule in rules:
                if all(part.search(plain) for part in rule.parts) and not self._match(rule, plain):
                    return True
        return False

    def classify(self, text: str) -> CrisisFinding:
        """The kind of crisis `text` shows (CrisisKind.NONE when it shows none)."""
        if not isinstance(text, str) or not text.strip():
            return CrisisFinding(CrisisKind.NONE)
        best: CrisisFinding | None = None
        for start in range(0, len(text), MAX_CHARS):
            window = text[max(0, start - 200) : start + MAX_CHARS]
            finding = self._classify(window)
            if best is None or _rank(finding.kind) < _rank(best.kind):
                best = finding
        assert best is not None  # text is not empty
        return best

    def plain(self, text: str) -> str:
        """The text the rules see: normalised, repaired, figures of speech blanked."""
        plain = normalize(_OD_VERB.sub(" overdosed ", text))
        for pattern, replacement in self._rules.rewrites:
            plain = pattern.sub(replacement, plain)
        plain = self._speller.correct(plain)
        for pattern, replacement in self._rules.rewrites:
            plain = pattern.sub(replacement, plain)
        for pattern in self._rules.not_a_crisis:
            plain = pattern.sub(" , ", plain)
        return " ".join(plain.split())

    def _classify(self, text: str) -> CrisisFinding:
        plain = self.plain(text)
        if self._over_now(plain):
            return CrisisFinding(CrisisKind.NONE, "", plain)
        for kind, rules in self._rules.kinds:
            present = kind is CrisisKind.DISTRESS
            matched = [
                (rule, span) for rule in rules if (span := self._match(rule, plain, present))
            ]
            if not matched:
                continue
            if kind is CrisisKind.DISTRESS and self._rules.escalate_at > 0:
                signs = _separate(matched)
                if len(signs) >= self._rules.escalate_at:
                    sources = " + ".join(rule.source for rule in signs)
                    return CrisisFinding(self._rules.escalate_to, sources, plain)
            return CrisisFinding(kind, matched[0][0].source, plain)
        return CrisisFinding(CrisisKind.NONE, "", plain)

    def _over_now(self, plain: str) -> bool:
        """True when `plain` tells a crisis that is over, someone else's that is over, a
        question answered no, or a story (`over_now` in the rules file)."""
        over = self._rules.over_now
        return over is not None and over.holds(plain)

    def _match(self, rule: Rule, plain: str, present: bool = False) -> tuple[int, int] | None:
        """Where the rule's first part was found (not denied), or None if some part is missing.

        `present`: the match must also be about now (not "I'd hate myself tomorrow").
        """
        first: tuple[int, int] | None = None
        for part in rule.parts:
            found = next(
                (
                    m
                    for m in part.finditer(plain)
                    if not self._denied(plain, m.start(), present)
                ),
                None,
            )
            if found is None:
                return None
            first = first or found.span()
        return first

    def _denied(self, plain: str, start: int, present: bool = False) -> bool:
        """True when the words just before `start`, in the same clause, deny what follows
        (or, with `present`, make it hypothetical or a reported thought)."""
        before = plain[:start]
        cut = before.rfind(",")
        for m in _CLAUSE_BREAK.finditer(before):
            cut = max(cut, m.end())
        clause = (before[cut + 1 :] if cut >= 0 else before).strip()
        if self._rules.negation.search(clause):
            return True
        not_present = self._rules.not_present_distress
        return present and not_present is not None and bool(not_present.search(clause))


def _separate(matched: list[tuple[Rule, tuple[int, int]]]) -> list[Rule]:
    """Rules that matched different words (two rules on the same words are one sign)."""
    taken: list[tuple[int, int]] = []
    signs: list[Rule] = []
    for rule, (start, end) in sorted(matched, key=lambda item: item[1]):
        if all(end <= a or start >= b for a, b in taken):
            taken.append((start, end))
            signs.append(rule)
    return signs


def _rank(kind: CrisisKind) -> int:
    order = (CrisisKind.OVERDOSE, CrisisKind.SUICIDAL, CrisisKind.SELF_HARM, CrisisKind.DISTRESS)
    return order.index(kind) if kind in order else len(order)
