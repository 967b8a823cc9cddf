"""A learned second opinion: when the crisis rules find nothing, may the coach still ASK?

The rules (`rules.yaml`) decide every crisis answer, and every one of their
decisions can be traced to a line. On phrasings nobody wrote down they miss
between one crisis in five and one in three, so this small model looks at what the rules let
through and, when it is sure enough, lets the coach ask the distress question
("Can I ask you something directly: are you thinking about ending your life,
or hurting yourself?"). It never gives the crisis answer itself: a false
alarm costs one caring question, a miss is met by the same question the
person can answer with "yes".

What it learns from: `intents/<lang>/crisis/examples.yaml` (sentences that
deserve the question, and safe ones: figures of speech, urge talk, ordinary
sad sentences, answers to the exercises' questions, denials), any
`crisis/examples_*.yaml` beside it (`examples_blind1.yaml`: 1,258 sentences,
`examples_blind2.yaml`: 1,345, each by a writer who never saw the rules, the
lists or the other file), plus about 150 sentences
of every other intent, generated from the templates in `intents/<lang>/*.yaml`
(what people say to the coach all day). The evaluation lists in tests/data
are never used (the blind files' copies leave out their 106 and 84 sentences
identical to one of their lines).

How: logistic regression on hashed word 1–3-grams, character 3–5-grams and
word-list n-grams (`features.py`), over the same plain text the rules see
(`CrisisDetector.plain`: repaired, figures of speech blanked). Trained with
numpy at first use, in about 2 s, by full-batch gradient descent (Adam) from
zero (so the same data always gives the same weights), class-balanced, L2
regularised; kept in the cache folder (`cache/understanding/`, 0600) under
a hash of everything it depends on, and rebuilt when any of it changes.
A long answer is scored in overlapping windows of `WINDOW` words.

What it may do: only when the rules found nothing, the text has at least
`MIN_WORDS` words and is not a reported thought or a "what if"
(`CrisisDetector.not_present`, the frames the rules use for distress), a score
of `ask_above` or more turns "none" into distress. `ask_above: 0.85`: with
the blind examples the model is surer of everything, so the bar was raised
until it asked no more often about ordinary talk than the model before them
did at its bar of 0.75 (chosen then by 5-fold cross-validation on
examples.yaml): 3 of 4,830 template sentences not trained on (7 before) and
1 of the 206 paraphrases of tests/data/paraphrases.yaml (0 before); no crisis
list was used to choose it. While an exercise's question is being answered the
bar is `ask_above_in_exercise: 0.9`, set by judgement, not measured: the ABC
belief "I'm useless and I'll get fired" scores 0.82, and harsh self-talk is
what that tool asks for.

Measured (`pytest tests/test_crisis_eval.py -s` prints rules alone and rules +
second opinion for every held-out list), 2 December 2026. Earlier: on heldout7
when it was fresh, crisis flagged or asked 95/118 -> 102/118; on heldout8,
47/67 -> 50/67. Then two changes, measured on heldout8 and heldout9, which no
rule was tuned on and nothing was trained on:
- marking the words a denial governs (`features.mark_denied`, format 2):
  denials asked about over heldout1-9 30/102 -> 2/102; crisis lines asked
  about 19 -> 16 (three near the bar moved under it);
- adding examples_blind1.yaml and the bar of 0.85: heldout8 50/67 -> 52/67
  flagged or asked, heldout9 198/267 -> 209/267 (distress handled 65.7 ->
  68.6 %); of the 18 heldout9 lines newly asked about, 1 has a training line
  sharing half its character trigrams (the two blind files are not
  near-copies of each other). Asked about by the second opinion over
  heldout1-9: exercise answers 4 -> 1 of 381, denials 30 -> 1 of 102,
  figures of speech 3 -> 1 of 255, sad-but-safe lines 0 -> 2 of 158.
  With the rules' apostrophe-less contractions and fitting families that
  followed: heldout9 215/267, heldout8 52/67, exercise answers 2 of 381.
Then, 3 December 2026, examples_blind2.yaml and the bar raised from 0.85 to
0.87, the smallest of 0.85/0.86/0.87 at which it asks about no more template
sentences than before (31,663 sentences of every other intent, most never
trained on: 13 before, 21 at 0.85, 15 at 0.86, 11 at 0.87, nearly all the
lonely tool's "i am so cut off from everyone tonight"; paraphrases 1 of 176 at
0.87 as before). Measured on the lists no rule was tuned on: heldout12 (fresh,
blind) crisis flagged or asked 223 -> 225/293, distress handled 54.3 -> 55.6 %;
heldout9 231 -> 234/267; heldout8 57 -> 58/67; asked about over every list:
exercise answers 4 -> 3 of 663, denials 4 -> 3 of 280, figures of speech
3 -> 1 of 507, sad-but-safe lines 8 -> 6 of 338.
Could it give the crisis answer itself at a higher score? Scores of 0.9 or
more together with a word of the rules' means, pill, drug, poison, body or
cut lists: 11 crisis lines of heldout1-9 and none of the ~6,000 safe lines,
template sentences and paraphrases. Not done: the model has no kind (six of
the eleven are overdoses, which need the emergency number, not 988), the
question already reaches them with one "yes", and a false crisis answer
frightens; more data that tells the kinds apart would be needed first.
Never a full crisis answer. Cost: about 0.2 ms per utterance on top of the
rules' 1.2 ms; training about 2 s once (both at a load of 3 on the shared
2-core machine).
"""

