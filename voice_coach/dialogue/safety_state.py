"""The safety state inside the engine: the crisis check on every utterance, and what follows.

`SafetyState.check(text)` runs first for every utterance, in every state.
A crisis (suicidal, overdose, self-harm) ends whatever was running (answers
kept, the session marked "crisis") and gives the answer for its kind; the
distress signs get one direct question, and "yes" to it gets the answer for
what led to it: the emergency one when that mentioned a substance taken or a
body in trouble (`medical_signs` in the crisis rules), else the suicidal one;
the reply is checked by the crisis rules first ("no but i took a lot of
pills" is an overdose). Until the person says they are
safe, what they say goes to `SafetyTalk`; "yes" to breathing together runs
three paced breaths and a little grounding (`breathe_together`, on the
engine's clock, no questions) and comes back to "Are you safe right now?". The journal records each
crisis answer as a time and a kind, never the words that led to it.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from voice_coach.dialogue.crisis_content import CrisisContent, Line
from voice_coach.dialogue.safety_talk import SAFE_WORDS, Action, Asked, SafetyStep, SafetyTalk
from voice_coach.journal.figures import CRISIS_SESSION
from voice_coach.journal.port import SessionStatus
from voice_coach.messages import Listen, ListenFor, Reply, Speak, Utterance
from voice_coach.names import BREATHE_TOGETHER, BREATHING, GOODBYE, NO, REPEAT, STOP, YES
from voice_coach.understanding.crisis import CrisisFinding, CrisisKind
from voice_coach.understanding.normalize import normalize

if TYPE_CHECKING:
    from voice_coach.dialogue.engine import Coach

log = logging.getLogger(__name__)

SLOW = 1.3
"""Resources repeated on request are spoken this much slower."""
REQUEST_CONFIDENCE = 0.75


class SafetyState:
    """Owned by the `Coach`; `active` while the coach is staying with the person."""

    def __init__(self, coach: Coach) -> None:
        self._coach = coach
        self.talk: SafetyTalk | None = None

    @property
    def active(self) -> bool:
        return self.talk is not None

    def content(self) -> CrisisContent:
        settings = self._coach.settings
        return CrisisContent.load(settings.crisis_region, settings.trusted_contact)

    # ----- every utterance ----------------------------------------------------

    def concern(self, text: str) -> CrisisKind:
        """The kind `text` shows, judged as in `check` (surer inside an exercise)."""
        return self._finding(text).kind

    def check(self, text: str) -> Reply | None:
        """The safety answer for `text`, or None when it is not a safety matter."""
        finding = self._finding(text)
        talk = self.talk
        if finding.is_crisis:
            return self._open(finding.kind)
        if finding.kind is CrisisKind.DISTRESS and talk is None:
            return self._open(CrisisKind.DISTRESS, text)
        if talk is None:
            return None
        if self._coach.runner.current is not None and talk.asked is not Asked.OKAY:
            return None
        return self._follow_up(talk, text)

    def ask_if_okay(self, text: str) -> Reply:
        """Weak spoken evidence: "It sounded like you might not be safe. Are you okay?".

        Nothing is interrupted yet: "I'm okay" carries on where things were;
        anything else gets the full crisis answer.
        """
        if self.talk is not None:
            return self.check(text) or self._follow_up(self.talk, text)
        kind = self._coach.understanding.crisis(text).kind
        self.talk = SafetyTalk(kind, self.content(), if_yes=self._if_yes(text))
        return self._reply(self.talk.weak_question(), intent="possible_crisis")

    def heard_in_dictation(self, text: str) -> Reply | None:
        """Only open dictation heard `text` (weak evidence), or None when it is no safety matter.

        A crisis gets "It sounded like you might not be safe. Are you okay?"
        (`ask_if_okay`). Distress gets the direct question, as when typed: it is a
        question already, so asking on weak evidence costs what asking always costs,
        while not asking leaves hopelessness said during a rating unheard.
        """
        kind = self.concern(text) if text else CrisisKind.NONE
        if kind.is_crisis:
            return self.ask_if_okay(text)
        if kind is CrisisKind.DISTRESS and self.talk is None:
            return self._open(CrisisKind.DISTRESS, text)
        return None

    def silence(self) -> Reply:
        assert self.talk is not None
        return self._step(self.talk.silence())

    def after_exercise(self, spoken: list[str]) -> Reply:
        """The breathing exercise ended or was stopped: ask "Are you safe right now?"."""
        assert self.talk is not None
        return self._step(self.talk.after_breathing([s for s in spoken if s]))

    # ----- helpers ------------------------------------------------------------

    def _finding(self, text: str) -> CrisisFinding:
        in_exercise = self._coach.runner.current is not None
        return self._coach.understanding.crisis(text, in_exercise=in_exercise)

    def _if_yes(self, text: str) -> CrisisKind:
        """The crisis answer "yes" to the question asked about `text` gets (see `SafetyTalk`)."""
        medical = self._coach.understanding.medical_signs(text)
        return CrisisKind.OVERDOSE if medical else CrisisKind.SUICIDAL

    def _open(self, kind: CrisisKind, text: str = "") -> Reply:
        """The first answer for `kind`; `text` (what led to it) decides what "yes" to the
        distress question gets."""
        self._coach.interrupt_for_safety()
        self.talk = SafetyTalk(kind, self.content(), if_yes=self._if_yes(text))
        if kind.is_crisis:
            self._record(kind)
        log.info("safety: %s answer given", kind.value)
        return self._reply(self.talk.opening(), intent="crisis" if kind.is_crisis else "distress")

    def _follow_up(self, talk: SafetyTalk, text: str) -> Reply:
        u = self._coach.understanding
        yes_no = u.recognize(text, allowed={YES, NO}).intent
        if yes_no not in (YES, NO):
            first = normalize(text).split()[:1]
            yes_no = {"no": NO, "nope": NO, "nobody": NO, "yes": YES, "yeah": YES,
                      "yep": YES, "sure": YES}.get(first[0] if first else "")
        match = u.recognize(text)
        rest = SAFE_WORDS.split(normalize(text), maxsplit=1)
        if len(rest) > 1 and rest[-1].strip():
            # "I'm okay now, can we do the check-in": the request after the reassurance.
            after = u.recognize(rest[-1])
            if after.intent in self._coach.exercises and after.confidence > match.confidence:
                match = after
        request = None
        if (
            match.intent in self._coach.exercises
            and match.confidence >= REQUEST_CONFIDENCE
            and match.intent != BREATHING
        ):
            request = match.intent
        elif match.intent == BREATHING and talk.asked.value != "breathe":
            request = BREATHING
        control = match.intent if match.intent in (STOP, GOODBYE, REPEAT) else None
        before = talk.kind
        medical = talk.asked in (Asked.DISTRESS, Asked.OKAY) and u.medical_signs(text)
        step = talk.hear(
            text, yes_no if yes_no in (YES, NO) else None, request, control, medical=medical
        )
        if talk.kind is not before and talk.kind.is_crisis and step.action is Action.LISTEN:
            self._record(talk.kind)  # the distress question was answered "yes"
        return self._step(step)

    def _step(self, step: SafetyStep) -> Reply:
        coach = self._coach
        if step.action is Action.CARRY_ON:
            self.talk = None
            return _prefixed(self._speak(step.lines), coach.handle(Utterance("repeat")))
        if step.action is Action.CRISIS:
            assert self.talk is not None
            talk = self.talk
            coach.interrupt_for_safety()
            self.talk = talk
            self._record(talk.kind)
            return self._reply(step.lines, intent="crisis")
        if step.action is Action.BREATHE:
            started = coach.start_exercise(BREATHE_TOGETHER)
            return _prefixed(self._speak(step.lines), started)
        if step.action in (Action.LEAVE, Action.STOP):
            self.talk = None
            if step.request is not None:
                started = coach.start_exercise(step.request, intent=step.request)
                return _prefixed(self._speak(step.lines), started)
            coach.last_top = tuple(line.spoken for line in step.lines)
            return Reply(
                self._speak(step.lines), coach.turns.idle_listen(), state=coach.state,
                intent=None,
            )
        slow = bool(step.lines) and step.lines[0].spoken.startswith("Here it is again")
        return self._reply(step.lines, slow=slow)

    def _reply(self, lines: list[Line], intent: str | None = None, slow: bool = False) -> Reply:
        coach = self._coach
        coach.last_top = tuple(line.spoken for line in lines)
        # Each silence in a row waits longer before the next gentle check (up to 4x).
        quiet = self.talk.silences if self.talk is not None else 0
        listen = Listen(ListenFor.FREE, coach.settings.answer_timeout * min(4, 1 + quiet))
        return Reply(self._speak(lines, slow), listen, state="safety", intent=intent)

    def _speak(self, lines: list[Line], slow: bool = False) -> tuple[Speak, ...]:
        pace = self._coach.turns.pace * (SLOW if slow else 1.0)
        contact = self._coach.settings.trusted_contact
        return tuple(
            Speak(
                line.spoken,
                pace,
                cacheable=not (contact and contact in line.spoken),
                display="" if line.display == line.spoken else line.display,
            )
            for line in lines
            if line.spoken
        )

    def _record(self, kind: CrisisKind) -> None:
        """A crisis answer in the journal: when, and which kind; never what was said."""
        journal, now = self._coach.journal, self._coach.clock.now()
        try:
            session = journal.start_session(CRISIS_SESSION, now)
            journal.record_answer(session, "kind", "", kind.value, None, now)
            journal.end_session(session, SessionStatus.CRISIS, now)
        except Exception:  # the answer must be given even if the journal fails
            log.exception("could not record the crisis answer in the journal")


def _prefixed(speech: tuple[Speak, ...], reply: Reply) -> Reply:
    return Reply(speech + reply.speech, reply.next, reply.ended, reply.state, reply.intent)
