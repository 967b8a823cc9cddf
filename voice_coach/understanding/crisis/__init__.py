"""Crisis understanding: which kind of crisis, if any, an utterance shows.

    detector = CrisisDetector.load("en")
    detector.classify("i took like thirty pills").kind   # CrisisKind.OVERDOSE
    detector.classify("I'm dying for a drink").kind      # CrisisKind.NONE

The rules are data a clinician can read (`intents/<lang>/crisis/rules.yaml`);
this package only applies them: `rules.py` reads and compiles them,
`spelling.py` repairs typing and dictation slips, `detector.py` runs the
checks in order (repair, blank out figures of speech, first kind that
matches and is not denied). `learned.py` is a small learned second opinion
(trained by `training.py` from `crisis/examples.yaml` and the intent templates)
that may only turn "none" into distress, the safety question; `Understanding.crisis`
applies it.
"""

from voice_coach.understanding.crisis.detector import CrisisDetector, CrisisFinding
from voice_coach.understanding.crisis.kinds import CRISIS_KINDS, CrisisKind
from voice_coach.understanding.crisis.rules import CrisisRules

__all__ = ["CRISIS_KINDS", "CrisisDetector", "CrisisFinding", "CrisisKind", "CrisisRules"]