from __future__ import annotations

import hashlib
import io
import logging
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import yaml

from voice_coach.errors import IntentsError
from voice_coach.resources import load_yaml
from voice_coach.understanding.crisis.features import DIMENSIONS, features

log = logging.getLogger(__name__)

EXAMPLES_FILE = Path("crisis") / "examples.yaml"
MORE_EXAMPLES = "examples_*.yaml"
"""More `concern:`/`safe:` sentences beside examples.yaml (in `crisis/`), e.g. written blind
by someone who never saw the rules; the thresholds are examples.yaml's."""
CACHE_FOLDER = "understanding"
FORMAT = 2
"""Bumped whenever features or training change, so old caches are not read."""
MIN_WORDS = 3
"""Shorter utterances ("goodbye", "I'm done", "seven") are commands and answers: too little
for a bag of words to judge, so the model stays silent on them (the rules still apply)."""
WINDOW = 24
"""Words per window when scoring a long utterance (windows overlap by half)."""
STEPS = 100
L2 = 1e-4

Vector = npt.NDArray[np.float32]


@dataclass(frozen=True)
class Examples:
    """The training sentences and the asking threshold, as written in examples.yaml."""

    concern: tuple[str, ...]
    safe: tuple[str, ...]
    ask_above: float = 0.5
    negatives_per_intent: int = 150
    ask_above_in_exercise: float = 0.9

    @classmethod
    def from_file(cls, path: Path) -> Examples:
        try:
            return cls.from_text(path.read_text(encoding="utf-8"), str(path))
        except OSError as exc:
            raise IntentsError(
                f"Cannot read {path}: {exc.strerror}. Reinstall Voice Coach."
            ) from exc

    @classmethod
    def from_text(cls, text: str, source: str = "<text>") -> Examples:
        try:
            return cls.from_dict(load_yaml(text), source)
        except yaml.YAMLError as exc:
            raise IntentsError(f"{source}: not valid YAML ({exc}).") from exc

    @classmethod
    def from_dict(cls, data: Any, source: str = "<dict>") -> Examples:
        if not isinstance(data, Mapping) or not data.get("concern") or not data.get("safe"):
            raise IntentsError(f"{source}: expected 'concern:' and 'safe:' lists of sentences.")
        try:
            ask_above = float(data.get("ask_above", 0.5))
            in_exercise = float(data.get("ask_above_in_exercise", max(ask_above, 0.9)))
            per_intent = int(data.get("negatives_per_intent", 150))
        except (TypeError, ValueError) as exc:
            raise IntentsError(f"{source}: ask_above must be a number from 0 to 1.") from exc
        for value in (ask_above, in_exercise):
            if not 0 < value < 1:
                raise IntentsError(f"{source}: ask_above must be between 0 and 1, not {value}.")
        return cls(
            _sentences(data["concern"]), _sentences(data["safe"]), ask_above, per_intent,
            in_exercise,
        )


    def with_more(self, more: Examples) -> Examples:
        """These examples with `more`'s sentences added (this file's thresholds)."""
        return replace(self, concern=self.concern + more.concern, safe=self.safe + more.safe)


