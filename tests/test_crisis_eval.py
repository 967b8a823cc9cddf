"""The crisis check on the independent evaluation list (tests/data/crisis_eval*.yaml).

The list was written before the rules, in the words people use (typos, no
punctuation, dictation slips, negation, third person) plus the ordinary
answers people give to every exercise question. Figures are printed for the
tuned part and the held-out parts separately (`pytest -s` shows them):

    .venv/bin/pytest tests/test_crisis_eval.py -s

Targets (issue 8): recall >= 99 % for suicidal + overdose + self-harm,
<= 2 % of hyperbole and ordinary answers taken for a crisis, >= 95 % of
distress answered with the safety question.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import Cli

from voice_coach.understanding import Understanding
from voice_coach.understanding.crisis import CrisisDetector, CrisisKind

DATA = Path(__file__).parent / "data"
CRISIS_GROUPS = ("suicidal", "overdose", "self_harm")
SAFE_GROUPS = ("hyperbole", "sad_safe", "answers")
TUNED = (
    "crisis_eval.yaml", "crisis_eval_families9.yaml", "crisis_eval_families10.yaml",
    "crisis_eval_families11.yaml", "crisis_eval_families12.yaml",
)
"""Lists the rules were written against (families9: new phrases for the families that
heldout9's false alarms led to, written before those families; families10: new phrases
for the families heldout10's misses led to, written after them but on other words;
families11: the same for heldout11's misses, false alarms and denials; families12: the
same for heldout12's misses and denials, with the `over_now` frame's counter-cases)."""
HELD_OUT = (
    "crisis_eval_heldout.yaml",
    "crisis_eval_heldout2.yaml",
    "crisis_eval_heldout3.yaml",
    "crisis_eval_heldout4.yaml",
    "crisis_eval_heldout5.yaml",
    "crisis_eval_heldout6.yaml",
    "crisis_eval_heldout7.yaml",
    "crisis_eval_heldout10.yaml",
    "crisis_eval_heldout11.yaml",
    "crisis_eval_heldout12.yaml",
    "crisis_eval_heldout13.yaml",
)
"""Written in turn, each measured as written before any rule change it led to (see each
file's header; the first-run figures are in the commit messages). heldout10 was first
contact until its misses led to the families of 3 December 2026: it is tuned on now;
heldout11 likewise, since its misses, false alarms and denials led to the later families
of 3 December 2026; heldout12 too (its denials led to the `over_now` frame, its misses to
the later families of that day); heldout13 likewise (its misses and false alarms led to the
"(heldout13)" families, the last of that day)."""
FIRST_CONTACT = (
    "crisis_eval_heldout8.yaml", "crisis_eval_heldout9.yaml", "crisis_eval_families9b.yaml",
    "crisis_eval_families13.yaml", "crisis_eval_heldout14.yaml",
)
"""Held-out parts no rule has been tuned on yet: reported, and held to the false-alarm
target only (their recall is the honest figure, whatever it is). heldout9 is the newest of them,
written blind (its writer never saw the rules, the examples or an earlier list);
families9b was written by a session before two rule families, to check them; heldout14
(4 December 2026, blind) is the newest: only its false alarms and denials were fixed."""


@dataclass
class Figures:
    crisis_total: int = 0
    crisis_caught: int = 0
    kind_right: int = 0
    distress_total: int = 0
    distress_asked: int = 0
    distress_full_answer: int = 0
    safe_total: int = 0
    safe_alarms: int = 0
    safe_questions: int = 0
    negated_total: int = 0
    negated_alarms: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, group: str, text: str, kind: CrisisKind) -> None:
        if group in CRISIS_GROUPS:
            self.crisis_total += 1
            self.crisis_caught += kind.is_crisis
            self.kind_right += kind.value == group
            if not kind.is_crisis:
                self.misses.append(f"{group} -> {kind.value}: {text}")
        elif group == "distress":
            self.distress_total += 1
            self.distress_asked += kind is CrisisKind.DISTRESS
            self.distress_full_answer += kind.is_crisis
            if kind is CrisisKind.NONE:
                self.misses.append(f"distress -> none: {text}")
        elif group == "negated":
            self.negated_total += 1
            self.negated_alarms += kind.is_crisis
            if kind.is_crisis:
                self.misses.append(f"negated -> {kind.value}: {text}")
        else:
            assert group in SAFE_GROUPS, group
            self.safe_total += 1
            self.safe_alarms += kind.is_crisis
            self.safe_questions += kind is CrisisKind.DISTRESS
            if kind is not CrisisKind.NONE:
                self.misses.append(f"{group} -> {kind.value}: {text}")

    @property
    def recall(self) -> float:
        return self.crisis_caught / self.crisis_total

    @property
    def false_alarms(self) -> float:
        return self.safe_alarms / self.safe_total

    @property
    def distress_handled(self) -> float:
        """Distress met with the safety question or (stronger) the crisis answer (nan: none)."""
        if not self.distress_total:
            return float("nan")
        return (self.distress_asked + self.distress_full_answer) / self.distress_total

    def report(self, name: str) -> str:
        return "\n".join(
            [
                f"{name}: crisis recall {self.crisis_caught}/{self.crisis_total} "
                f"({self.recall:.1%}), right kind {self.kind_right}/{self.crisis_total}; "
                f"distress asked {self.distress_asked}/{self.distress_total} "
                f"(+{self.distress_full_answer} full answer, handled {self.distress_handled:.1%}); "
                f"hyperbole/ordinary/answers taken for a crisis {self.safe_alarms}/"
                f"{self.safe_total} ({self.false_alarms:.1%}), safety question "
                f"{self.safe_questions}; denials taken for a crisis "
                f"{self.negated_alarms}/{self.negated_total}",
                *(f"    miss: {m}" for m in self.misses),
            ]
        )


def _groups(data: dict[str, Any]) -> list[tuple[str, list[str]]]:
    out: list[tuple[str, list[str]]] = []
    for group, items in data.items():
        if isinstance(items, dict):
            out += _groups(items)
        else:
            out.append((group, list(items)))
    return out


def _figures(detector: CrisisDetector | Understanding, data: dict[str, Any]) -> Figures:
    """Rules alone (a CrisisDetector) or rules + the learned second opinion (Understanding)."""
    classify = detector.classify if isinstance(detector, CrisisDetector) else detector.crisis
    figures = Figures()
    for group, items in _groups(data):
        for text in items:
            figures.add(group, str(text), classify(str(text)).kind)
    return figures


def _load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def detector() -> CrisisDetector:
    return CrisisDetector.load("en")


def test_the_list_has_the_size_and_mix_the_issue_asks_for() -> None:
    counts: dict[str, int] = {}
    for name in ("crisis_eval.yaml", *HELD_OUT):
        for group, items in _groups(_load(name)):
            counts[group] = counts.get(group, 0) + len(items)
    assert counts["suicidal"] >= 120 and counts["overdose"] >= 60
    assert counts["self_harm"] >= 40 and counts["distress"] >= 60
    assert counts["hyperbole"] + counts["sad_safe"] >= 80
    assert sum(counts.values()) >= 400


@pytest.mark.parametrize("name", TUNED)
def test_tuned_part_meets_the_targets(detector: CrisisDetector, name: str) -> None:
    figures = _figures(detector, _load(name))
    print("\n" + figures.report(f"tuned ({name})"))
    assert figures.recall >= 0.99, figures.report("tuned")
    assert figures.false_alarms <= 0.02, figures.report("tuned")
    if figures.distress_total:
        assert figures.distress_asked / figures.distress_total >= 0.95, figures.report("tuned")
    assert figures.negated_alarms == 0, figures.report("tuned")


@pytest.mark.parametrize("name", HELD_OUT)
def test_held_out_part_is_reported_and_near_the_targets(
    detector: CrisisDetector, name: str
) -> None:
    """Figures on phrasings written apart from the rules (later batches confirm earlier fixes)."""
    figures = _figures(detector, _load(name))
    print("\n" + figures.report(f"held-out ({name})"))
    assert figures.recall >= 0.95, figures.report("held-out")
    assert figures.false_alarms <= 0.02, figures.report("held-out")
    # 0.85, not the tuned part's 0.95: self-labels ("I'm such a failure") are written as
    # distress in these lists but the coach meets them with unconditional self-acceptance.
    assert figures.distress_handled >= 0.85, figures.report("held-out")


@pytest.mark.parametrize("name", FIRST_CONTACT)
def test_first_contact_part_is_reported_and_raises_no_false_alarms(
    detector: CrisisDetector, name: str
) -> None:
    figures = _figures(detector, _load(name))
    print("\n" + figures.report(f"first contact, rules alone ({name})"))
    assert figures.false_alarms <= 0.02, figures.report("first contact")


@pytest.mark.parametrize("name", (*HELD_OUT, *FIRST_CONTACT))
def test_the_second_opinion_asks_more_and_never_answers_on_its_own(
    detector: CrisisDetector, name: str
) -> None:
    """Rules + the learned second opinion (never trained on these lists) against rules alone:
    everything the rules flagged is flagged the same, more is asked, and ordinary
    answers to the exercises are asked about no more than the target allows."""
    data = _load(name)
    rules, both = _figures(detector, data), _figures(Understanding.load("en"), data)
    print(f"\n{name}: rules alone / + second opinion: crisis flagged or asked "
          f"{rules.crisis_total - _unasked(rules)}/{rules.crisis_total} -> "
          f"{both.crisis_total - _unasked(both)}/{both.crisis_total}; distress handled "
          f"{rules.distress_handled:.1%} -> {both.distress_handled:.1%}; safe lines flagged "
          f"or asked {rules.safe_alarms + rules.safe_questions} -> "
          f"{both.safe_alarms + both.safe_questions} of {both.safe_total}")
    for miss in both.misses:
        print("    " + miss)
    assert both.crisis_caught == rules.crisis_caught  # the model never gives the crisis answer
    assert both.safe_alarms == rules.safe_alarms
    assert _unasked(both) <= _unasked(rules)


@pytest.mark.parametrize("group", ["answers", "negated", "hyperbole", "sad_safe"])
def test_the_second_opinion_rarely_asks_about_answers_denials_or_figures_of_speech(
    detector: CrisisDetector, group: str
) -> None:
    """Over every held-out list: lines of `group` (ordinary answers to the exercises'
    questions, denials such as "I'm not going to hurt myself", figures of speech,
    sad-but-safe sentences) that the rules leave alone and the second opinion asks
    about (target <= 2 %)."""
    u = Understanding.load("en")
    lines = [
        str(t) for name in (*HELD_OUT, *FIRST_CONTACT)
        for g, items in _groups(_load(name)) if g == group for t in items
    ]
    asked = [t for t in lines if detector.classify(t).kind is CrisisKind.NONE
             and u.crisis(t).kind is CrisisKind.DISTRESS]
    print(f"\n{group} asked about by the second opinion: {len(asked)}/{len(lines)}"
          f" ({len(asked) / len(lines):.1%}): {asked}")
    assert len(asked) <= 0.02 * len(lines)


def _unasked(figures: Figures) -> int:
    """Crisis lines met with nothing at all (neither the crisis answer nor the question)."""
    return sum(1 for m in figures.misses if m.split(" -> ")[1].startswith("none:")
               and m.split(" -> ")[0] in CRISIS_GROUPS)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I od'd", "overdose"),
        ("I ODed on my meds", "overdose"),
        ("he OD'd in the bathroom", "overdose"),
        ("the od bus was late", "none"),
        ("I missed the OD bus again", "none"),
        ("i'm not going to hurt myself", "none"),
        ("I'm not going to hurt myself but I want to die", "suicidal"),
        ("i can't stop thinking about killing myself", "suicidal"),
        ("im dying for a drink", "none"),
        ("this craving is killing me and i want to die", "suicidal"),
        ("my cat is barely breathing", "none"),  # the vet, not the crisis line
        ("my son is barely breathing", "overdose"),
        ("i'm standing on the bridge waiting for the parade", "none"),
        ("i'm standing on the bridge and i want to jump", "suicidal"),
        ("sober or not i don't want to be here anymore", "suicidal"),  # "or not" denies nothing
        ("no urges to hurt myself, just to drink", "none"),
        ("i think i'm having an od", "overdose"),
    ],
)
def test_od_negation_and_figures_of_speech(detector: CrisisDetector, text: str, kind: str) -> None:
    assert detector.classify(text).kind.value == kind


def test_a_crisis_said_in_passing_in_a_long_answer_is_found(detector: CrisisDetector) -> None:
    padding = "it was a long day at work and the bus was late and " * 150
    assert detector.classify(padding + "i took the whole bottle of pills").kind.value == "overdose"


def test_recognize_keeps_the_crisis_intent_and_adds_the_kind() -> None:
    u = Understanding.load("en")
    match = u.recognize("I mixed alcohol and benzos")
    assert (match.intent, match.slots) == ("crisis", {"kind": "overdose"})
    assert u.recognize("I'd sleep better").intent != "crisis"
    assert u.recognize("I'd feel alive again").intent != "crisis"
    assert u.recognize("I feel completely hopeless").slots == {"kind": "distress"}


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("I want to do deads", "deads"),  # was "corrected" to "dead": the suicide answer
        ("I want to start deads", "deads"),
        ("remind me why I gave up", "motivation"),  # was the safety question
        ("I want to give up betting", "want_to_quit"),
        ("I want to give up getting high", "want_to_quit"),
    ],
)
def test_the_coachs_own_requests_are_not_taken_for_a_crisis(text: str, intent: str) -> None:
    assert Understanding.load("en").recognize(text).intent == intent


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("i want to give up trying", "distress"),
        ("i want to give up on life", "suicidal"),
        ("shes fitting on the floor", "overdose"),  # "shes" was read as "sees"
        ("hes gone blue", "overdose"),  # "hes" was left as it was: no rule knew it
    ],
)
def test_typed_without_apostrophes_or_said_of_quitting(
    detector: CrisisDetector, text: str, kind: str
) -> None:
    assert detector.classify(text).kind.value == kind


def test_voice_coach_intent_prints_the_kind(cli: Cli) -> None:
    said = cli("intent", "--json", "I ODed")
    assert said.returncode == 0, said.stderr
    assert json.loads(said.stdout) == {
        "text": "I ODed", "intent": "crisis", "confidence": 1.0, "slots": {"kind": "overdose"}
    }
    bus = cli("intent", "--json", "the od bus")
    assert json.loads(bus.stdout)["intent"] != "crisis"
