"""Read a pygal chart back out of a page's DOM: each series' values and the x-axis labels."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser


class _ChartReader(HTMLParser):
    def __init__(self, figure_id: str) -> None:
        super().__init__()
        self.figure_id = figure_id
        self.stack: list[tuple[str, str]] = []
        """(tag, class) of open elements inside the wanted figure."""
        self.inside = 0
        self.series: dict[int, list[str]] = {}
        self.x_labels: list[str] = []
        self.y_labels: list[str] = []
        self.title = ""
        self._text: list[str] | None = None
        self._kind = ""
        self._serie = -1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "figure" and values.get("id") == self.figure_id:
            self.inside = 1
            return
        if not self.inside:
            return
        if tag == "figure":
            self.inside += 1
        css = values.get("class") or ""
        self.stack.append((tag, css))
        classes = " ".join(c for _, c in self.stack)
        match = re.search(r"\bserie-(\d+)\b", css)
        if match:
            self._serie = int(match.group(1))
        if tag == "desc" and css == "value" and "serie-" in classes:
            self._start("value")
        elif tag == "text" and re.search(r"\baxis x\b", classes) and "guides" in classes:
            self._start("x")
        elif tag == "text" and re.search(r"\baxis y\b", classes) and "guides" in classes:
            self._start("y")
        elif tag == "text" and "title" in css.split():
            self._start("title")

    def _start(self, kind: str) -> None:
        self._text, self._kind = [], kind

    def handle_data(self, data: str) -> None:
        if self._text is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if not self.inside:
            return
        if tag == "figure":
            self.inside -= 1
            return
        if self._text is not None and self.stack and self.stack[-1][0] == tag:
            text = "".join(self._text).strip()
            if self._kind == "value":
                self.series.setdefault(self._serie, []).append(text)
            elif self._kind == "x":
                self.x_labels.append(text)
            elif self._kind == "y":
                self.y_labels.append(text)
            else:
                self.title = text
            self._text = None
        while self.stack:
            if self.stack.pop()[0] == tag:
                break


@dataclass(frozen=True)
class Chart:
    title: str
    x_labels: list[str]
    y_labels: list[str]
    series: dict[int, list[str]]
    """Series index → the values it shows, in order."""


def read_chart(dom: str, figure_id: str) -> Chart:
    """The chart drawn in <figure id=figure_id>, as a person reading it would see it."""
    reader = _ChartReader(figure_id)
    reader.feed(dom)
    assert reader.title or reader.series, f"no chart {figure_id!r} on the page"
    return Chart(reader.title, reader.x_labels, reader.y_labels, reader.series)
