"""Template parsing and expansion, built from inline YAML (no intent files needed)."""

from __future__ import annotations

import pytest

from voice_coach.errors import IntentsError
from voice_coach.understanding.intents import Intents
from voice_coach.understanding.templates import (
    Alternatives,
    Group,
    SlotRef,
    SlotValue,
    Words,
    expand,
    parse_template,
)


def texts(template: str, **kw: object) -> list[str]:
    return [e.text for e in expand(template, **kw)]  # type: ignore[arg-type]


def test_alternatives_and_optional_words_expand_to_every_sentence() -> None:
    assert texts("(I'm|I am) having [an] urge") == [
        "I'm having urge",
        "I'm having an urge",
        "I am having urge",
        "I am having an urge",
    ]


def test_nested_groups_and_optional_alternatives() -> None:
    assert texts("stop [(it|that) [now]]") == [
        "stop",
        "stop it",
        "stop it now",
        "stop that",
        "stop that now",
    ]


def test_parse_gives_a_small_tree() -> None:
    tree = parse_template("rate [it] {value}")
    assert tree == Group(
        (Words("rate "), Alternatives((Words("it"),), optional=True), Words(" "), SlotRef("value"))
    )


def test_slots_carry_the_value_that_produced_the_sentence() -> None:
    lists = {"value": (SlotValue("six", 6), SlotValue("seven", 7))}
    result = expand("about {value}", lists=lists)
    assert [(e.text, e.slots) for e in result] == [
        ("about six", {"value": 6}),
        ("about seven", {"value": 7}),
    ]


@pytest.mark.parametrize(
    ("template", "problem"),
    [("(a|b", "never closed"), ("a]", "unexpected"), ("{}", "needs a name"), ("[x", "never")],
)
def test_broken_templates_name_the_template_and_the_problem(template: str, problem: str) -> None:
    with pytest.raises(IntentsError) as err:
        parse_template(template)
    assert template in str(err.value) and problem in str(err.value)


INLINE = """
intents:
  urge_help:
    sentences:
      - "<i_am> having [a] <urge>"
  number:
    sentences: ["[about] {value} [out of ten]"]
  crisis:
    sentences: ["I want to die"]
    patterns: ["kill myself"]
lists:
  value:
    range: {from: 0, to: 10}
  tool:
    values: ["breathing", {in: "urge surfing", out: urge_surfing}]
expansion_rules:
  i_am: "(I'm|I am)"
  urge: "(urge|craving)"
"""


def test_intents_from_inline_yaml() -> None:
    intents = Intents.from_yaml(INLINE)
    assert set(intents.intents) == {"urge_help", "number", "crisis"}
    urge = [s.text for s in intents.sentences if s.intent == "urge_help"]
    assert "I'm having a craving" in urge and "I am having urge" in urge and len(urge) == 8
    numbers = {s.text: s.slots for s in intents.sentences if s.intent == "number"}
    assert numbers["about seven out of ten"] == {"value": 7}
    assert numbers["zero"] == {"value": 0} and len(numbers) == 44
    assert intents.lists["tool"][1] == SlotValue("urge surfing", "urge_surfing")
    assert intents.intents["crisis"].patterns == ("kill myself",)


def test_files_merge_and_an_intent_may_span_files() -> None:
    a = Intents.from_yaml('intents: {stop: ["stop"]}', "a.yaml")
    b = Intents.from_yaml('intents: {stop: ["halt"]}', "b.yaml")
    merged = Intents.merge([a, b])
    assert merged.intents["stop"].templates == ("stop", "halt")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('intents: {stop: ["(stop"]}', ["f.yaml", "stop", "(stop"]),
        ("intents: {yes: [yes]}", ["f.yaml", "quotes"]),
        ("intents: {stop: [x]}\nbogus: 1", ["f.yaml", "bogus"]),
        ("lists: {value: {range: {from: 0}}}", ["f.yaml", "value", "range"]),
        ("intents: {crisis: {patterns: ['(']}}", ["f.yaml", "crisis", "regular expression"]),
        ("intents: [: bad", ["f.yaml", "not valid YAML"]),
    ],
)
def test_bad_files_say_which_file_and_what(text: str, expected: list[str]) -> None:
    with pytest.raises(IntentsError) as err:
        Intents.from_yaml(text, "f.yaml")
    for part in expected:
        assert part in str(err.value)


def test_unknown_slot_or_rule_is_reported_at_expansion() -> None:
    intents = Intents.from_yaml('intents: {number: ["{nope} <missing>"]}', "f.yaml")
    with pytest.raises(IntentsError, match="nope"):
        _ = intents.sentences


def test_empty_folder_says_what_to_do(tmp_path: object) -> None:
    from pathlib import Path

    with pytest.raises(IntentsError, match="No intent files"):
        Intents.from_files(Path(str(tmp_path)))
