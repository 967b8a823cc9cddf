"""The progress page: one self-contained HTML file with the journal's charts.

Charts are drawn server-side by pygal (SVG inlined in the page, its optional
tooltip script switched off), so the file needs no network and no JavaScript
to show everything; `journal serve` adds a few lines of script for live
updates and the export and delete buttons. Every figure comes from
`figures.compute`, the module the spoken summary uses too.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import datetime

import pygal
from pygal.style import Style

from voice_coach.journal.figures import Figures, Rating, compute, one_decimal
from voice_coach.journal.records import JournalDump
from voice_coach.number_words import plural

CHART_STYLE = Style(
    background="transparent",
    plot_background="#fbfaf7",
    foreground="#333",
    foreground_strong="#222",
    foreground_subtle="#999",
    colors=("#3f7f8c", "#e0a040", "#7a9e5a", "#8c5a7a", "#5a6e9e"),
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
    title_font_size=18,
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=13,
    legend_font_size=14,
)
WIDTH, HEIGHT = 760, 340

PAGE_CSS = """
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; margin: 0;
       background: #f3f1ec; color: #222; }
main { max-width: 820px; margin: 0 auto; padding: 24px 20px 60px; }
h1 { font-weight: 600; margin: 0 0 4px; }
.lede { color: #555; margin: 0 0 24px; }
section, figure { background: #fff; border-radius: 12px; padding: 16px 20px; margin: 0 0 20px;
       box-shadow: 0 1px 3px rgba(0,0,0,.08); }
figure svg { width: 100%; height: auto; }
.streak { display: flex; gap: 24px; align-items: center; flex-wrap: wrap; }
.days { font-size: 56px; font-weight: 700; color: #3f7f8c; line-height: 1; }
.badge { display: inline-block; padding: 4px 10px; margin: 3px; border-radius: 999px;
       background: #e4efe9; color: #2d5e4a; font-size: 14px; }
.badge.next { background: #f3ead8; color: #7a5a1a; }
blockquote { margin: 0 0 14px; padding: 8px 14px; border-left: 4px solid #3f7f8c;
       background: #f7f7f4; }
blockquote p { margin: 0 0 4px; font-size: 17px; }
blockquote footer { color: #666; font-size: 13px; }
.numbers { display: flex; gap: 28px; flex-wrap: wrap; }
.numbers div { font-size: 14px; color: #555; }
.numbers b { display: block; font-size: 26px; color: #222; }
.actions button { font-size: 16px; padding: 8px 16px; margin-right: 10px; border-radius: 8px;
       border: 1px solid #aaa; background: #fff; cursor: pointer; }
.actions button.danger { border-color: #b44; color: #b44; }
.empty { color: #666; font-style: italic; }
"""


def _chart(kind: type[pygal.graph.graph.Graph], title: str, **options: object) -> pygal.Graph:
    return kind(
        title=title, style=CHART_STYLE, width=WIDTH, height=HEIGHT, js=[],
        disable_xml_declaration=True, print_values=True, explicit_size=False,
        legend_at_bottom=True, **options,
    )


def _figure(chart_id: str, svg: str, caption: str = "") -> str:
    note = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return f'<figure id="{chart_id}" data-chart="{chart_id}">{svg}{note}</figure>'


def _day(at: datetime) -> str:
    return f"{at:%d %b}"


def urge_intensity_chart(figures: Figures) -> str:
    chart = _chart(pygal.Line, "Urge intensity, before and after (0–10)", range=(0, 10),
                   min_scale=5, x_label_rotation=0, show_minor_x_labels=True)
    chart.x_labels = [_day(p.at) for p in figures.urges]
    chart.add("Before", [p.before for p in figures.urges])
    chart.add("After", [p.after for p in figures.urges])
    return str(chart.render(is_unicode=True))


def _counts_chart(kind: type[pygal.graph.graph.Graph], title: str,
                  rows: Sequence[tuple[str, int]], series: str) -> str:
    top = max([count for _, count in rows] + [1])
    step = max(1, -(-top // 8))
    chart = _chart(kind, title, show_legend=False, y_labels=list(range(0, top + step, step)))
    chart.x_labels = [label for label, _ in rows]
    chart.add(series, [count for _, count in rows])
    return str(chart.render(is_unicode=True))


def ratings_chart(mood: Sequence[Rating], sleep: Sequence[Rating]) -> str:
    """Mood and sleep on one time line (each check-in or reflection is one point)."""
    times = sorted({r.at for r in (*mood, *sleep)})
    by_time = {
        name: {r.at: r.value for r in values} for name, values in (("mood", mood), ("sleep", sleep))
    }
    chart = _chart(pygal.Line, "Mood and sleep (0–10)", range=(0, 10), min_scale=5)
    chart.x_labels = [_day(t) for t in times]
    chart.add("Mood", [by_time["mood"].get(t) for t in times])
    chart.add("Sleep", [by_time["sleep"].get(t) for t in times])
    return str(chart.render(is_unicode=True))


def _streak_section(figures: Figures) -> str:
    streak = figures.streak
    if streak.since is None:
        return ('<section id="streak"><h2>Your day count</h2><p class="empty">No start date '
                'set yet. Tell the coach "I want to count my days" to start one.</p></section>')
    badges = "".join(f'<span class="badge">{_days_word(m)}</span>' for m in streak.reached)
    upcoming = (f'<span class="badge next">next: {_days_word(streak.next)}</span>'
                if streak.next else "")
    return (
        '<section id="streak"><h2>Your day count</h2><div class="streak">'
        f'<div><div class="days" data-days="{streak.days}">{streak.days}</div>'
        f"<div>days since {streak.since:%d %B %Y}</div></div>"
        f'<div class="milestones">{badges}{upcoming}</div></div></section>'
    )


def _days_word(days: int) -> str:
    return f"{days} {plural(days, 'day')}"


def _numbers_section(figures: Figures) -> str:
    cells = [
        ("Urges logged", str(len(figures.urges)), "urges"),
        ("Average before", one_decimal(figures.average_before), "average-before"),
        ("Average after", one_decimal(figures.average_after), "average-after"),
        ("Exercises completed", str(figures.completed), "completed"),
        ("Evening reflections", str(figures.reflections), "reflections"),
    ]
    body = "".join(f'<div data-figure="{key}"><b>{html.escape(value)}</b>{label}</div>'
                   for label, value, key in cells)
    return f'<section id="numbers"><div class="numbers">{body}</div></section>'


def _own_words_section(figures: Figures) -> str:
    if not figures.own_words:
        return ""
    quotes = "".join(
        f"<blockquote><p>{html.escape(w.text)}</p><footer>{html.escape(w.exercise)}, "
        f"{w.at:%d %B %Y} — {html.escape(w.question)}</footer></blockquote>"
        for w in figures.own_words
    )
    return f'<section id="own-words"><h2>In your own words</h2>{quotes}</section>'


def body_html(dump: JournalDump, now: datetime) -> str:
    """The page's content (without <html>): what `journal serve` refreshes live."""
    if dump.is_empty:
        return ('<p class="empty">Nothing is recorded yet. Talk to the coach, and your '
                "progress will show here.</p>")
    figures = compute(dump, now)
    parts = [_streak_section(figures), _numbers_section(figures)]
    if figures.urges:
        parts.append(_figure("urge-intensity", urge_intensity_chart(figures)))
        parts.append(_figure("urges-per-week", _counts_chart(
            pygal.Bar, "Urges per week", [(f"{w:%d %b}", n) for w, n in figures.urges_per_week],
            "Urges")))
        parts.append(_figure("urge-triggers", _counts_chart(
            pygal.HorizontalBar, "What set urges off", figures.urges_by_trigger, "Urges")))
        parts.append(_figure("urge-time-of-day", _counts_chart(
            pygal.Bar, "When urges came", figures.urges_by_time_of_day, "Urges")))
    if figures.mood or figures.sleep:
        parts.append(_figure("mood-sleep", ratings_chart(figures.mood, figures.sleep)))
    if figures.exercises:
        parts.append(_figure("exercises", _counts_chart(
            pygal.HorizontalBar, "Exercises completed",
            [(e.title, e.completed) for e in figures.exercises], "Completed")))
    parts.append(_own_words_section(figures))
    if figures.damaged:
        parts.append('<p class="empty">Some entries could not be read: the journal file is '
                     "damaged.</p>")
    return "\n".join(p for p in parts if p)


def render_page(dump: JournalDump, now: datetime, extra_head: str = "",
                actions: str = "") -> str:
    """The whole page. `extra_head`/`actions` are for the live page (script, buttons)."""
    figures = compute(dump, now)
    span = ""
    if figures.first is not None and figures.last is not None:
        span = f"From {figures.first:%d %B %Y} to {figures.last:%d %B %Y}. "
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; img-src data:; script-src 'unsafe-inline'; "
        "connect-src 'self'; form-action 'self'\">"
        f"<title>Your progress — Voice Coach</title><style>{PAGE_CSS}</style>{extra_head}"
        "</head><body><main><h1>Your progress</h1>"
        f'<p class="lede">{span}Made {now:%d %B %Y at %H:%M} from your private journal; '
        "nothing here left this device.</p>"
        f'{actions}<div id="progress">{body_html(dump, now)}</div></main></body></html>\n'
    )
