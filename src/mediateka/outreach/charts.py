"""Charts drawn on the server as SVG: geometry here, markup in outreach/_chart.html.

Bars are labelled above, not beside, so that a chart 360 units wide reads on a phone without
shrinking the text; the table under each chart carries the exact figures for everyone else.
"""

from dataclasses import dataclass, field

from django.utils.formats import number_format

from .reports import Report

WIDTH = 360
LABEL_HEIGHT = 16
BAR_HEIGHT = 14
GAP = 8
COLUMN_AREA = 150


@dataclass
class Bar:
    label: str
    value: int
    text: str
    x: float
    y: float
    width: float
    height: float
    label_y: float = 0
    text_x: float = 0
    text_y: float = 0


@dataclass
class Chart:
    id: str
    title: str
    kind: str  # "bars" or "columns"
    width: int
    height: int
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, str]] = field(default_factory=list)  # (x, label) under columns
    top_text: str = ""
    axis_y: float = 0
    tick_y: float = 0

    @property
    def empty(self) -> bool:
        return not self.bars


def _text(value: int) -> str:
    return number_format(value, force_grouping=True)


def bars(report: Report, chart_id: str) -> Chart:
    rows = report.rows
    top = max((row.values.get(report.measure, 0) for row in rows), default=0) or 1
    step = LABEL_HEIGHT + BAR_HEIGHT + GAP
    chart = Chart(chart_id, report.title, "bars", WIDTH, max(step * len(rows), step))
    for index, row in enumerate(rows):
        value = row.values.get(report.measure, 0)
        y = index * step
        width = max(value / top * (WIDTH - 70), 1 if value else 0)
        chart.bars.append(
            Bar(
                label=row.label,
                value=value,
                text=_text(value),
                x=0,
                y=y + LABEL_HEIGHT,
                width=round(width, 1),
                height=BAR_HEIGHT,
                label_y=y + LABEL_HEIGHT - 4,
                text_x=round(width + 4, 1),
                text_y=y + LABEL_HEIGHT + BAR_HEIGHT - 3,
            )
        )
    return chart


def columns(report: Report, chart_id: str, tick_every=None) -> Chart:
    """A time series: one column per row, a tick where `tick_every(row_index)` names one."""
    rows = report.rows
    top = max((row.values.get(report.measure, 0) for row in rows), default=0) or 1
    chart = Chart(chart_id, report.title, "columns", WIDTH, COLUMN_AREA + 36)
    slot = WIDTH / max(len(rows), 1)
    for index, row in enumerate(rows):
        value = row.values.get(report.measure, 0)
        height = round(value / top * COLUMN_AREA, 1)
        x = round(index * slot, 1)
        chart.bars.append(
            Bar(
                row.label,
                value,
                _text(value),
                x,
                16 + COLUMN_AREA - height,
                round(max(slot - 1, 1), 1),
                height,
            )
        )
        tick = tick_every(index) if tick_every else None
        if tick:
            chart.ticks.append((x, tick))
    chart.axis_y = 16 + COLUMN_AREA
    chart.tick_y = 16 + COLUMN_AREA + 16
    chart.top_text = _text(top)
    return chart
