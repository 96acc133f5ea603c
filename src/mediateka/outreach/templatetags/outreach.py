"""Template helpers for the reach pages.

A report's table rows and a chart's marks are written here rather than with template loops: a
month-by-month table has hundreds of cells, and the template engine's per-node cost would be most
of the dashboard's time.
"""

from django import template
from django.utils.formats import get_format, number_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from .. import reports

register = template.Library()


@register.filter
def people(value) -> str:
    """A count with the language's thousands separator: 3,120 · 3 120."""
    return number_format(value or 0, force_grouping=True)


def _grouper():
    separator = get_format("THOUSAND_SEPARATOR")
    return lambda value: f"{value or 0:,}".replace(",", separator)


@register.simple_tag
def report_rows(report) -> str:
    group = _grouper()
    percent = report.measure == "people"
    out = []
    for row in report.rows:
        label = escape(row.label)
        if row.url:
            label = f'<a href="{escape(row.url)}">{label}</a>'
        cells = [escape(group(row.values.get(key, 0))) for key, _label in report.columns]
        if percent:
            cells[-1] += " %"
        out.append(f'<tr><th scope="row">{label}</th><td>{"</td><td>".join(cells)}</td></tr>')
    return mark_safe("\n".join(out))  # noqa: S308 - every piece above is escaped


def _short(label: str) -> str:
    return Truncator(label).chars(52)


@register.simple_tag
def chart_marks(chart) -> str:
    """The chart's bars and labels as SVG elements; coordinates are plain numbers whatever the language."""
    if chart.kind == "bars":
        marks = [
            f'<text x="0" y="{bar.label_y}" class="chart-label">{escape(_short(bar.label))}</text>'
            f'<rect x="0" y="{bar.y}" width="{bar.width}" height="{bar.height}" class="chart-bar"/>'
            f'<text x="{bar.text_x}" y="{bar.text_y}" class="chart-value">{escape(bar.text)}</text>'
            for bar in chart.bars
        ]
    else:
        marks = [f'<text x="0" y="11" class="chart-value">{escape(chart.top_text)}</text>']
        marks += [
            f'<rect x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}" class="chart-bar"/>'
            for bar in chart.bars
        ]
        marks.append(
            f'<line x1="0" y1="{chart.axis_y}" x2="{chart.width}" y2="{chart.axis_y}" class="chart-axis"/>'
        )
        marks += [
            f'<text x="{x}" y="{chart.tick_y}" class="chart-value">{escape(label)}</text>'
            for x, label in chart.ticks
        ]
    return mark_safe("\n".join(marks))  # noqa: S308 - numbers, and text escaped above


@register.simple_tag
def film_reach(film) -> dict:
    return reports.film_reach(film)
