"""The matcher's index cached on disk: same answers, private files, rebuilt when stale."""

from __future__ import annotations

import shutil
import stat
from pathlib import Path

import pytest

from voice_coach.resources import intents_dir
from voice_coach.understanding import THRESHOLD, Understanding
from voice_coach.understanding.index_cache import (
    FOLDER,
    grammar_sentences,
    load_matcher,
    load_sentences,
    templates_hash,
)
from voice_coach.understanding.intents import Intents
from voice_coach.understanding.matcher import Matcher

UTTERANCES = [
    "I'm having an urge", "i really need a drink right now", "let's breathe", "seven",
    "stop please", "what can you do", "I want to review my day", "is it sunny outside",
    "cost benefit analysis", "hey there", "say that again slower", "the bar on my way home",
]


@pytest.fixture(scope="module")
def built() -> Matcher:
    return Matcher(Intents.from_files(intents_dir("en")), THRESHOLD)


def test_a_cached_index_answers_exactly_as_a_freshly_built_one(built: Matcher,
                                                               tmp_path: Path) -> None:
    load_matcher(intents_dir("en"), THRESHOLD, tmp_path)  # builds and writes
    cached = load_matcher(intents_dir("en"), THRESHOLD, tmp_path)  # reads
    for text in UTTERANCES:
        assert cached.match(text) == built.match(text), text
        assert cached.match(text, allowed={"yes", "no", "number"}) == built.match(
            text, allowed={"yes", "no", "number"}
        ), text


def test_the_recognizers_sentences_are_cached_beside_the_index_and_match_the_templates(
    tmp_path: Path,
) -> None:
    intents = Intents.from_files(intents_dir("en"))
    listed = grammar_sentences(intents)
    assert load_sentences(intents_dir("en"), THRESHOLD, tmp_path) == listed  # builds, writes
    (written,) = (tmp_path / FOLDER).glob("sentences-*.json")
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert load_sentences(intents_dir("en"), THRESHOLD, tmp_path) == listed  # reads
    assert "i am having an urge" in listed["urge_help"]
    u = Understanding(intents)
    assert set(u.sentences(["urge_help"])) == set(listed["urge_help"])


def test_the_index_is_private_and_only_the_current_one_is_kept(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    shutil.copytree(intents_dir("en"), folder)
    load_matcher(folder, THRESHOLD, tmp_path / "cache")
    index = tmp_path / "cache" / FOLDER
    (first,) = index.glob("matcher-*.json")
    assert stat.S_IMODE(first.stat().st_mode) == 0o600
    assert stat.S_IMODE(index.stat().st_mode) == 0o700
    social = folder / "social.yaml"
    social.write_text(social.read_text() + "\n# a changed template file\n")
    load_matcher(folder, THRESHOLD, tmp_path / "cache")
    (second,) = index.glob("matcher-*.json")
    assert second != first  # keyed by the templates' hash: a change means a rebuild


def test_a_damaged_index_is_rebuilt_not_trusted(built: Matcher, tmp_path: Path) -> None:
    key = templates_hash(intents_dir("en"), THRESHOLD)
    index = tmp_path / FOLDER
    index.mkdir(mode=0o700)
    (index / f"matcher-{key[:32]}.json").write_text('{"format": 1, "keys": [')
    matcher = load_matcher(intents_dir("en"), THRESHOLD, tmp_path)
    assert matcher.match("I'm having an urge") == built.match("I'm having an urge")


def test_an_unwritable_cache_costs_time_never_the_start(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    matcher = load_matcher(intents_dir("en"), THRESHOLD, blocker)
    assert matcher.match("let's breathe").intent == "breathing"


def test_understanding_load_uses_the_coachs_cache_folder(coach_home: Path) -> None:
    Understanding.load.cache_clear()
    try:
        assert Understanding.load().recognize("I'm having an urge").intent == "urge_help"
        assert list((coach_home / "cache" / FOLDER).glob("matcher-*.json"))
    finally:
        Understanding.load.cache_clear()
