"""The person's own words, read back to them: second person, no fillers, no non-answers.

Every exercise reads answers back through `read_back`, so "I'd sleep better"
comes back as "you'd sleep better", "um my kids, definitely my kids" as "your
kids", and "I don't know" is never read back as if it were content. The
journal keeps the words exactly as said; only what is spoken changes.

The rules are small and predictable on purpose: a spoken answer is short,
and a wrong pronoun turn is worse than none, so only first-person words that
always mean the speaker are turned ("I", "my", "me", "mine", "myself", "we"
stays "we" — a family, a couple — because "you" would be wrong half the time).
"""

from __future__ import annotations

import re

_FILLERS = (
    r"um+", r"uh+", r"er+m*", r"hmm+", r"mm+", r"ah+", r"oh+", r"like", r"you know",
    r"i mean", r"i guess", r"i suppose", r"i think", r"i'd say", r"i would say",
    r"kind of", r"sort of", r"kinda", r"sorta", r"basically", r"honestly", r"definitely",
    r"probably", r"maybe", r"actually", r"literally", r"well", r"so",
    r"okay", r"ok", r"yeah", r"right",
)
"""Fillers and hedges trimmed from the START of an answer (and "like", "um" anywhere)."""
_LEAD = re.compile(
    r"^(?:(?:" + "|".join(_FILLERS) + r")\b[\s,.]*)+", re.IGNORECASE,
)
_ANYWHERE = re.compile(r"\b(?:um+|uh+|erm+|er|hmm+|you know|like,)\s*,?\s*", re.IGNORECASE)
_TRAIL = re.compile(
    r"[\s,]+(?:i guess|i think|i suppose|you know|or something|or whatever|and stuff|"
    r"i don't know|probably|really|definitely|honestly)\s*$",
    re.IGNORECASE,
)

NON_ANSWERS = frozenset({
    "no", "nope", "nah", "nothing", "none", "not really", "no nothing", "nothing really",
    "i don't know", "i dont know", "dont know", "don't know", "i do not know", "dunno",
    "i dunno", "not sure", "i'm not sure", "im not sure", "i am not sure", "no idea",
    "no idea honestly", "i have no idea", "no clue", "hard to say", "it's hard to say",
    "who knows", "pass", "i pass", "skip", "nothing comes to mind", "can't think of anything",
    "i can't think of anything", "not that i know of", "no not really", "n/a", "none really",
    "not much", "beats me", "whatever", "bye", "goodbye", "idk", "nevermind", "never mind",
    "same", "nothing much", "i'm not sure really", "not sure honestly", "no one", "nobody",
})
"""Answers that mean "I have nothing to say here" (compared after trimming)."""

_PRONOUNS = {
    "i": "you", "i'm": "you're", "im": "you're", "i've": "you've", "i'd": "you'd",
    "i'll": "you'll", "me": "you", "my": "your", "mine": "yours", "myself": "yourself",
    "am": "are", "was": "were", "wasn't": "weren't",
}
"""First person → second. "am"/"was" only turn right after "I" (handled below)."""
_AFTER_I_ONLY = frozenset({"am", "was", "wasn't"})
_WORD = re.compile(r"[A-Za-z][A-Za-z']*|[^A-Za-z]+")


def trim(text: str) -> str:
    """Fillers and hedges off the ends, "um"/"uh" anywhere, repeats folded, end punctuation off.

    "um my kids, definitely my kids" → "my kids"; "like, walking I guess" → "walking".
    """
    text = " ".join(text.split())
    previous = None
    while previous != text:
        previous = text
        text = _LEAD.sub("", text).strip(" ,.")
        text = _TRAIL.sub("", text).strip(" ,.")
    text = _ANYWHERE.sub("", text).strip(" ,.!?;:")
    parts = [part.strip() for part in re.split(r"\s*,\s*", text) if part.strip()]
    if len(parts) >= 2:
        core = [_LEAD.sub("", part).strip() for part in parts]
        if all(c.lower() == core[0].lower() for c in core):  # "my kids, definitely my kids"
            return core[0]
    return " ".join(text.split())


