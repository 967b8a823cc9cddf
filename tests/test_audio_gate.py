"""Half-duplex: what the microphone heard while the coach spoke never reaches recognition."""

from __future__ import annotations

from voice_coach.audio_io.gate import HalfDuplexGate
from voice_coach.messages import AudioChunk


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def chunk(at: float) -> AudioChunk:
    return AudioChunk(bytes(960), 16000, 1, time=at)


def test_audio_captured_while_speaking_is_dropped_even_when_read_later() -> None:
    clock = Clock()
    gate = HalfDuplexGate(tail=0.25, clock=clock)
    before = chunk(99.0)
    with gate.speaking():
        assert not gate.open
        clock.now = 103.0
    during = chunk(101.0)
    echo_tail = chunk(103.1)
    clock.now = 104.0
    after = chunk(103.5)
    assert gate.open
    passed = list(gate.filter([before, during, echo_tail, after]))
    assert passed == [before, after]
    assert gate.dropped == 2


def test_the_gate_is_shut_right_after_speech_for_the_tail() -> None:
    clock = Clock()
    gate = HalfDuplexGate(tail=0.5, clock=clock)
    with gate.speaking():
        clock.now = 101.0
    assert not gate.open
    clock.now = 101.6
    assert gate.open


def test_nested_speech_keeps_the_gate_shut_until_the_outer_block_ends() -> None:
    clock = Clock()
    gate = HalfDuplexGate(tail=0.0, clock=clock)
    with gate.speaking():
        with gate.speaking():
            clock.now = 101.0
        assert not gate.open
        assert not gate.allows(chunk(101.0))
        clock.now = 102.0
    assert gate.open
    assert not gate.allows(chunk(101.5))
    assert gate.allows(chunk(102.0))


def test_two_turns_before_the_loop_reads_the_queue_are_both_dropped() -> None:
    clock = Clock()
    gate = HalfDuplexGate(tail=0.0, clock=clock)
    with gate.speaking():
        clock.now = 101.0
    clock.now = 102.0
    with gate.speaking():
        clock.now = 103.0
    kept = list(gate.filter([chunk(100.5), chunk(101.5), chunk(102.5), chunk(103.5)]))
    assert [c.time for c in kept] == [101.5, 103.5]


def test_chunks_without_a_capture_time_use_the_time_they_are_read() -> None:
    clock = Clock()
    gate = HalfDuplexGate(tail=0.0, clock=clock)
    with gate.speaking():
        assert not gate.allows(chunk(0.0))
    clock.now = 101.0
    assert gate.allows(chunk(0.0))
