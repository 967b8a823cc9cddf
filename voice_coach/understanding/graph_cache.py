"""Compiled template graphs kept on disk, keyed by the templates' hash (as the matcher index).

Compiling is quick (~0.4 s for every intent) but it needs the templates
parsed from YAML (another ~0.3 s), and a start should cost neither when the
templates have not changed. A graph is stored as JSON (`cache/grammars/
graph-<sha1>.json`, 0600 in a 0700 folder), its name a hash of the template
files, the intents and extra phrases asked for, and FORMAT. A damaged file
is rebuilt; a cache that cannot be written costs time, never the start.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from voice_coach.first_use import SPEECH, preparing
from voice_coach.messages import Arc, WordGraph
from voice_coach.paths import write_private

log = logging.getLogger(__name__)

FORMAT = "2"
"""Bump when the compiler's output changes for the same templates."""
FOLDER = "grammars"


def cached_graph(
    cache_dir: Path,
    templates_key: str,
    names: Sequence[str] | None,
    extra: Sequence[str],
    build: Callable[[], WordGraph],
) -> WordGraph:
    """The graph from the cache when there, else `build()` it and store it."""
    digest = hashlib.sha1(
        json.dumps([FORMAT, templates_key, names, list(extra)]).encode()
    ).hexdigest()
    path = cache_dir / FOLDER / f"graph-{digest}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        arcs: tuple[Arc, ...] = tuple(
            (int(a), int(b), float(p), None if w is None else str(w)) for a, b, p, w in data["arcs"]
        )
        return WordGraph(int(data["start"]), int(data["final"]), arcs)
    except FileNotFoundError:
        pass
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.info("rebuilding the compiled grammar (%s: %s)", path.name, exc)
    preparing(SPEECH)
    graph = build()
    try:
        data = {"start": graph.start, "final": graph.final, "arcs": graph.arcs}
        write_private(path, json.dumps(data))
    except OSError as exc:
        log.info("could not cache the compiled grammar in %s: %s", path.parent, exc)
    return graph
