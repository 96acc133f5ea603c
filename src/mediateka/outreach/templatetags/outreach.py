"""Template helpers for the reach pages.

A report's table rows and a chart's marks are written here rather than with template loops: a
month-by-month table has hundreds of cells, and the template engine's per-node cost would be most
of the dashboard's time.
"""

from django import template
from django.utils.formats import get_format, number_format
from django.utils.html import escape, format_html, format_html_join
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


@register.simple_tag
def chart_marks(chart) -> str:
    """The chart's bars and labels as SVG elements; coordinates are plain numbers whatever the language."""
    if chart.kind == "bars":
        return format_html_join(
            "\n",
            '<text x="0" y="{}" class="chart-label">{}</text><rect x="0" y="{}" width="{}" height="{}" '
            'class="chart-bar"/><text x="{}" y="{}" class="chart-value">{}</text>',
            (
                (
                    bar.label_y,
                    Truncator(bar.label).chars(52),
                    bar.y,
                    bar.width,
                    bar.height,
                    bar.text_x,
                    bar.text_y,
                    bar.text,
                )
                for bar in chart.bars
            ),
        )
    marks = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" class="chart-bar"/>',
        ((bar.x, bar.y, bar.width, bar.height) for bar in chart.bars),
    )
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" class="chart-value">{}</text>',
        ((x, chart.tick_y, label) for x, label in chart.ticks),
    )
    return format_html(
        '<text x="0" y="11" class="chart-value">{}</text>{}'
        '<line x1="0" y1="{}" x2="{}" y2="{}" class="chart-axis"/>{}',
        chart.top_text,
        marks,
        chart.axis_y,
        chart.width,
        chart.axis_y,
        ticks,
    )


@register.simple_tag
def film_reach(film) -> dict:
    return reports.film_reach(film)
