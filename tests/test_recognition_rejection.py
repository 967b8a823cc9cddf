"""The rejection rule: when a grammar result stands and when the open transcript replaces it."""

from __future__ import annotations

from voice_coach.recognition.rejection import ACCEPTED, judge

SENTENCES = {"what can you do", "i am having an urge", "ten", "i want to kill myself"}


def test_agreeing_decodes_keep_the_grammar_sentence() -> None:
    v = judge("i am having an urge", "i'm having emerged", SENTENCES)
    assert v.accepted and v.text == "i am having an urge" and v.confidence >= ACCEPTED


def test_forced_out_of_scope_speech_is_replaced_by_the_open_transcript() -> None:
    v = judge("what can you do", "play some music", SENTENCES)
    assert not v.accepted
    assert v.text == "play some music" and v.alternative == "what can you do"
    assert v.confidence < 0.5


def test_short_answers_are_not_second_guessed_by_the_weak_open_model() -> None:
    v = judge("ten", "and", SENTENCES)
    assert v.accepted and v.text == "ten"


def test_a_result_cut_short_of_a_whole_sentence_is_rejected() -> None:
    v = judge("what can", "what can", SENTENCES)
    assert not v.accepted


def test_open_grammars_need_no_whole_sentence() -> None:
    v = judge("what do a breathing exercise", "what's dual breathing exercise", None)
    assert v.accepted and v.text == "what do a breathing exercise"


def test_crisis_sentences_are_never_rejected() -> None:
    v = judge(
        "i want to kill myself",
        "well you might do",
        SENTENCES,
        never_reject={"i want to kill myself"},
    )
    assert v.accepted and v.text == "i want to kill myself"


def test_no_speech_gives_an_empty_rejected_result() -> None:
    v = judge("", "", SENTENCES)
    assert not v.accepted and v.text == ""


def test_a_short_answer_cut_short_is_dropped_unless_the_open_model_heard_a_sentence() -> None:
    # "seven" said during a yes/no question: not an answer the state allows.
    dropped = judge("step", "seven", {"yes", "no", "step back"})
    assert not dropped.accepted and dropped.text == ""
    # "seven" during a rating, the grammar cut short on "seven out (of ten)".
    kept = judge("seven out", "seven", {"seven", "seven out of ten"})
    assert kept.text == "seven"
