"""Staying with the person after a crisis answer: the safety state.

Pure logic, like the exercises: `SafetyTalk` is told what was said (and what
the understanding layer made of it) and answers with a `SafetyStep`: the
lines to say and what the engine should do next (keep listening, start the
breathing exercise, leave the safety state, give the full crisis answer).

The coach stays here until the person says they are safe or clearly asks
for something else; an exercise they ask for starts only after one
"Are you safe right now?". Silence gets a gentle check, never a goodbye.
The replies rotate so the same words are not said twice in a row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from voice_coach.dialogue.crisis_content import CrisisContent, Line
from voice_coach.dialogue.safety import first_answer
from voice_coach.names import GOODBYE, NO, STOP, YES
from voice_coach.understanding.crisis import CrisisKind
from voice_coach.understanding.normalize import normalize


class Asked(StrEnum):
    """The yes/no question the coach is waiting on."""

    NOTHING = "nothing"
    SOMEONE = "someone"
    """"Is there someone who could be with you right now?"."""
    BREATHE = "breathe"
    SAFE = "safe"
    """"Are you safe right now?"."""
    DISTRESS = "distress"
    """"Are you thinking about ending your life, or hurting yourself?"."""
    OKAY = "okay"
    """"It sounded like you might not be safe. Are you okay?" (weak spoken evidence)."""


class Action(StrEnum):
    LISTEN = "listen"
    BREATHE = "breathe"
    """Start the breathing exercise; come back with `after_breathing`."""
    LEAVE = "leave"
    """The person is safe: back to the top level (then `request`, if any)."""
    STOP = "stop"
    """They asked to stop or said goodbye: leave with the resources in reach."""
    CARRY_ON = "carry_on"
    """A false alarm ("I'm okay"): back to what was going on, nothing interrupted."""
    CRISIS = "crisis"
    """Not okay, or unclear: the full crisis answer (ending what was going on)."""


@dataclass(frozen=True)
class SafetyStep:
    lines: list[Line]
    action: Action = Action.LISTEN
    request: str | None = None
    """An exercise to start after leaving (the one the person asked for)."""


SAFE_WORDS = re.compile(
    r"\b(i am|i feel|i am feeling|feeling|i will be|i think i am|yes i am|i am actually) "
    r"(safe|okay|ok|fine|alright|all right|better|good|calmer|a bit better)( now)?\b"
    r"|\bi am not going to (do|hurt|try) (anything|myself|it)\b|\bi am safe\b"
)
NOT_SAFE = re.compile(r"\b(not|never) (safe|okay|fine|alright|all right|good|better)\b")


@dataclass
class SafetyTalk:
    """The conversation after a crisis answer (or the distress question)."""

    kind: CrisisKind
    content: CrisisContent
    asked: Asked = Asked.NOTHING
    pending: str | None = None
    breathing: bool = False
    silences: int = 0
    if_yes: CrisisKind = CrisisKind.SUICIDAL
    """The crisis answer a "yes" (or anything unclear) to the distress or weak-evidence
    question gets: overdose when what led to the question mentioned a substance taken or a
    body in trouble ("i swallowed some of my pills and feel strange"), else suicidal."""
    _turns: dict[str, int] = field(default_factory=dict)
    _last: tuple[str, ...] = ()

    # ----- entering ------------------------------------------------------------

    def __post_init__(self) -> None:
        self._become(self.kind)

    def weak_question(self) -> list[Line]:
        """The gentle question when only open dictation heard a crisis."""
        self.asked = Asked.OKAY
        return self.content.say("weak_evidence_question")

    def opening(self) -> list[Line]:
        """The first answer for this kind; sets the question it ends on."""
        lines = first_answer(self.kind, self.content)
        if self.kind is CrisisKind.DISTRESS:
            self.asked = Asked.DISTRESS
        elif self.kind is CrisisKind.OVERDOSE:
            self.asked = Asked.NOTHING
        else:
            self.asked = Asked.SOMEONE
        self._last = tuple(line.spoken for line in lines)
        return lines

    # ----- each turn -----------------------------------------------------------

    def hear(
        self, text: str, yes_no: str | None, request: str | None, control: str | None,
        medical: bool = False,
    ) -> SafetyStep:
        """What the person said: `yes_no` is "yes"/"no"/None, `request` an exercise asked for,
        `medical` whether it mentions a substance taken or a body in trouble."""
        self.silences = 0
        if medical and self.asked is Asked.DISTRESS:
            # The answer itself says something was taken ("no but i swallowed a few
            # pills"): the emergency answer, whatever it says about wanting to die.
            self._become(CrisisKind.OVERDOSE)
            return self._say(self.opening())
        if medical:
            self.if_yes = CrisisKind.OVERDOSE
        plain = normalize(text)
        safe_now = bool(SAFE_WORDS.search(plain)) and not NOT_SAFE.search(plain)
        if control in (STOP, GOODBYE) and request is None:
            return SafetyStep(self.content.say("leaving"), Action.STOP)
        if self.asked is Asked.DISTRESS:
            return self._distress_answer(yes_no, plain, request)
        if self.asked is Asked.OKAY:
            okay = (yes_no == YES or safe_now) and not NOT_SAFE.search(plain)
            if okay:
                return SafetyStep(self.content.say("weak_yes"), Action.CARRY_ON)
            self._become(self.kind if self.kind.is_crisis else self.if_yes)
            return SafetyStep(self.opening(), Action.CRISIS)
        if self._matches("repeat", plain) or control == "repeat":
            return self._say(self.content.say("slow_resources"))
        if request is not None:
            if safe_now or (self.asked is Asked.SAFE and yes_no == YES):
                return SafetyStep(self.content.say("safe_yes"), Action.LEAVE, request)
            self.pending = request
            self.asked = Asked.SAFE
            return self._say(self.content.say("before_request"))
        if safe_now:
            return self._leave()
        if self.asked is Asked.SAFE and yes_no is not None:
            if yes_no == YES:
                return self._leave()
            return self._again()
        if self.asked is Asked.SOMEONE and yes_no is not None:
            first = self.content.say("someone_yes" if yes_no == YES else "someone_no")
            self.asked = Asked.BREATHE
            return self._say([*first, *self.content.say("offer_breathing")])
        if self.asked is Asked.BREATHE and yes_no is not None:
            if yes_no == YES:
                self.breathing = True
                self.asked = Asked.NOTHING
                return SafetyStep(self.content.say("breathing_yes"), Action.BREATHE)
            self.asked = Asked.SAFE
            return self._say(
                [*self.content.say("breathing_no"), *self.content.say("are_you_safe")]
            )
        for topic in ("called", "wont_call", "scared", "dont_know", "angry"):
            if self._matches(topic, plain):
                return self._say(self._rotate(topic))
        return self._say(self._rotate("other"))

    def silence(self) -> SafetyStep:
        """No answer: a gentle check that keeps the resources in reach (never a goodbye)."""
        items = self.content.replies["silence"]
        choice = items[self.silences % len(items)]
        self.silences += 1
        return self._say(self.content.lines(choice))

    def after_breathing(self, spoken: list[str]) -> SafetyStep:
        """The breathing exercise ended (or was stopped): back to "Are you safe right now?"."""
        self.breathing = False
        self.asked = Asked.SAFE
        lines = [Line(s, s) for s in spoken]
        return self._say([*lines, *self.content.say("are_you_safe")])

    # ----- helpers -------------------------------------------------------------

    def _distress_answer(self, yes_no: str | None, plain: str, request: str | None) -> SafetyStep:
        denied = yes_no == NO or bool(
            re.search(r"\b(no|nope|not really|of course not|god no|never)\b", plain)
        )
        unsure = re.search(r"\b(maybe|sometimes|kind of|sort of|a bit|i think so)\b", plain)
        if denied and not unsure:
            lines = self.content.say("distress_no")
            if self.if_yes is CrisisKind.OVERDOSE:
                # Not suicidal, but something was taken or the body is in trouble.
                lines += self.content.say("distress_no_medical")
            lines += self.content.say("distress_offer")
            return SafetyStep(lines, Action.LEAVE, request)
        # Yes, or anything unclear: the crisis answer for what led to the question.
        self._become(self.if_yes)
        return self._say(self.opening())

    def _again(self) -> SafetyStep:
        self._become(self.kind if self.kind is not CrisisKind.DISTRESS else self.if_yes)
        return self._say(self.opening())

    def _become(self, kind: CrisisKind) -> None:
        """Answer as `kind` from now on (an overdose puts the emergency number first)."""
        self.kind = kind
        if kind is CrisisKind.OVERDOSE:
            self.content = self.content.for_emergency()

    def _leave(self) -> SafetyStep:
        request, self.pending = self.pending, None
        lines = self.content.say("safe_yes")
        if request is None:
            lines += self.content.say("what_next")
        return SafetyStep(lines, Action.LEAVE, request)

    def _matches(self, topic: str, plain: str) -> bool:
        spec = self.content.replies["follow_ups"].get(topic, {})
        return any(re.search(p, plain) for p in spec.get("patterns", ()))

    def _rotate(self, topic: str) -> list[Line]:
        replies = self.content.replies["follow_ups"][topic]["replies"]
        turn = self._turns.get(topic, 0)
        self._turns[topic] = turn + 1
        lines = self.content.lines(replies[turn % len(replies)])
        if tuple(line.spoken for line in lines) == self._last and len(replies) > 1:
            lines = self.content.lines(replies[(turn + 1) % len(replies)])
        return lines

    def _say(self, lines: list[Line]) -> SafetyStep:
        if "safe right now" in " ".join(line.spoken for line in lines[-1:]):
            self.asked = Asked.SAFE
        self._last = tuple(line.spoken for line in lines)
        return SafetyStep(lines)
