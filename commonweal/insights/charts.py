"""Accessible SVG charts drawn on the server: no JavaScript, nothing to load.

A chart is an `<svg role="img">` labelled by its own `<title>` and `<desc>`
(`aria-labelledby`), with every figure also in an HTML table beside it and, when the page
gives one, a CSV link (`insights/_chart.html` shows all three). Series are told apart by
their dash pattern as well as their colour. Any dashboard may use `line_chart` and
`bar_chart` with its own series.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import count

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 56
# Colour-blind safe (Okabe-Ito), each with its own dash so colour is never the only cue.
STYLES = (
    ("#0072b2", ""),
    ("#d55e00", "6 3"),
    ("#009e73", "2 3"),
    ("#cc79a7", "8 3 2 3"),
    ("#e69f00", "1 2"),
    ("#56b4e9", "4 4"),
)
_ids = count(1)


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]


@dataclass
class Chart:
    """What a chart shows, drawn (`svg`) and tabulated (`rows`)."""

    title: str
    description: str
    labels: Sequence[str]
    series: Sequence[Series]
    percent: bool = False
    csv_url: str = ""
    svg: SafeString = field(default=SafeString(""))
    key: str = field(default="")

    @property
    def rows(self) -> list[tuple[str, list[str]]]:
        return [
            (label, [self.format(s.values[i]) for s in self.series])
            for i, label in enumerate(self.labels)
        ]

    def format(self, value: float | None) -> str:
        if value is None:
            return "–"
        if self.percent:
            return f"{value * 100:.0f}%"
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _top(values: list[float], percent: bool) -> float:
    """A round top for the axis, at or above the largest value."""
    largest = max([v for v in values if v is not None] or [0])
    if percent:
        return 1.0 if largest > 0.5 or largest == 0 else math.ceil(largest * 10) / 10
    if largest <= 0:
        return 1
    step = 10 ** math.floor(math.log10(largest))
    return math.ceil(largest / step) * step


def _frame(chart: Chart, top: float) -> list[SafeString]:
    """Grid lines with their values, and the labels under the axis (thinned to fit)."""
    plot_h = HEIGHT - TOP - BOTTOM
    parts = []
    for i in range(5):
        value = top * i / 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#d0d0d0"/>'
                '<text x="{}" y="{}" text-anchor="end" font-size="11">{}</text>',
                LEFT,
                WIDTH - RIGHT,
                f"{y:.1f}",
                f"{y:.1f}",
                LEFT - 4,
                f"{y + 4:.1f}",
                chart.format(value),
            )
        )
    every = max(1, math.ceil(len(chart.labels) / 12))
    for i, label in enumerate(chart.labels):
        if i % every:
            continue
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" text-anchor="end" '
                'transform="rotate(-40 {} {})">{}</text>',
                f"{_x(chart, i):.1f}",
                HEIGHT - BOTTOM + 14,
                f"{_x(chart, i):.1f}",
                HEIGHT - BOTTOM + 14,
                label,
            )
        )
    return parts


def _x(chart: Chart, i: int) -> float:
    plot_w = WIDTH - LEFT - RIGHT
    n = max(len(chart.labels), 1)
    return LEFT + plot_w * (i + 0.5) / n


def _y(value: float, top: float) -> float:
    plot_h = HEIGHT - TOP - BOTTOM
    return TOP + plot_h - plot_h * (value / top if top else 0)


def _svg(chart: Chart, body: list[SafeString]) -> SafeString:
    title_id, desc_id = f"{chart.key}-title", f"{chart.key}-desc"
    legend = format_html_join(
        "",
        '<g transform="translate({},{})"><line x1="0" x2="18" y1="0" y2="0" stroke="{}" '
        'stroke-width="3" stroke-dasharray="{}"/><text x="22" y="4" font-size="11">{}</text></g>',
        (
            (LEFT + (i % 3) * 190, HEIGHT + 8 + (i // 3) * 16, *STYLES[i % len(STYLES)], s.name)
            for i, s in enumerate(chart.series)
        ),
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" '
        'aria-labelledby="{} {}" class="chart"><title id="{}">{}</title><desc id="{}">{}</desc>'
        "{}{}{}</svg>",
        WIDTH,
        HEIGHT + 16 * math.ceil(len(chart.series) / 3) + 4,
        title_id,
        desc_id,
        title_id,
        chart.title,
        desc_id,
        chart.description,
        mark_safe("".join(_frame(chart, _top(_all(chart), chart.percent)))),
        mark_safe("".join(body)),
        legend,
    )


def _all(chart: Chart) -> list[float]:
    return [v for s in chart.series for v in s.values if v is not None]


def line_chart(
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    percent: bool = False,
    csv_url: str = "",
) -> Chart:
    """One line per series over the labels (months, usually); a gap where a value is None."""
    chart = Chart(title, description, labels, series, percent, csv_url, key=f"chart{next(_ids)}")
    top = _top(_all(chart), percent)
    body = []
    for i, s in enumerate(series):
        colour, dash = STYLES[i % len(STYLES)]
        runs, run = [], []
        for j, value in enumerate(s.values):
            if value is None:
                if run:
                    runs.append(run)
                run = []
                continue
            run.append(f"{_x(chart, j):.1f},{_y(value, top):.1f}")
        if run:
            runs.append(run)
        for points in runs:
            body.append(
                format_html(
                    '<polyline fill="none" stroke="{}" stroke-width="2.5" '
                    'stroke-dasharray="{}" points="{}"/>',
                    colour,
                    dash,
                    " ".join(points),
                )
            )
            if len(points) == 1:
                x, y = points[0].split(",")
                body.append(format_html('<circle cx="{}" cy="{}" r="3" fill="{}"/>', x, y, colour))
    chart.svg = _svg(chart, body)
    return chart


def bar_chart(
    title: str,
    description: str,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    percent: bool = False,
    csv_url: str = "",
) -> Chart:
    """Grouped bars: for each label, one bar per series side by side."""
    chart = Chart(title, description, labels, series, percent, csv_url, key=f"chart{next(_ids)}")
    top = _top(_all(chart), percent)
    slot = (WIDTH - LEFT - RIGHT) / max(len(labels), 1)
    width = slot * 0.8 / max(len(series), 1)
    body = []
    for i, s in enumerate(series):
        colour, _dash = STYLES[i % len(STYLES)]
        for j, value in enumerate(s.values):
            if value is None:
                continue
            x = LEFT + slot * j + slot * 0.1 + width * i
            y = _y(value, top)
            body.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#333" '
                    'stroke-width="{}"/>',
                    f"{x:.1f}",
                    f"{y:.1f}",
                    f"{width:.1f}",
                    f"{HEIGHT - BOTTOM - y:.1f}",
                    colour,
                    i % 2,
                )
            )
    chart.svg = _svg(chart, body)
    return chart
