"""`voice-coach serve` driven by a real Wyoming client (the `wyoming` package), on loopback."""

from __future__ import annotations

import asyncio
import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from audio_fixtures import Render
from conftest import REPO, Cli, run_cli
from wyoming.audio import AudioChunk, AudioStart
from wyoming.event import async_read_event, async_write_event
from wyoming.info import Describe, Info
from wyoming.tts import Synthesize
from wyoming_fixtures import Served, free_port, hear, say, start_serve, talk

URGE = "I really need a drink right now"


def export(home: Path) -> dict:  # type: ignore[type-arg]
    result = run_cli("journal", "export", "--format", "json", home=home)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def person(reply: str, ratings: list[str]) -> str | None:
    """What a person at a satellite answers to an urge exercise's question (None: it ended)."""
    lowered = reply.lower()
    if "from zero to ten" in lowered:
        return ratings.pop(0) if ratings else "three"
    if "what set it off" in lowered:
        return "my brother called and we argued"
    if "surfing, deads or disarm" in lowered:
        return "surfing"
    if "ready" in lowered:
        return "ready"
    if "what helped" in lowered:
        return "going for a walk helped"
    if reply.rstrip().endswith("?") or "you can say skip" in lowered:
        return "skip"
    return None


def urge_to_the_end(
    turn: Callable[[str], str], first: str, ratings: list[str],
) -> list[str]:
    """Answer until the exercise ends; every reply the coach gave."""
    replies = [first]
    for _ in range(60):
        answer = person(replies[-1], ratings)
        if answer is None:
            break
        replies.append(turn(answer))
    return replies


def test_describe_lists_handle_asr_and_tts(served: Served) -> None:
    (event,) = talk(served.uri, Describe().event(), until="info")
    info = Info.from_event(event)
    assert [p.name for p in info.handle] == ["voice-coach"]
    assert info.handle[0].models[0].languages == ["en"]
    assert info.asr and info.tts and info.tts[0].voices


def test_a_whole_urge_surf_by_transcripts_is_kept_in_the_journal(served: Served) -> None:
    uri = served.uri
    first = say(uri, "kitchen-1", URGE)
    assert "from zero to ten" in first

    def turn(text: str) -> str:
        return say(uri, "kitchen-1", text)

    replies = urge_to_the_end(turn, first, ["eight", "seven", "five", "three"])
    surfing = next(r for r in replies if "surf" in r.lower() and "ready" in r)
    assert surfing  # a long pause ended the turn with the cue to go on
    assert any("You started at eight" in r for r in replies), replies
    journal = export(served.home)
    (urge,) = journal["urges"]
    assert urge["intensity_before"] == 8 and urge["method"] == "surfing"
    assert urge["trigger"] == "my brother called and we argued"
    (session,) = journal["sessions"]
    assert session["status"] == "completed"


def test_each_conversation_id_is_its_own_session(served: Served) -> None:
    uri = served.uri
    assert "from zero to ten" in say(uri, "bedroom", URGE)
    # Another room starts something else meanwhile; neither disturbs the other.
    other = say(uri, "kitchen", "let's do some breathing")
    assert "breath" in other.lower()
    assert "what set it off" in say(uri, "bedroom", "six").lower()
    journal = export(served.home)
    assert sorted(s["exercise"] for s in journal["sessions"]) == ["breathing", "urge_help"]
    answers = [a for s in journal["sessions"] for a in s["answers"]]
    assert [(a["key"], a["text"]) for a in answers] == [("intensity_before", "6")]


def test_a_crisis_is_answered_at_once_mid_exercise(served: Served) -> None:
    say(served.uri, "hall", URGE)
    reply = say(served.uri, "hall", "I want to kill myself")
    assert "988" in reply or "nine eight eight" in reply


