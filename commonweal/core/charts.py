"""Small accessible SVG charts drawn on the server: no script, no library.

Each chart is an `<svg role="img">` with a `<title>` and a `<desc>` that says the figures in
words, so a screen reader hears what the picture shows; pages print the same figures as a
table beside it. Lengths are in the view box, so the chart scales to any width (360 px too).
"""

from collections.abc import Sequence
from itertools import count

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 600
HEIGHT = 240
MARGIN = 30
_ids = count(1)


def _frame(title: str, desc: str, inner: SafeString) -> SafeString:
    n = next(_ids)
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="chart-t{} chart-d{}"'
        ' preserveAspectRatio="xMidYMid meet"><title id="chart-t{}">{}</title>'
        '<desc id="chart-d{}">{}</desc>{}</svg>',
        WIDTH,
        HEIGHT,
        n,
        n,
        n,
        title,
        n,
        desc,
        inner,
    )


def _describe(labels: Sequence[str], values: Sequence[int]) -> str:
    return "; ".join(f"{label}: {value}" for label, value in zip(labels, values, strict=True))


def bar_chart(title: str, labels: Sequence[str], values: Sequence[int]) -> SafeString:
    """One horizontal bar per label, longest for the largest value."""
    if not values:
        return _frame(title, "—", SafeString(""))
    top = max(max(values), 1)
    row = (HEIGHT - MARGIN) / len(values)
    bars = format_html_join(
        "",
        '<g><rect x="{}" y="{}" width="{}" height="{}" class="chart-bar"></rect>'
        '<text x="4" y="{}" class="chart-label">{} ({})</text></g>',
        (
            (
                0,
                round(i * row + row * 0.55, 1),
                round(WIDTH * value / top, 1),
                round(row * 0.4, 1),
                round(i * row + row * 0.45, 1),
                label,
                value,
            )
            for i, (label, value) in enumerate(zip(labels, values, strict=True))
        ),
    )
    return _frame(title, _describe(labels, values), bars)


def line_chart(title: str, labels: Sequence[str], values: Sequence[int]) -> SafeString:
    """A line through the values in order (time left to right), first and last labelled."""
    if not values:
        return _frame(title, "—", SafeString(""))
    top = max(max(values), 1)
    step = (WIDTH - 2 * MARGIN) / max(len(values) - 1, 1)
    span = HEIGHT - 2 * MARGIN
    points = " ".join(
        f"{round(MARGIN + i * step, 1)},{round(HEIGHT - MARGIN - span * v / top, 1)}"
        for i, v in enumerate(values)
    )
    inner = format_html(
        '<polyline points="{}" class="chart-line" fill="none"></polyline>'
        '<text x="{}" y="{}" class="chart-label">{}</text>'
        '<text x="{}" y="{}" class="chart-label" text-anchor="end">{}</text>'
        '<text x="{}" y="{}" class="chart-label">{}</text>',
        points,
        MARGIN,
        HEIGHT - 8,
        labels[0],
        WIDTH - MARGIN,
        HEIGHT - 8,
        labels[-1],
        MARGIN,
        MARGIN - 10,
        top,
    )
    return _frame(title, _describe(labels, values), inner)
