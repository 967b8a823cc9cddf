"""The learned second opinion (understanding/crisis/learned.py) as a person meets it.

Phrases the rules have never seen get the direct safety question, never the
full crisis answer on the model's word alone; ordinary exercise answers carry
on as before. Plus what a maintainer relies on: the model is trained from the
repo's own files, cached privately under a hash of them, and deterministic.
"""

from __future__ import annotations

import json
import shutil
import stat
from datetime import datetime
from pathlib import Path

import numpy as np
from conftest import Cli

from voice_coach.clock import ManualClock
from voice_coach.dialogue.engine import Coach
from voice_coach.exercises import registry
from voice_coach.journal.store import Journal
from voice_coach.messages import Utterance
from voice_coach.resources import intents_dir
from voice_coach.settings import Settings
from voice_coach.understanding import Understanding
from voice_coach.understanding.crisis import CrisisDetector
from voice_coach.understanding.crisis.features import word_classes
from voice_coach.understanding.crisis.learned import SecondOpinion
from voice_coach.understanding.crisis.training import load_second_opinion

UNSEEN = "i just want to be gone"
"""In no rule, no example and no evaluation list ("top myself", the first choice, is in
the rules now)."""
QUESTION = "are you thinking about ending your life, or hurting yourself?"


def coach(tmp_path: Path) -> Coach:
    journal = Journal.open(tmp_path / "journal.sqlite3")
    settings = Settings(name="Sam", evening_reflection_time="off")
    clock = ManualClock(datetime(2026, 12, 2, 15, 0).astimezone())
    started = Coach(Understanding.load(), journal, settings, clock, registry())
    started.start()
    return started


def test_an_unseen_phrase_the_rules_miss_gets_the_safety_question(tmp_path: Path) -> None:
    assert CrisisDetector.load("en").classify(UNSEEN).kind.value == "none"  # rules alone
    c = coach(tmp_path)
    asked = c.handle(Utterance(UNSEEN))
    assert QUESTION in asked.text
    assert asked.intent == "distress" and "988" not in asked.shown  # a question, not the script
    yes = c.handle(Utterance("yeah"))
    assert "nine eight eight" in yes.text and c.state == "safety"


def test_mid_exercise_an_unseen_goodbye_is_asked_about_and_ordinary_answers_are_not(
    cli: Cli, named_home: Path
) -> None:
    said = cli(
        "chat", "--fast",
        input="let's do the evening reflection\nseven\nno\ni went for a walk with my sister\n"
        "everyone would be better if i just went away\nno, not like that\n",
    )
    assert said.returncode == 0, said.stderr
    # Asked once, right after the goodbye, not after the ordinary answers.
    assert said.stdout.count(QUESTION) == 1, said.stdout
    assert QUESTION not in said.stdout.split("grateful")[0], said.stdout
    assert "not able to help" not in said.stdout


def test_voice_coach_intent_reports_the_second_opinion_as_distress(cli: Cli) -> None:
    said = cli("intent", "--json", UNSEEN)
    assert json.loads(said.stdout)["slots"] == {"kind": "distress"}, said.stdout
    plain = cli("intent", "--json", "it helps me unwind after work")
    assert json.loads(plain.stdout)["intent"] != "crisis"


def test_the_model_is_cached_privately_under_a_hash_of_its_data(tmp_path: Path) -> None:
    folder = tmp_path / "intents"
    shutil.copytree(intents_dir("en"), folder)
    detector = CrisisDetector.from_folder(folder)
    first = load_second_opinion(folder, detector, tmp_path / "cache")
    (stored,) = (tmp_path / "cache" / "understanding").glob("crisis-model-*.npz")
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    again = load_second_opinion(folder, detector, tmp_path / "cache")  # read, not trained
    assert first is not None and again is not None
    assert again.score(detector.plain(UNSEEN)) == first.score(detector.plain(UNSEEN))
    examples = folder / "crisis" / "examples.yaml"
    examples.write_text(examples.read_text() + "    - i keep topping up my stash\n")
    load_second_opinion(folder, detector, tmp_path / "cache")
    (changed,) = (tmp_path / "cache" / "understanding").glob("crisis-model-*.npz")
    assert changed.name != stored.name  # retrained for the new data; the old one removed


def test_training_is_deterministic_and_learns_word_families() -> None:
    classes = word_classes({"pill": "pills|tablets|xanax|valium"})
    concern = ["i took all my pills", "i swallowed the tablets", "i want to die"]
    safe = ["i took the dog for a walk", "i want a coffee", "i swallowed my pride"]
    one = SecondOpinion.train(concern, safe, classes)
    two = SecondOpinion.train(concern, safe, classes)
    assert np.array_equal(np.frombuffer(one.to_bytes(), np.uint8),
                          np.frombuffer(two.to_bytes(), np.uint8))
    # "valium" was never in an example, but it is in the same word list as "pills".
    assert one.score("i took all my valium") > one.score("i took all my shopping")