class SecondOpinion:
    """Scores plain text: how likely it deserves the safety question (0–1)."""

    def __init__(
        self,
        weights: Vector,
        bias: float,
        ask_above: float,
        classes: Mapping[str, str],
        ask_above_in_exercise: float | None = None,
    ) -> None:
        self._weights = weights
        self._bias = bias
        self.ask_above = ask_above
        """The score from which the coach asks."""
        self.ask_above_in_exercise = max(ask_above, ask_above_in_exercise or ask_above)
        """The same while an exercise's question is being answered."""
        self._classes = dict(classes)

    def score(self, plain: str) -> float:
        """The highest probability over `plain`'s windows (0 under `MIN_WORDS` words)."""
        words = plain.split()
        if len(words) < MIN_WORDS:
            return 0.0
        starts = range(0, max(1, len(words) - WINDOW // 2), WINDOW // 2)
        return max(self._probability(" ".join(words[s : s + WINDOW])) for s in starts)

    def threshold(self, in_exercise: bool = False) -> float:
        return self.ask_above_in_exercise if in_exercise else self.ask_above

    def _probability(self, text: str) -> float:
        index = features(text, self._classes)
        if not len(index):
            return 0.0
        z = float(self._weights[index].sum()) / math.sqrt(len(index)) + self._bias
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    # ----- training -----------------------------------------------------------

    @classmethod
    def train(
        cls,
        concern: Sequence[str],
        safe: Sequence[str],
        classes: Mapping[str, str],
        ask_above: float = 0.5,
        ask_above_in_exercise: float | None = None,
    ) -> SecondOpinion:
        """Logistic regression on plain texts (deterministic: same data, same weights)."""
        rows = [features(t, classes) for t in (*concern, *safe)]
        labels = np.array([1.0] * len(concern) + [0.0] * len(safe), dtype=np.float64)
        lengths = np.array([len(r) for r in rows], dtype=np.int64)
        keep = lengths > 0
        index = np.concatenate([r for r in rows if len(r)])
        row_of = np.repeat(np.arange(len(rows))[keep], lengths[keep])
        value = np.repeat(1.0 / np.sqrt(np.maximum(lengths, 1)), lengths)
        # Class balance: each class weighs as much as the other in the loss.
        n_pos, n_neg = max(1.0, labels.sum()), max(1.0, (1 - labels).sum())
        sample_weight = np.where(labels == 1, 0.5 / n_pos, 0.5 / n_neg)
        w = np.zeros(DIMENSIONS, dtype=np.float64)
        b = 0.0
        m_w, v_w = np.zeros_like(w), np.zeros_like(w)
        m_b = v_b = 0.0
        rate, beta1, beta2, eps = 0.1, 0.9, 0.999, 1e-8
        for step in range(1, STEPS + 1):
            z = np.bincount(row_of, weights=w[index] * value, minlength=len(rows)) + b
            error = (1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))) - labels) * sample_weight
            grad_w = np.bincount(
                index, weights=error[row_of] * value, minlength=DIMENSIONS
            ).astype(np.float64) + L2 * w
            grad_b = float(error.sum())
            m_w = beta1 * m_w + (1 - beta1) * grad_w
            v_w = beta2 * v_w + (1 - beta2) * grad_w * grad_w
            m_b = beta1 * m_b + (1 - beta1) * grad_b
            v_b = beta2 * v_b + (1 - beta2) * grad_b * grad_b
            correction = math.sqrt(1 - beta2**step) / (1 - beta1**step)
            w -= rate * correction * m_w / (np.sqrt(v_w) + eps)
            b -= rate * correction * m_b / (math.sqrt(v_b) + eps)
        return cls(w.astype(np.float32), b, ask_above, classes, ask_above_in_exercise)

    # ----- storage ------------------------------------------------------------

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        np.savez_compressed(out, weights=self._weights, bias=np.array([self._bias]))
        return out.getvalue()

    @classmethod
    def from_bytes(
        cls,
        data: bytes,
        ask_above: float,
        classes: Mapping[str, str],
        ask_above_in_exercise: float | None = None,
    ) -> SecondOpinion:
        with np.load(io.BytesIO(data), allow_pickle=False) as stored:
            weights = np.asarray(stored["weights"], dtype=np.float32)
            bias = float(stored["bias"][0])
        if weights.shape != (DIMENSIONS,):
            raise ValueError(f"weights of shape {weights.shape}, expected ({DIMENSIONS},)")
        return cls(weights, bias, ask_above, classes, ask_above_in_exercise)


def data_hash(files: Iterable[Path]) -> str:
    """SHA-256 of the model format and every file the model depends on (names and bytes)."""
    digest = hashlib.sha256(f"crisis second opinion, format {FORMAT}\n".encode())
    for path in sorted(files):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def cached(
    path: Path, build: Callable[[], SecondOpinion], examples: Examples, classes: Mapping[str, str]
) -> SecondOpinion:
    """The model stored at `path`, or `build()` written there (0600) when it is missing."""
    from voice_coach.first_use import SAFETY, preparing
    from voice_coach.paths import write_private

    try:
        return SecondOpinion.from_bytes(
            path.read_bytes(), examples.ask_above, classes, examples.ask_above_in_exercise
        )
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, EOFError) as exc:
        log.info("rebuilding the crisis second opinion (%s: %s)", path.name, exc)
    preparing(SAFETY)
    model = build()
    try:
        write_private(path, model.to_bytes())
        for old in path.parent.glob("crisis-model-*.npz"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as exc:  # a read-only or full disk costs a rebuild next time, nothing else
        log.info("could not cache the crisis second opinion in %s: %s", path.parent, exc)
    return model


def _sentences(value: Any) -> tuple[str, ...]:
    """Every string in a list, or in the lists of a mapping of headings (nested)."""
    if isinstance(value, Mapping):
        return tuple(s for v in value.values() for s in _sentences(v))
    if isinstance(value, list):
        return tuple(str(v) for v in value if v is not None)
    return ()
