"""Splitting a wake-phrase utterance into "was it said" and "what came after"."""

from __future__ import annotations

import pytest

from voice_coach.understanding.wake import split_wake


@pytest.mark.parametrize(
    ("heard", "expected"),
    [
        ("hey coach", (True, "")),
        ("hey coach i'm having an urge", (True, "i'm having an urge")),
        ("Hey, coach! Let's do some breathing.", (True, "let's do some breathing")),
        ("hey coach um", (True, "")),
        ("and then she said hey coach stop", (True, "stop")),
        ("i'm having an urge", (False, "")),
        ("hey there coach", (False, "")),
        ("", (False, "")),
    ],
)
def test_wake_phrase_and_request(heard: str, expected: tuple[bool, str]) -> None:
    assert split_wake(heard, "hey coach") == expected


def test_another_wake_phrase_works_the_same() -> None:
    assert split_wake("okay buddy help", "Okay buddy") == (True, "help")
    assert split_wake("anything", "") == (False, "")
