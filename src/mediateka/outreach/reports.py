"""Reach reports as plain data, read from the monthly rollup: one aggregate query per report.

The same Report object feeds the page (chart and table), the CSV and XLSX exports and the PDF,
so what a donor downloads is what the page shows. Only aggregates leave this module: no report
has a facilitator, a note or an organisation's individual record in it.
"""

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mediateka.catalogue.models import Film, Theme
from mediateka.mission.models import Project

from . import places
from .audience import AGE_BANDS, AUDIENCE, COUNTS, MIGRATION, SEXES
from .models import Broadcast, MonthlyReach
from .rollup import next_month
from .saves import saved_count

DIMENSIONS = {
    "film": gettext_lazy("Film"),
    "theme": gettext_lazy("Theme"),
    "project": gettext_lazy("Project"),
    "region": gettext_lazy("Region"),
    "month": gettext_lazy("Month"),
}
PROFILES = ("sex", "age", "migration")
# One screening may show several films, of several themes and projects: its people count once in the
# totals but once per row in these reports, so their rows add up to more than the people reached.
OVERLAPPING = ("film", "theme", "project")


@dataclass
class Row:
    label: str
    values: dict[str, int]
    url: str = ""
    key: object = None  # what the row is of: a film's id, a region's key, a month's first day


@dataclass
class Report:
    key: str
    title: str
    dimension: str
    columns: list[tuple[str, str]]  # (value key, label)
    rows: list[Row] = field(default_factory=list)
    # The column the chart draws; the table shows them all.
    measure: str = "attendees"

    @property
    def measure_label(self) -> str:
        return dict(self.columns)[self.measure]

    def as_table(self) -> tuple[list[str], list[list]]:
        """Header and rows for the exports."""
        header = [self.dimension, *(label for _key, label in self.columns)]
        return header, [
            [row.label, *(row.values.get(key, 0) for key, _label in self.columns)] for row in self.rows
        ]


@dataclass
class Selection:
    """What a report covers: a year, a region and a project, each optional."""

    year: int | None = None
    region: str = ""
    project: Project | None = None

    def cells(self, queryset=None):
        cells = queryset if queryset is not None else MonthlyReach.objects.all()
        if self.year:
            cells = cells.in_period(datetime.date(self.year, 1, 1), datetime.date(self.year, 12, 1))
        if self.region:
            cells = cells.filter(region=self.region)
        return cells

    def audience_cells(self):
        """Cells that count each screening once: of the project, or of every screening."""
        if self.project:
            return self.cells().filter(project=self.project)
        return self.cells().overall()

    def broadcasts(self):
        found = Broadcast.objects.filter(film__in=Film.objects.public())
        if self.year:
            found = found.filter(aired_at__year=self.year)
        if self.project:
            found = found.filter(film__project=self.project)
        return found


def reach_columns() -> list[tuple[str, str]]:
    return [("screenings", _("Screenings")), *((name, str(label)) for name, label in AUDIENCE)]


def _values(row: dict) -> dict[str, int]:
    return {key: row.get(key) or 0 for key in ("screenings", *COUNTS)}


def totals(selection: Selection) -> dict[str, int]:
    found = {key: value or 0 for key, value in selection.audience_cells().totals().items()}
    found["migration_total"] = sum(found[name] for name in MIGRATION)
    return found


def broadcast_totals(selection: Selection) -> dict[str, int]:
    found = selection.broadcasts().totals()
    return {"broadcasts": found["broadcasts"] or 0, "audience": found["audience"] or 0}


