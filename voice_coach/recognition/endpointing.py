"""Grammar-aware endpointing: end a complete answer or request after a brief pause.

The endpointer's silence timeout (0.4 s for commands, 0.8 s for free answers)
is most of the wait between the end of speech and the reply. When the
recognizer's partial hypothesis already is a whole sentence of the state's
grammar — "seven", "yes please", "stop", "remind me of my reasons" — a much
shorter pause (`EARLY_SILENCE`) is enough. Home Assistant waits 0.7 s and
Rhino 1 s by default; neither uses the grammar.

Which sentences (the graph is walked through the partial's words,
`sentence_walk.py`, never listed):
- a short one (`MAX_WORDS`): ratings, yes/no, control words, even where the
  grammar goes on ("seven" of "seven out of ten" still means seven), but not
  at the top level, where "help me" can go on as "help me plan the next month";
- a longer one that no longer sentence starts with: nothing in the grammar
  can follow it, so waiting longer cannot change what it means;
- a longer one that can go on ("i'm having an urge" of "... right now")
  waits `EXTENDABLE_SILENCE` when that is set, else the normal timeout.

Guards that keep it from cutting people off:
- only closed answers and top-level requests (command mode) end early; free
  answers (dictation) always keep their long timeout;
- the speech heard so far must not be much longer than the sentence takes to
  say (`plausible_seconds`, scaled by its words): when out-of-scope speech is
  forced into the grammar ("I'm not sure, maybe" decoded as "no"), the audio is
  too long for the sentence, and the normal timeout applies;
- a crisis sentence, or the beginning of one ("i want to" of "i want to
  die", "i don't want to" of "i don't want to be alive"), never ends early,
  in either spelling (`Grammar.crisis_spellings`: the matcher's "do not" and
  the templates' "don't").
A partial's confidence would be a fourth guard, but neither engine gives one
cheaply (PocketSphinx computes word posteriors only at the end of the utterance,
Vosk's partial result has none).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from voice_coach.messages import WordGraph
from voice_coach.recognition.grammar import Grammar, normalise
from voice_coach.recognition.sentence_walk import NOWHERE, SentenceWalk
from voice_coach.recognition.word_graph import word_graph

EARLY_SILENCE = 0.18
"""Seconds of silence that end an utterance whose partial result is a complete answer."""
EXTENDABLE_SILENCE: float | None = None
"""Seconds of silence that end a long complete sentence the grammar could still extend;
None: the normal timeout (see the measurement in benchmarks/results/2026-12-03-endpoint-*)."""
MAX_WORDS = 4
"""Sentences this short end early even where the grammar goes on, except at the top level
(`TOP_LEVEL_SHORT_WAITS`)."""
TOP_LEVEL_SHORT_WAITS = True
"""At the top level, a short request the grammar could extend ("help me" of "help me plan
the next month", "what" of "what are my stats") waits the normal timeout: cut in a 0.3 s
pause, 10 of 51 such requests lost their meaning (benchmarks/results/2026-12-03-endpoint.md)."""
SECONDS_PER_WORD = 0.45
"""A generous speaking time per word (people say ~2.5 words a second)."""
SPARE_SECONDS = 0.45
"""Allowance for a slow start or a drawn-out word."""


def plausible_seconds(sentence: str) -> float:
    """The longest time a person plausibly takes to say `sentence`."""
    return SPARE_SECONDS + SECONDS_PER_WORD * len(sentence.split())


def _listed(sentences: Iterable[str]) -> WordGraph | None:
    """A graph of a few listed sentences (never the top level's: it has its graph)."""
    wanted = [s for s in sentences if s.split()]
    if not wanted:
        return None
    start, final, arcs = word_graph(wanted)
    return WordGraph(start, final, tuple(arcs))


def _crisis_walks(grammar: Grammar) -> tuple[SentenceWalk, ...]:
    """The crisis sentences in every spelling (`Grammar.crisis_spellings`)."""
    graph = _listed(grammar.crisis_spellings)
    return () if graph is None else (SentenceWalk(graph),)


_BUILT: dict[tuple[int, float, float | None, bool], tuple[Grammar, EarlyEndpoint | None]] = {}
"""Early endpoints by grammar (each state's grammar is built once and kept: `Grammars`)."""


@dataclass(frozen=True)
class EarlyEndpoint:
    """Decides, chunk by chunk, whether a complete sentence may end before the usual timeout."""

    walks: tuple[SentenceWalk, ...]
    """The state's grammar, walked through the partial's words: its graph (the words as
    said: "you're") and, for a closed answer, its listed sentences too (the matcher's
    "you are", which PocketSphinx decodes from when not in compiled mode)."""
    crisis: tuple[SentenceWalk, ...] = ()
    """The crisis sentences: never cut on one of them or on a beginning of one."""
    silence: float = EARLY_SILENCE
    extendable_silence: float | None = EXTENDABLE_SILENCE
    """For a long sentence that could go on; None: never early."""
    short_goes_on: bool = True
    """A short sentence ends early even where the grammar could go on."""

    @classmethod
    def for_grammar(
        cls, grammar: Grammar, silence: float = EARLY_SILENCE, top_level: bool = False
    ) -> EarlyEndpoint | None:
        """The early endpoint for a grammar; None for dictation (free answers).

        `top_level`: heard as a request at the top level (not as an answer to a
        question, where "yes" or "seven" is the whole answer).

        Built once per grammar (indexing the top-level graph takes ~35 ms, and a
        turn should start listening at once); long sentences that could go on
        wait `EXTENDABLE_SILENCE` as it is when first asked.
        """
        extendable_silence = EXTENDABLE_SILENCE
        short_goes_on = not (top_level and TOP_LEVEL_SHORT_WAITS)
        key = (id(grammar), silence, extendable_silence, short_goes_on)
        if key in _BUILT and _BUILT[key][0] is grammar:
            return _BUILT[key][1]
        graphs: list[WordGraph | None] = []
        if grammar.mode == "command":
            graphs.append(grammar.graph)
            if grammar.graph is None or grammar.graph.exact:  # never list the top level's
                graphs.append(_listed(grammar.phrases))
        walks = tuple(SentenceWalk(g) for g in graphs if g is not None)
        early = None
        if walks:
            early = cls(walks, _crisis_walks(grammar), silence, extendable_silence, short_goes_on)
        if len(_BUILT) > 64:
            _BUILT.clear()
        _BUILT[key] = (grammar, early)
        return early

    def should_end(self, partial: str, speech_seconds: float, trailing_silence: float) -> bool:
        """True when `partial` is a sentence that may end here: complete, said in a plausible
        time, then a long enough pause (longer when the grammar could still go on).

        `speech_seconds` is the utterance so far without its trailing silence.
        """
        if trailing_silence < self.silence:
            return False
        sentence = normalise(partial)
        words = sentence.split()
        if not words or self.near_crisis(words):
            return False
        if speech_seconds > plausible_seconds(sentence):
            return False
        reached = [walk.reach(words) for walk in self.walks]
        if not any(reach.complete for reach in reached):
            return False
        goes_on = any(reach.extendable for reach in reached)
        if not goes_on or (len(words) <= MAX_WORDS and self.short_goes_on):
            return True
        return self.extendable_silence is not None and trailing_silence >= self.extendable_silence

    def near_crisis(self, words: list[str]) -> bool:
        """True for a crisis sentence or a beginning of one ("i want to" of "i want to die")."""
        return any(walk.reach(words) != NOWHERE for walk in self.crisis)
