"""Bar charts as plain SVG geometry, drawn by a template (no JavaScript charting library).

The numbers are always in a table next to the chart; the SVG carries a title and a
description for screen readers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640
HEIGHT = 220
TOP = 16
BOTTOM = 36
LEFT = 8


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value_text: str
    label_x: float


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    bars: list[Bar]
    width: int = WIDTH
    height: int = HEIGHT
    baseline: float = HEIGHT - BOTTOM


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    points: Sequence[tuple[str, float, str]],
) -> BarChart:
    """`points` are (label, value, value as text), left to right; bars scale to the highest."""
    top = max((value for _, value, _ in points), default=0) or 1
    slot = (WIDTH - LEFT) / max(len(points), 1)
    width = max(4.0, slot * 0.7)
    plot = HEIGHT - TOP - BOTTOM
    bars = []
    for index, (label, value, text) in enumerate(points):
        height = plot * max(value, 0) / top
        x = LEFT + index * slot + (slot - width) / 2
        bars.append(
            Bar(
                x=round(x, 1),
                y=round(TOP + plot - height, 1),
                width=round(width, 1),
                height=round(height, 1),
                label=label,
                value_text=text,
                label_x=round(x + width / 2, 1),
            )
        )
    return BarChart(id=chart_id, title=title, description=description, bars=bars)