def is_non_answer(text: str | None) -> bool:
    """True for "I don't know", "nothing", "pass", "bye" and the like (and for empty)."""
    if text is None:
        return True
    core = re.sub(r"[^a-z' ]+", " ", trim(text).lower())
    core = " ".join(core.split())
    raw = " ".join(re.sub(r"[^a-z' ]+", " ", text.lower()).split())
    return not core or core in NON_ANSWERS or raw in NON_ANSWERS


def second_person(text: str) -> str:
    """Turn the speaker's first-person words to "you": "I'd sleep better" → "you'd sleep better"."""
    out: list[str] = []
    previous = ""
    for token in _WORD.findall(text):
        lower = token.lower()
        if lower in _PRONOUNS and (lower not in _AFTER_I_ONLY or previous == "i"):
            turned = _PRONOUNS[lower]
            if lower == "me" and out and out[-1].rstrip().lower().endswith("and"):
                turned = "you"
            out.append(turned)
        else:
            out.append(token)
        if token.strip():
            previous = lower
    return "".join(out)


def read_back(answer: object) -> str | None:
    """What to say when reading an answer back: trimmed, in the second person; None for
    skipped answers and non-answers ("I don't know", "nothing", "bye")."""
    if not isinstance(answer, str) or is_non_answer(answer):
        return None
    text = trim(answer)
    return second_person(text) if text else None


_NAME_LEADS = re.compile(
    r"\b(?:i'?d call (?:it|him|her)|i would call (?:it|him|her)|i'?ll call (?:it|him|her)|"
    r"i will call (?:it|him|her)|let'?s call (?:it|him|her)|i call (?:it|him|her)|"
    r"call (?:it|him|her)|its name is|it's called|it is called|name it|named|"
    r"his name is|her name is|it'?s|it is|maybe)\s+",
    re.IGNORECASE,
)
_NAME_STOP = re.compile(
    r"\s+(?:because|cause|'cause|cos|since|as|coz|cuz|for|who|which|that|when|it's|it is|"
    r"and|but|or)\b.*$",
    re.IGNORECASE,
)
MAX_NAME_WORDS = 4


def extract_name(text: str | None) -> str | None:
    """A name from a sentence: "I guess I'd call it the wolf cause it's always hungry" →
    "the wolf". None when nothing name-like is left."""
    if text is None or is_non_answer(text):
        return None
    cleaned = _NAME_STOP.sub("", trim(text))
    leads = list(_NAME_LEADS.finditer(cleaned))
    if leads:
        cleaned = cleaned[leads[-1].end():]
    cleaned = cleaned.strip(" ,.!?\"'")
    cleaned = trim(cleaned)
    words = cleaned.split()
    if not words or len(words) > MAX_NAME_WORDS:
        return None
    return cleaned


_ACTION_LEADS = re.compile(
    r"^(?:(?:i|we) (?:could|can|will|would|might|should|'ll|'d)|i'?ll|i'?d|we'?ll|"
    r"i'?m (?:going|gonna) to|i am going to|i'?m gonna|i want to|i'd like to|i need to|"
    r"i'?m going to try to|i'll try to|i could try to|i can try to|maybe i'?ll|maybe|"
    r"probably|try to|i think i'?ll|i guess i'?ll)\s+",
    re.IGNORECASE,
)


def action_phrase(answer: object) -> str | None:
    """An idea for what to do, ready to follow "you'll": "I could put the wine down the
    sink" → "put the wine down the sink". None for non-answers."""
    text = read_back(answer if isinstance(answer, str) else None)
    if text is None:
        return None
    raw = trim(str(answer))
    previous = None
    while previous != raw:
        previous = raw
        raw = _ACTION_LEADS.sub("", raw).strip()
    phrase = second_person(raw) if raw else text
    return phrase or None
