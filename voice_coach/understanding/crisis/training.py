"""Builds the learned second opinion from the files that ship in `intents/<lang>/`.

`load_second_opinion(folder, detector, cache_dir)` reads `crisis/examples.yaml`
and any `crisis/examples_*.yaml` beside it (more sentences, e.g. written blind),
adds sentences generated from every non-crisis intent template as safe
examples (`template_negatives`), runs every sentence through the detector's
`plain` (the text the model will see at run time), and trains, or reads the
cached model when nothing it depends on has changed.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

from voice_coach.understanding.crisis.detector import RULES_FILE, CrisisDetector
from voice_coach.understanding.crisis.features import word_classes
from voice_coach.understanding.crisis.learned import (
    CACHE_FOLDER,
    EXAMPLES_FILE,
    MORE_EXAMPLES,
    Examples,
    SecondOpinion,
    cached,
    data_hash,
)
from voice_coach.understanding.intents import Intents
from voice_coach.understanding.templates import sample

log = logging.getLogger(__name__)

CRISIS_INTENT = "crisis"


def template_negatives(intents: Intents, per_intent: int) -> list[str]:
    """About `per_intent` sentences of every intent but crisis, spread over its templates.

    Each template gives an equal share (`templates.sample`, seeded by the template, so
    the same files always give the same sentences); shares are interleaved so a cut at
    `per_intent` keeps every template.
    """
    out: list[str] = []
    for name, intent in intents.intents.items():
        if name == CRISIS_INTENT or not intent.templates:
            continue
        share = max(1, math.ceil(per_intent / len(intent.templates)))
        groups = [
            [e.text for e in sample(t, share, intents.lists, intents.rules)]
            for t in intent.templates
        ]
        mixed = [g[i] for i in range(share) for g in groups if i < len(g)]
        out.extend(mixed[:per_intent])
    return out


def build(folder: Path, detector: CrisisDetector, examples: Examples) -> SecondOpinion:
    """Train on `examples` plus the template sentences of `folder` (no cache)."""
    intents = Intents.from_files(folder)
    safe = [*examples.safe, *template_negatives(intents, examples.negatives_per_intent)]
    return SecondOpinion.train(
        [detector.plain(t) for t in examples.concern],
        [detector.plain(t) for t in safe],
        word_classes(detector.word_lists),
        examples.ask_above,
        examples.ask_above_in_exercise,
    )


def load_second_opinion(
    folder: Path, detector: CrisisDetector, cache_dir: Path | None
) -> SecondOpinion | None:
    """The second opinion for the intents in `folder` (None when it has no examples file)."""
    path = Path(folder) / EXAMPLES_FILE
    if not path.exists():
        return None
    examples = Examples.from_file(path)
    more = sorted(path.parent.glob(MORE_EXAMPLES))
    for extra in more:
        examples = examples.with_more(Examples.from_file(extra))
    if cache_dir is None:
        return build(folder, detector, examples)
    depends = [path, *more, Path(folder) / RULES_FILE, *sorted(Path(folder).glob("*.yaml"))]
    key = data_hash(depends)
    target = cache_dir / CACHE_FOLDER / f"crisis-model-{key[:32]}.npz"
    return cached(
        target,
        lambda: build(folder, detector, examples),
        examples,
        word_classes(detector.word_lists),
    )
