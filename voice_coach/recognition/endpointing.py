"""Grammar-aware endpointing: end a short, complete answer after a brief pause.

The endpointer's silence timeout (0.4 s for commands, 0.8 s for free answers)
is most of the wait between the end of speech and the reply. When the
recognizer's partial hypothesis already is a whole sentence of the state's
grammar — "seven", "yes please", "stop" — nothing the person adds could
change what it means, so a much shorter pause (`EARLY_SILENCE`) is enough.
Home Assistant waits 0.7 s and Rhino 1 s by default; neither uses the grammar.

Three guards keep it from cutting people off:
- only closed answers (command mode) end early; free answers (dictation)
  always keep their long timeout, so a long answer with pauses is heard whole;
- the sentence must be short (`MAX_WORDS`) and the speech heard so far must
  not be much longer than such a sentence takes to say (`plausible_seconds`):
  when out-of-scope speech is forced into the grammar ("I'm not sure, maybe"
  decoded as "no"), the audio is too long for the sentence, and the normal
  timeout applies;
- a sentence that begins a crisis sentence ("i want to" of "i want to die")
  never ends early.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from voice_coach.messages import WordGraph
from voice_coach.recognition.grammar import Grammar, normalise

EARLY_SILENCE = 0.18
"""Seconds of silence that end an utterance whose partial result is a complete answer."""
MAX_WORDS = 4
"""Longer sentences keep the normal timeout (a long answer is worth the wait)."""
SECONDS_PER_WORD = 0.45
"""A generous speaking time per word (people say ~2.5 words a second)."""
SPARE_SECONDS = 0.45
"""Allowance for a slow start or a drawn-out word."""


def plausible_seconds(sentence: str) -> float:
    """The longest time a person plausibly takes to say `sentence`."""
    return SPARE_SECONDS + SECONDS_PER_WORD * len(sentence.split())


def _prefixes(sentences: Iterable[str]) -> frozenset[str]:
    """Every proper word prefix of the sentences ("i", "i want", "i want to" of "i want to die")."""
    found: set[str] = set()
    for sentence in sentences:
        words = sentence.split()
        found.update(" ".join(words[:n]) for n in range(1, len(words)))
    return frozenset(found)


def short_sentences(graph: WordGraph, max_words: int = MAX_WORDS) -> frozenset[str]:
    """The graph's sentences of at most `max_words` words, found without listing the rest.

    A path is only followed while its words so far plus the fewest words from
    where it is to the end fit in `max_words`, so the cost is that of the short
    sentences, however many long ones the templates multiply into.
    """
    out: dict[int, list[tuple[int, str | None]]] = defaultdict(list)
    back: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for src, dst, _p, word in graph.arcs:
        out[src].append((dst, word))
        back[dst].append((src, 0 if word is None else 1))
    fewest = {graph.final: 0}
    todo = [graph.final]
    while todo:  # a few passes: word counts only ever go down
        state = todo.pop()
        for src, cost in back[state]:
            if fewest[state] + cost < fewest.get(src, max_words + 1):
                fewest[src] = fewest[state] + cost
                todo.append(src)
    found: set[str] = set()
    stack: list[tuple[int, tuple[str, ...]]] = [(graph.start, ())]
    while stack:
        state, words = stack.pop()
        if state == graph.final:
            found.add(" ".join(words))
        for dst, word in out[state]:
            said = words if word is None else (*words, word)
            if len(said) + fewest.get(dst, max_words + 1) <= max_words:
                stack.append((dst, said))
    return frozenset(found - {""})


@dataclass(frozen=True)
class EarlyEndpoint:
    """Decides, chunk by chunk, whether a complete answer may end before the usual timeout."""

    answers: frozenset[str]
    """Short sentences of the state's grammar that may end early."""
    unsafe: frozenset[str] = field(default_factory=frozenset)
    """Beginnings of crisis sentences: never cut there."""
    silence: float = EARLY_SILENCE

    @classmethod
    def for_grammar(cls, grammar: Grammar, silence: float = EARLY_SILENCE) -> EarlyEndpoint | None:
        """The early endpoint for a grammar; None for dictation (free answers)."""
        if grammar.mode != "command":
            return None
        if grammar.graph is not None and not grammar.graph.exact:
            # The top level: its sentences are never listed (`grammar.Listed`).
            answers = short_sentences(grammar.graph)
        elif grammar.phrases:
            answers = frozenset(p for p in grammar.phrases if 0 < len(p.split()) <= MAX_WORDS)
        else:
            return None
        unsafe = _prefixes(grammar.never_reject)
        return cls(answers - unsafe - frozenset(grammar.never_reject), unsafe, silence)

    def should_end(self, partial: str, speech_seconds: float, trailing_silence: float) -> bool:
        """True when `partial` is a complete short answer, said in a plausible time, then a pause.

        `speech_seconds` is the utterance so far without its trailing silence.
        """
        if trailing_silence < self.silence:
            return False
        sentence = normalise(partial)
        if not sentence or sentence not in self.answers:
            return False
        return speech_seconds <= plausible_seconds(sentence)
