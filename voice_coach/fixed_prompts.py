"""Which sentences are fixed prompts (the same for everyone, so safe to pre-render and cache).

Wiring, not speech: the list comes from the dialogue (`dialogue.prompts.all_prompts`,
which walks every exercise), and the speech layer only receives the answer as a
function (`PromptCache(allowed=is_fixed_prompt)`), so speech never imports the dialogue.
"""

from __future__ import annotations

import functools
import threading

from voice_coach.dialogue.prompts import all_prompts
from voice_coach.speech.warm import prompt_texts


def fixed_prompts() -> list[str]:
    """Every fixed sentence the coach can say (texts and cacheable `Speak`s)."""
    return [text for text in prompt_texts(all_prompts()) if text]


_walk = {"started": False}
_walked = threading.Event()
"""Set once the list is built (by the background walk or by a caller who waited for it)."""


@functools.cache
def fixed_prompt_set() -> frozenset[str]:
    """Every fixed prompt, whitespace-folded (walks the exercises: see `voice warm`'s timing)."""
    prompts = frozenset(" ".join(text.split()) for text in fixed_prompts())
    _walked.set()
    return prompts


def _walk_in_background() -> None:
    if not _walk["started"]:
        _walk["started"] = True
        threading.Thread(target=fixed_prompt_set, name="fixed-prompts", daemon=True).start()


def is_fixed_prompt(text: str) -> bool:
    """True for a sentence the coach says the same way to everyone (safe to keep on disk).

    Never blocks speech: the list is built in the background on first use, and
    until it is ready nothing is cached (a sentence is then simply rendered).
    """
    if not _walked.is_set():
        _walk_in_background()
        return False
    return " ".join(text.split()) in fixed_prompt_set()
