"""Pre-render the fixed prompts into the cache (`voice-coach voice warm`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from voice_coach.messages import Speak
from voice_coach.speech.cache import PromptCache
from voice_coach.speech.output import Synthesizer


def prompt_texts(items: Iterable[object]) -> Iterator[str]:
    """The cacheable texts among strings and `Speak`s (non-cacheable ones are skipped)."""
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
