"""Grammar-aware endpointing on real speech (Piper voice, real PocketSphinx, the real loop).

A complete rating or yes/no ends after a short pause; a long free answer with
pauses in it is heard to the end; speech forced into a yes/no grammar is not
cut short.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from voice_coach.audio_io.convert import AudioConverter, concatenate, silence, split
from voice_coach.audio_io.doubles import RecordingSpeaker
from voice_coach.clock import ManualClock
from voice_coach.dialogue.engine import Coach
from voice_coach.exercises import registry
from voice_coach.journal.store import Journal
from voice_coach.messages import AudioChunk, Listen, ListenFor
from voice_coach.paths import resolve_paths
from voice_coach.recognition import Recognizer, endpointing
from voice_coach.recognition.endpointing import EarlyEndpoint, plausible_seconds
from voice_coach.recognition.grammar import Grammar, Grammars
from voice_coach.recognition.select import create_recognizer
from voice_coach.settings import Settings
from voice_coach.speech.output import SpeechOutput
from voice_coach.speech.piper_voice import PiperSynthesizer
from voice_coach.understanding import Understanding
from voice_coach.voice_loop import VoiceLoop

LEAD = 0.5


@pytest.fixture(scope="module")
def recognizer() -> Recognizer:
    return create_recognizer(Settings(engine="pocketsphinx"), resolve_paths())


class Stream:
    """Chunks of a recording in 30 ms pieces, counting how much audio was taken."""

    def __init__(self, audio: AudioChunk) -> None:
        self.pieces = split(audio, 0.03)
        self.taken = 0.0

    def __iter__(self) -> Iterator[AudioChunk]:
        for piece in self.pieces:
            self.taken += piece.seconds
            yield piece
        for _ in range(200):  # then room silence, as a microphone would go on giving
            self.taken += 0.03
            yield silence(0.03, 16000)


def hear(
    tmp_path: Path, recognizer: Recognizer, synthesizer: PiperSynthesizer, listen: Listen,
    *parts: AudioChunk | float,
) -> tuple[str | None, float]:
    """(transcript, seconds waited after the speech ended) for one answer in state `listen`."""
    pieces = [silence(LEAD, 16000)]
    for part in parts:
        pieces.append(
            AudioConverter(16000, 1).convert(part)
            if isinstance(part, AudioChunk)
            else silence(part, 16000)
        )
    audio = concatenate(pieces)
    settings = Settings(name="Sam", evening_reflection_time="off")
    journal = Journal.open(tmp_path / "journal.sqlite3")
    coach = Coach(
        Understanding.load(),
        journal,
        settings,
        ManualClock(datetime(2026, 11, 26).astimezone()),
        registry(),
    )
    loop = VoiceLoop(
        coach,
        microphone=None,  # type: ignore[arg-type]  # chunks are given directly below
        speech=SpeechOutput(synthesizer, RecordingSpeaker()),
        recognizer=recognizer,
        grammars=Grammars(Understanding.load()),
        settings=settings,
    )
    stream = Stream(audio)
    loop.duplex.chunks = iter(stream)
    text = loop._hear(listen, 10.0, announce=False)
    journal.close()
    return text, stream.taken - audio.seconds


@pytest.mark.parametrize(
    ("kind", "said", "heard"),
    [(ListenFor.NUMBER, "Seven.", "seven"), (ListenFor.YES_NO, "Yes please.", "yes please")],
)
def test_a_complete_short_answer_ends_after_a_short_pause(  # type: ignore[no-untyped-def]
    tmp_path: Path,
    recognizer,
    synthesizer,
    render,
    monkeypatch: pytest.MonkeyPatch,
    kind: ListenFor,
    said: str,
    heard: str,
) -> None:
    early, usual = _with_and_without_early_endpoint(
        tmp_path, recognizer, synthesizer, render, monkeypatch, Listen(kind, 10.0), said, heard
    )
    assert usual - early >= 0.15, (early, usual)


def _with_and_without_early_endpoint(  # type: ignore[no-untyped-def]
    tmp_path: Path, recognizer, synthesizer, render, monkeypatch: pytest.MonkeyPatch,
    listen: Listen, said: str, heard: str,
) -> tuple[float, float]:
    """When the same recording ended, with the early endpoint and then without it;
    both times it is heard as `heard`."""
    text, early = hear(tmp_path, recognizer, synthesizer, listen, render(said), 1.0)
    assert text == heard
    monkeypatch.setattr(EarlyEndpoint, "for_grammar", classmethod(lambda cls, grammar, **_: None))
    text, usual = hear(tmp_path, recognizer, synthesizer, listen, render(said), 1.0)
    assert text == heard
    return early, usual


def test_a_long_free_answer_with_pauses_is_heard_to_the_end(  # type: ignore[no-untyped-def]
    tmp_path: Path, recognizer, synthesizer, render
) -> None:
    free = Listen(ListenFor.FREE, 10.0)
    text, after = hear(
        tmp_path,
        recognizer,
        synthesizer,
        free,
        render("I walked past the pub after work."),
        0.35,
        render("I thought about a drink."),
        0.35,
        render("Then I called my friend instead."),
        1.5,
    )
    assert text is not None and "friend" in text.split()
    assert after < 1.5  # it ended in the silence after the last sentence, not before it


def test_speech_forced_into_a_yes_no_grammar_is_not_cut_short(  # type: ignore[no-untyped-def]
    tmp_path: Path, recognizer, synthesizer, render
) -> None:
    yes_no = Listen(ListenFor.YES_NO, 10.0)
    speech = render("Honestly I am not really sure about any of that today.")
    _text, after = hear(tmp_path, recognizer, synthesizer, yes_no, speech, 1.0)
    # whatever it was decoded as, listening went on to the end of the speech
    assert after < 1.0


def test_free_answers_never_end_early_and_crisis_beginnings_never_do() -> None:
    assert EarlyEndpoint.for_grammar(Grammar("dictation")) is None
    grammar = Grammar(
        "command",
        ("i want to", "i want to die", "no", "seven"),
        never_reject=("i want to die",),
    )
    early = EarlyEndpoint.for_grammar(grammar)
    assert early is not None
    assert early.should_end("seven", 0.5, 0.2)
    assert not early.should_end("i want to", 0.6, 0.5)
    assert not early.should_end("i want to die", 0.6, 0.5)  # crisis: the normal wait, always
    assert not early.should_end("seven", 0.5, 0.1)  # not yet a pause
    assert not early.should_end("no", 2.5, 0.3)  # far too long to be just "no"
    assert plausible_seconds("yes please") > 1.0 > endpointing.EARLY_SILENCE


def test_the_top_level_ends_early_on_complete_requests_without_listing_its_sentences() -> None:
    from voice_coach.recognition.grammar import Listed
    from voice_coach.understanding import Understanding
    from voice_coach.understanding.template_graph import sentences_of

    grammar = Grammars(Understanding.load()).for_listen(ListenFor.COMMAND)
    early = EarlyEndpoint.for_grammar(grammar, top_level=True)
    assert early is not None and grammar.graph is not None
    assert isinstance(grammar.phrases, Listed) and not grammar.phrases.listed
    # Nothing in the grammar can follow these: they end as soon, short or long.
    assert early.should_end("repeat that", 0.8, 0.2)
    assert early.should_end("remind me of my reasons", 1.8, 0.2)
    assert early.should_end("i'm having an urge right now", 2.4, 0.2)  # the recognizer's "i'm"
    # The grammar goes on from these ("... right now"): the normal wait, short or long.
    assert not early.should_end("i'm having an urge", 1.5, 0.3)
    assert not early.should_end("i am having an urge", 2.0, 0.3)
    assert not early.should_end("help me", 0.8, 0.3)  # "help me plan the next month"
    assert not early.should_end("i want to die", 0.6, 0.5)  # crisis: the normal wait, always
    # a beginning of a crisis sentence as the recognizer spells it (the matcher's "do not")
    assert not early.should_end("i don't want to", 1.5, 0.3)
    assert not early.should_end("i don't want to be alive", 2.0, 0.3)
    assert not early.should_end("remind me of my", 1.5, 0.3)  # not a whole sentence
    assert not early.should_end("remind me of my reasons", 4.0, 0.3)  # far too long for it
    # As the answer to an offer ("shall we...?", every request allowed), every short
    # sentence of an enumeration of the whole graph ends early, as before.
    answer = EarlyEndpoint.for_grammar(grammar)
    assert answer is not None and answer.should_end("i'm having an urge", 1.5, 0.2)
    short = {s for s in sentences_of(grammar.graph, 10**7) if len(s.split()) <= 4}
    assert len(short) > 1000
    assert all(answer.should_end(s, 0.5, 0.2) for s in short if not answer.near_crisis(s.split()))


def test_a_closed_answer_ends_early_in_either_spelling_the_recognizer_gives() -> None:
    from voice_coach.understanding import Understanding

    grammar = Grammars(Understanding.load()).for_listen(ListenFor.NUMBER)
    early = EarlyEndpoint.for_grammar(grammar)
    assert early is not None
    # the graph's words as said, and the listed sentences PocketSphinx decodes from
    assert early.should_end("you're too fast", 1.2, 0.2)
    assert early.should_end("you are too fast", 1.2, 0.2)
    assert early.should_end("i did not catch that", 1.5, 0.2)  # five words, nothing follows
    assert early.should_end("seven", 0.5, 0.2)  # short, though "seven out of ten" goes on


def test_a_long_sentence_that_could_go_on_waits_the_pause_it_is_given() -> None:
    grammar = Grammar(
        "command",
        ("i am having an urge", "i am having an urge right now", "i am having an urge to drink"),
    )
    endpoint = EarlyEndpoint.for_grammar(grammar)
    assert endpoint is not None
    assert endpoint.should_end("i am having an urge to drink", 2.0, 0.2)
    assert not endpoint.should_end("i am having an urge", 2.0, 0.35)
    patient = replace(endpoint, extendable_silence=0.3)
    assert not patient.should_end("i am having an urge", 2.0, 0.2)
    assert patient.should_end("i am having an urge", 2.0, 0.3)


def test_a_long_complete_request_ends_after_a_short_pause(  # type: ignore[no-untyped-def]
    tmp_path: Path, recognizer, synthesizer, render, monkeypatch: pytest.MonkeyPatch
) -> None:
    # six words, and nothing in the top-level grammar goes on from them
    said, heard = "What are my reasons for quitting?", "what are my reasons for quitting"
    early, usual = _with_and_without_early_endpoint(
        tmp_path, recognizer, synthesizer, render, monkeypatch,
        Listen(ListenFor.COMMAND, 10.0), said, heard,
    )
    assert usual - early >= 0.15, (early, usual)


@pytest.mark.parametrize(
    ("kind", "first", "rest"),
    [
        (ListenFor.COMMAND, "I'm having a really strong craving", "right now."),
        (ListenFor.COMMAND, "Let's go", "over my values."),
        (ListenFor.COMMAND, "I don't want to", "be alive."),
        (ListenFor.YES_NO, "I don't want to", "be alive."),
    ],
)
def test_a_request_that_goes_on_after_a_brief_pause_is_heard_whole(  # type: ignore[no-untyped-def]
    tmp_path: Path, recognizer, synthesizer, render, kind: ListenFor, first: str, rest: str
) -> None:
    # "i'm having a really strong craving" is a whole request, "... right now" a longer one.
    # The voice ends and starts its clips with ~0.15 s and ~0.06 s of quiet: a pause of
    # ~0.3 s in all, longer than the early silence, shorter than the usual timeout.
    # "let's go" is a whole request, but at the top level a short one waits: the grammar goes on.
    # "i don't want to" is a whole "no", and the beginning of a crisis sentence.
    text, after = hear(
        tmp_path, recognizer, synthesizer, Listen(kind, 10.0), render(first), 0.1, render(rest), 1.0
    )
    words = rest.rstrip(".").split()
    assert text is not None and text.split()[-len(words):] == words, text
    assert after < 1.0
