"""Turn typed or recognised text into plain lowercase words, so templates and speech compare.

Two levels, because two consumers need different things:

* `normalize` keeps every word a person could say ("i would like to") —
  speech-recognizer grammars are built from it, so nothing may be dropped;
* `match_key` also drops fillers ("um", "you know", "like", "so", "really")
  that change a fuzzy score without changing the meaning. Templates and
  utterances both go through it, so a filler in either never costs a match.
"""

from __future__ import annotations

import re
import unicodedata

from voice_coach.number_words import digits_to_words

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'"})

_CONTRACTIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), replacement)
    for pattern, replacement in (
        (r"\bwon't\b", "will not"),
        (r"\bcan't\b", "can not"),
        (r"\bcannot\b", "can not"),
        (r"\bshan't\b", "shall not"),
        (r"\bain't\b", "is not"),
        (r"\blet's\b", "let us"),
        (r"n't\b", " not"),
        (r"'re\b", " are"),
        (r"'ve\b", " have"),
        (r"'ll\b", " will"),
        (r"'d\b", " would"),
        (r"'m\b", " am"),
        (r"\b(it|that|what|there|here|he|she|who|where|how|when|why|everything|nothing|this)'s\b",
         r"\1 is"),
        (r"'s\b", ""),  # possessive: "my wife's birthday" → "my wife birthday"
    )
)

# Forms a recognizer or a hurried typist writes without the apostrophe.
_BARE_FORMS = {
    "im": "i am", "ive": "i have", "dont": "do not", "didnt": "did not", "doesnt": "does not",
    "cant": "can not", "wont": "will not", "isnt": "is not", "arent": "are not",
    "wasnt": "was not", "werent": "were not", "couldnt": "could not", "shouldnt": "should not",
    "wouldnt": "would not", "havent": "have not", "hasnt": "has not", "hadnt": "had not",
    "youre": "you are", "theyre": "they are", "thats": "that is", "whats": "what is",
    "theres": "there is", "lets": "let us", "gonna": "going to", "wanna": "want to",
    "gotta": "got to", "kinda": "kind of", "sorta": "sort of", "dunno": "do not know",
    "lemme": "let me", "gimme": "give me", "ok": "okay", "alright": "all right",
    "cos": "because", "cuz": "because", "coz": "because", "pls": "please", "plz": "please",
    "u": "you", "ur": "your", "thx": "thanks", "ty": "thank you", "idk": "i do not know",
    "yea": "yeah", "nope": "no", "nah": "no", "yup": "yep", "selfharm": "self harm",
}  # fmt: skip

_FRACTION = re.compile(r"(?<![\d.])(-?\d+)\s*/\s*(\d+)(?![\d.])")
_DECIMAL = re.compile(r"(\d+)\.(\d+)")
_NEGATIVE = re.compile(r"(?<![\w])-(\d+)")
_RANGE = re.compile(r"(\d+)\s*-\s*(\d+)")
_DIGITS = re.compile(r"\d+")
_ANY_DIGIT = re.compile(r"\d")
_NON_WORD = re.compile(r"[^\w']+|_")
_SPACES = re.compile(r"\s+")


def _spell_digits(text: str) -> str:
    text = _FRACTION.sub(r" \1 out of \2 ", text)
    text = _DECIMAL.sub(lambda m: f" {m[1]} point {' '.join(m[2])} ", text)
    text = _RANGE.sub(r" \1 to \2 ", text)
    text = _NEGATIVE.sub(r" minus \1 ", text)
    return _DIGITS.sub(lambda m: f" {digits_to_words(m[0])} ", text)


def normalize(text: str) -> str:
    """Lowercase words separated by single spaces: no punctuation, digits spelled out.

    Contractions are expanded ("I'm" → "i am", "don't" → "do not") so that the
    typed, spoken and templated forms of a sentence are the same words.
    """
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).lower()
    if _ANY_DIGIT.search(text):
        text = _spell_digits(text)
    if "'" in text or "cannot" in text:
        for pattern, replacement in _CONTRACTIONS:
            text = pattern.sub(replacement, text)
    words = []
    for word in _NON_WORD.sub(" ", text).split():
        word = word.strip("'")
        if "'" in word:
            word = word.replace("'", "")
        if word:
            words.append(_BARE_FORMS.get(word, word))
    return " ".join(words)


FILLERS = frozenset(
    {
        "um", "umm", "uh", "uhh", "uhm", "er", "erm", "ah", "ahh", "hmm", "hm", "mm", "eh",
        "so", "actually", "basically", "literally", "honestly", "totally", "just", "anyway",
        "anyways", "please", "kindly", "oh", "ooh", "pretty", "quite", "very", "seriously",
    }
)  # fmt: skip
"""Words dropped everywhere before fuzzy matching."""

_YES_SOUNDS = re.compile(r"\b(uh huh|mm hmm|mhm|mm hm|mhmm)\b")
_NO_SOUNDS = re.compile(r"\b(uh uh|nuh uh)\b")
_KEEP_LIKE_AFTER = frozenset(
    {"i", "you", "we", "they", "would", "feel", "feels", "felt", "feeling", "look", "looks",
     "not", "do", "did", "does", "really", "to", "also", "still", "dont", "it", "what"}
)  # fmt: skip


def match_key(text: str) -> str:
    """`normalize`, then drop fillers: the form fuzzy matching compares."""
    return strip_fillers(normalize(text))


def strip_fillers(normalized: str) -> str:
    """Drop fillers from text that has already been through `normalize`."""
    text = _NO_SOUNDS.sub("no", _YES_SOUNDS.sub("yes", normalized))
    words = text.split()
    kept: list[str] = []
    for i, word in enumerate(words):
        before = kept[-1] if kept else ""
        if word in FILLERS:
            continue
        if word == "really" and before != "not":
            continue
        if word == "like" and before not in _KEEP_LIKE_AFTER:
            continue
        if word == "know" and before == "you" and (len(kept) < 2 or kept[-2] not in ("do", "did")):
            kept.pop()  # "you know"
            continue
        if word in ("well", "okay") and i == 0 and len(words) > 1:
            continue  # a leading "well, ..." / "okay so ..."
        if word == "mean" and before == "i" and len(kept) == 1:
            kept.pop()  # a leading "i mean"
            continue
        kept.append(word)
    return " ".join(kept)
