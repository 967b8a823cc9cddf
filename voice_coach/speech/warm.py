"""Pre-render the fixed prompts into the cache (`voice-coach voice warm`)."""

from __future__ import annotations

import functools
import importlib
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from voice_coach.errors import VoiceCoachError
from voice_coach.messages import Speak
from voice_coach.speech.cache import PromptCache
from voice_coach.speech.output import Synthesizer

log = logging.getLogger(__name__)

PROMPTS_SOURCE = ("voice_coach.dialogue.prompts", "all_prompts")
"""Where the fixed prompts come from: the module and the function that lists them."""


def fixed_prompts(source: tuple[str, str] = PROMPTS_SOURCE) -> list[str]:
    """Every fixed sentence the coach can say, from `voice_coach.dialogue.prompts.all_prompts()`.

    Looked up when called, so this module works before (and without) the exercises.
    The function may return texts or `Speak`s (non-cacheable ones are skipped).
    """
    module_name, function_name = source
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise VoiceCoachError(
            f"Cannot list the coach's prompts: {module_name} failed to import ({exc}). "
            "Pass the sentences with --text instead."
        ) from None
    function = getattr(module, function_name, None)
    if not callable(function):
        raise VoiceCoachError(
            f"Cannot list the coach's prompts: {module_name}.{function_name}() does not exist "
            "in this version. Pass the sentences with --text instead."
        )
    return [text for text in _texts(function()) if text]


@functools.cache
def fixed_prompt_set() -> frozenset[str]:
    """Every fixed prompt, whitespace-folded (walks the exercises: ~0.3 s here, more on a Pi)."""
    try:
        return frozenset(" ".join(text.split()) for text in fixed_prompts())
    except VoiceCoachError as exc:
        log.warning("%s Nothing will be cached.", exc)
        return frozenset()


_walk = {"started": False}
_walked = threading.Event()


def _walk_in_background() -> None:
    if not _walk["started"]:
        _walk["started"] = True

        def walk() -> None:
            fixed_prompt_set()
            _walked.set()

        threading.Thread(target=walk, name="fixed-prompts", daemon=True).start()


def is_fixed_prompt(text: str) -> bool:
    """True for a sentence the coach says the same way to everyone (safe to keep on disk).

    Never blocks speech: the list is built in the background on first use, and
    until it is ready nothing is cached (a sentence is then simply rendered).
    """
    if not _walked.is_set():
        _walk_in_background()
        return False
    return " ".join(text.split()) in fixed_prompt_set()


def _texts(items: Iterable[object]) -> Iterator[str]:
    for item in items:
        if isinstance(item, str):
            yield item.strip()
        elif isinstance(item, Speak):
            if item.cacheable:
                yield item.text.strip()
        else:
            text = getattr(item, "text", None)
            if isinstance(text, str):
                yield text.strip()


@dataclass(frozen=True)
class WarmResult:
    """What `warm()` did."""

    rendered: int
    """Prompts synthesised and stored now."""
    already: int
    """Prompts that were cached before."""


def warm(
    texts: Iterable[str],
    synthesizer: Synthesizer,
    cache: PromptCache,
    pace: float,
    progress: Callable[[int, str], None] | None = None,
) -> WarmResult:
    """Render every text not yet cached at `pace` (duplicates once)."""
    rendered = already = 0
    seen: set[str] = set()
    for text in texts:
        if not text or text in seen:
            continue
        seen.add(text)
        if (text, pace) in cache:
            already += 1
            continue
        chunks = list(synthesizer.synthesize(text, pace))
        if chunks:
            cache.put(text, pace, chunks)
            rendered += 1
        if progress is not None:
            progress(rendered + already, text)
    return WarmResult(rendered, already)