def test_goodbye_ends_the_session_and_a_new_one_starts_fresh(served: Served) -> None:
    say(served.uri, "porch", URGE)
    say(served.uri, "porch", "goodbye")
    assert export(served.home)["sessions"][0]["status"] == "stopped"
    assert "from zero to ten" in say(served.uri, "porch", URGE)


@pytest.mark.audio
def test_a_whole_urge_surf_by_real_audio(served: Served, render: Render) -> None:
    """Satellite audio in, transcript out, then the transcript to the coach (as HA's pipeline)."""
    uri, conversation = served.uri, "audio-1"
    context = {"conversation_id": conversation}

    def spoken(text: str) -> str:
        audio = render(text)
        heard = hear(uri, audio.samples, audio.rate, context)
        return say(uri, conversation, heard)

    audio = render("I'm having an urge")
    # A new conversation starts at the top level: heard with the requests' grammar.
    heard = hear(uri, audio.samples, audio.rate, context)
    assert "urge" in heard
    assert "from zero to ten" in say(uri, conversation, heard)
    # A rating is heard with the rating grammar of this conversation's state.
    audio = render("eight out of ten")
    heard = hear(uri, audio.samples, audio.rate, context)
    assert heard == "eight out of ten"
    reply = say(uri, conversation, heard)
    for _ in range(60):
        answer = person(reply, ["three out of ten"] * 10)
        if answer is None:
            break
        # Ratings and short commands are spoken; long free answers are typed in.
        reply = spoken(answer) if len(answer.split()) <= 4 else say(uri, conversation, answer)
    journal = export(served.home)
    (urge,) = journal["urges"]
    assert (urge["intensity_before"], urge["intensity_after"]) == (8, 3)
    assert journal["sessions"][0]["status"] == "completed"


def test_tts_speaks_with_the_coach_voice_and_its_asr_hears_it(served: Served) -> None:
    got = talk(served.uri, Synthesize("How strong is the urge right now?").event(),
               until="audio-stop")
    start = AudioStart.from_event(got[0])
    audio = b"".join(AudioChunk.from_event(e).audio for e in got if e.type == "audio-chunk")
    seconds = len(audio) / (start.rate * 2)
    assert start.width == 2 and 1.0 < seconds < 6.0
    heard = hear(served.uri, audio, start.rate)
    assert "urge" in heard and "strong" in heard


def test_listens_on_loopback_only_by_default(named_home: Path) -> None:
    port = free_port()
    result = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True)
    assert result.returncode == 0
    server = start_serve(named_home, port=port)
    try:
        listening = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True).stdout
        addresses = [line.split()[3] for line in listening.splitlines() if f":{port}" in line]
        assert addresses == [f"127.0.0.1:{port}"]
    finally:
        server.stop()


def test_unix_socket(named_home: Path, tmp_path: Path) -> None:
    path = tmp_path / "coach.sock"
    server = start_serve(named_home, uri=f"unix://{path}")
    try:
        assert (path.stat().st_mode & 0o077) == 0
        assert "from zero to ten" in say(f"unix://{path}", "u1", URGE)
    finally:
        server.stop()


def test_stdio(named_home: Path) -> None:
    async def run() -> str:
        import os
        import sys

        env = dict(os.environ, VOICE_COACH_HOME=str(named_home), PYTHONPATH=str(REPO))
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "voice_coach", "serve", "--uri", "stdio://",
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL, env=env,
        )
        assert proc.stdin is not None and proc.stdout is not None
        await async_write_event(Describe().event(), proc.stdin)
        event = await asyncio.wait_for(async_read_event(proc.stdout), 120)
        proc.stdin.close()
        await asyncio.wait_for(proc.wait(), 30)
        assert event is not None
        return event.type

    assert asyncio.run(run()) == "info"


def test_a_malformed_uri_is_one_sentence(cli: Cli) -> None:
    result = cli("serve", "--uri", "http://0.0.0.0:80")
    assert result.returncode == 2
    assert "tcp://HOST:PORT" in result.stderr and "Traceback" not in result.stderr
