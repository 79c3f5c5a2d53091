"""Charts as inline SVG, drawn on the server with pygal; no JavaScript.

The page's Content-Security-Policy allows styles and scripts from the site only, so the SVG
carries neither: pygal's ``<script>``, its ``<style>`` and its ``style`` attributes are taken
out, and the site's stylesheet ``reports/charts.css`` styles pygal's classes instead. The
colours are the Okabe-Ito palette, which keeps series apart for colour-blind readers; the svg
is ``role="img"`` and labelled by the chart's caption, and its data stand in a table beside it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from typing import Any

import pygal
from django.core.cache import cache
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from pygal.style import Style

OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#000000",  # black
    "#F0E442",  # yellow (last: weak on white)
)

STYLE = Style(
    colors=OKABE_ITO,
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1a1a1a",
    foreground_strong="#000000",
    foreground_subtle="#4d4d4d",
    font_family="inherit",
    opacity="1",
    opacity_hover="1",
    transition="0ms",
)

_STRIP = (
    re.compile(r"<script\b.*?</script>", re.S),
    re.compile(r"<style\b.*?</style>", re.S),
    re.compile(r"<!--.*?-->", re.S),
    re.compile(r'\sstyle="[^"]*"'),
)
_TOOLTIP = re.compile(r'<g class="tooltip".*?</g>\s*</g>', re.S)
_ID = re.compile(r'id="chart-[0-9a-f-]+"')


def _config(title: str, **extra: Any) -> dict[str, Any]:
    return {
        "js": [],
        "disable_xml_declaration": True,
        "style": STYLE,
        "title": title,
        "width": 800,
        "height": 360,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": 3,
        "truncate_legend": -1,
        "show_y_guides": True,
        "print_values": False,
        "no_data_text": "–",
        **extra,
    }


def render(chart: Any, *, chart_id: str, caption_id: str) -> SafeString:
    """The chart as inline SVG without script or style, labelled by the caption's id."""
    svg = chart.render(is_unicode=True)
    for pattern in _STRIP:
        svg = pattern.sub("", svg)
    svg = _TOOLTIP.sub("</g>", svg)
    svg = _ID.sub(f'id="{chart_id}"', svg, count=1)
    svg = svg.replace(
        "<svg ",
        f'<svg role="img" aria-labelledby="{caption_id}" focusable="false" ',
        1,
    )
    return mark_safe(svg)  # noqa: S308 - pygal escapes the labels and values it is given


CACHE_SECONDS = 24 * 3600
LINE_DOTS_UP_TO = 20  # points per series; beyond, lines only and every n-th label


def _cached(kind: str, draw: Callable[[], SafeString], *parts: object) -> SafeString:
    """Drawing rebuilds pygal's whole tree: the same data in the same language are drawn once
    (the figures change at night, the key with them)."""
    digest = hashlib.sha256(repr((kind, get_language(), parts)).encode()).hexdigest()
    key = f"reports:chart:{digest}"
    found = cache.get(key)
    if found is None:
        found = str(draw())
        cache.set(key, found, CACHE_SECONDS)
    return mark_safe(found)  # noqa: S308 - drawn by pygal above, from escaped labels


def bar(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    chart_id: str,
    stacked: bool = False,
    horizontal: bool = False,
) -> SafeString:
    def draw() -> SafeString:
        kind = pygal.StackedBar if stacked else pygal.HorizontalBar if horizontal else pygal.Bar
        chart = kind(**_config(title, x_label_rotation=0 if horizontal else 30))
        chart.x_labels = list(labels)
        for name, values in series:
            chart.add(name, list(values))
        return render(chart, chart_id=chart_id, caption_id=f"{chart_id}-caption")

    return _cached("bar", draw, title, list(labels), list(series), chart_id, stacked, horizontal)


def line(
    *,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    chart_id: str,
) -> SafeString:
    def draw() -> SafeString:
        chart = pygal.Line(
            **_config(
                title,
                x_label_rotation=30,
                allow_interruptions=True,
                show_dots=len(labels) <= LINE_DOTS_UP_TO,
                show_minor_x_labels=len(labels) <= LINE_DOTS_UP_TO,
                x_labels_major_every=max(len(labels) // 12, 1),
            )
        )
        chart.x_labels = list(labels)
        for name, values in series:
            chart.add(name, list(values))
        return render(chart, chart_id=chart_id, caption_id=f"{chart_id}-caption")

    return _cached("line", draw, title, list(labels), list(series), chart_id)
