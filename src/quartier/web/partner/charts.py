"""Bar charts as plain SVG geometry, drawn by a template (no JavaScript charting library).

The numbers are always in a table next to the chart; the SVG carries a title and a
description for screen readers. Drawn for its usual size on screen (about 360 px wide), so
its 12-unit text reads as 11 to 12 px: a value axis with three ticks, values over the bars when
they fit, every period on the time axis (empty ones as gaps), and "no data yet" for a series
that is all zero.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

WIDTH = 360
HEIGHT = 200
TOP = 18
BOTTOM = 26
LEFT = 40  # room for the value axis' labels
MAX_VALUE_LABELS = 12  # more bars than this: values only in the table and the bars' tooltips
MAX_PERIOD_LABELS = 8


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str  # the period, on the time axis when `labelled`
    value_text: str
    label_x: float
    labelled: bool
    show_value: bool


@dataclass(frozen=True)
class Tick:
    y: float
    text: str


@dataclass(frozen=True)
class BarChart:
    id: str
    title: str
    description: str
    bars: list[Bar]
    ticks: list[Tick]
    empty: bool
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    baseline: float = HEIGHT - BOTTOM

    @property
    def middle(self) -> tuple[float, float]:
        """Where "no data yet" goes: the plot's centre."""
        return (self.left + self.width) / 2, (TOP + self.baseline) / 2


def _nice_top(highest: float) -> float:
    """The axis' top: the highest value rounded up to 1, 2 or 5 times a power of ten."""
    if highest <= 0:
        return 1
    power = 10.0 ** math.floor(math.log10(highest))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= highest)


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    points: Sequence[tuple[str, float, str]],
    axis_text: Callable[[float], str] = lambda value: f"{value:g}",
) -> BarChart:
    """`points` are (label, value, value as text), left to right, one per period (zero for a
    period without cases); bars scale to a rounded top; `axis_text` words the ticks."""
    top = _nice_top(max((value for _, value, _ in points), default=0))
    plot = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT) / max(len(points), 1)
    width = max(2.0, slot * 0.7)
    every = math.ceil(len(points) / MAX_PERIOD_LABELS) if points else 1
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
                labelled=index % every == 0,
                show_value=len(points) <= MAX_VALUE_LABELS and value > 0,
            )
        )
    ticks = [
        Tick(y=round(TOP + plot * (1 - share), 1), text=axis_text(top * share))
        for share in (0, 0.5, 1)
    ]
    empty = not any(value > 0 for _, value, _ in points)
    return BarChart(
        id=chart_id, title=title, description=description, bars=bars, ticks=ticks, empty=empty
    )