def reach_by(by: str, selection: Selection) -> Report:
    report = Report(
        key=by,
        title=_("Reach by %(dimension)s") % {"dimension": str(DIMENSIONS[by]).lower()},
        dimension=str(DIMENSIONS[by]),
        columns=reach_columns(),
    )
    if by == "film":
        cells = selection.cells().of_films().filter(film__in=Film.objects.public())
        if selection.project:
            cells = cells.filter(film__project=selection.project)
        rows = cells.grouped("film")
        films = Film.objects.in_bulk([r["film"] for r in rows])
        report.rows = [
            Row(films[r["film"]].display_title, _values(r), films[r["film"]].get_absolute_url()) for r in rows
        ]
    elif by == "theme":
        rows = selection.cells().of_themes().grouped("theme")
        themes = Theme.objects.in_bulk([r["theme"] for r in rows])
        report.rows = [Row(themes[r["theme"]].name, _values(r)) for r in rows]
    elif by == "project":
        rows = selection.cells().of_projects().grouped("project")
        projects = Project.objects.in_bulk([r["project"] for r in rows])
        report.rows = [
            Row(projects[r["project"]].title, _values(r), _project_url(projects[r["project"]])) for r in rows
        ]
    elif by == "region":
        order = list(places.REGIONS)
        rows = sorted(selection.audience_cells().grouped("region"), key=lambda r: order.index(r["region"]))
        report.rows = [Row(places.region_name(r["region"]), _values(r), key=r["region"]) for r in rows]
        return report  # in the order of the place reference, not alphabetical
    elif by == "month":
        found = {r["month"]: _values(r) for r in selection.audience_cells().grouped("month")}
        # Every month from the first to the last, so that the columns of the chart are evenly timed.
        month, last = min(found, default=None), max(found, default=None)
        while month and month <= last:
            report.rows.append(
                Row(date_format(month, "YEAR_MONTH_FORMAT"), found.get(month, _values({})), key=month)
            )
            month = next_month(month)
        return report
    else:
        raise ValueError(by)
    report.rows.sort(key=lambda row: (-row.values["attendees"], row.label))
    return report


def _project_url(project: Project) -> str:
    return reverse("outreach:project", args=[project.key])


def profile(kind: str, figures: dict[str, int]) -> Report:
    """The audience by sex, age band or migration status, from the totals already read."""
    labels = dict(AUDIENCE)
    names = {"sex": SEXES, "age": AGE_BANDS, "migration": MIGRATION}[kind]
    titles = {
        "sex": _("People reached by sex"),
        "age": _("People reached by age"),
        "migration": _("People reached by migration status"),
    }
    report = Report(
        key=kind,
        title=titles[kind],
        dimension={"sex": _("Sex"), "age": _("Age"), "migration": _("Migration status")}[kind],
        columns=[("people", _("People")), ("percent", _("Per cent"))],
        measure="people",
    )
    total = figures.get("attendees") or 0
    counted = 0
    for name in names:
        people = figures.get(name) or 0
        counted += people
        report.rows.append(Row(str(labels[name]), {"people": people, "percent": _percent(people, total)}))
    rest = max(total - counted, 0)
    other = _("Not recorded") if kind != "migration" else _("Others and not recorded")
    report.rows.append(Row(other, {"people": rest, "percent": _percent(rest, total)}))
    return report


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def named(by: str, selection: Selection) -> Report:
    """Any report by its name, as the export URLs give it."""
    if by in PROFILES:
        return profile(by, totals(selection))
    return reach_by(by, selection)


def years() -> list[int]:
    months = MonthlyReach.objects.overall().dates("month", "year", order="DESC")
    return [month.year for month in months]


def film_reach(film: Film) -> dict[str, int]:
    """The film page's figures: its screenings and people, its broadcasts, its saves for offline."""
    found = MonthlyReach.objects.of_films().filter(film=film).totals()
    aired = Broadcast.objects.filter(film=film).totals()
    return {
        "screenings": found["screenings"] or 0,
        "people": found["attendees"] or 0,
        "sample_screenings": found["sample_screenings"] or 0,
        "broadcasts": aired["broadcasts"] or 0,
        "broadcast_audience": aired["audience"] or 0,
        "saved": saved_count(film),
    }


def films_of_project(project: Project, selection: Selection) -> Report:
    """Every public film made under the project, with its reach: none reached is a row of zeros."""
    report = reach_by("film", selection)
    report.title = _("Films made under the project and their reach")
    shown = {row.url for row in report.rows}
    for film in Film.objects.listed().filter(project=project).order_by("title"):
        if film.get_absolute_url() not in shown:
            report.rows.append(Row(film.display_title, _values({}), film.get_absolute_url()))
    return report
