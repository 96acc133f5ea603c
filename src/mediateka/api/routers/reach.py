"""The public reach: aggregates only, no person, note or draft film named."""

from typing import Literal

from django.urls import reverse
from django.utils import translation
from ninja import Field, Query, Router, Schema, Status

from mediateka.catalogue.models import Film, Theme
from mediateka.mission.models import Project
from mediateka.outreach import places, reports
from mediateka.outreach.audience import AGE_BANDS, COUNTS, MIGRATION, SEXES

from .. import outreach_schemas as out
from .. import schemas
from ..language import requested_language
from ..respond import json_response

router = Router(tags=["outreach"])


Region = Literal[tuple(places.REGIONS)]
# reports.profile's rows: one per audience column of the kind, then the people it leaves unrecorded.
PROFILE_KEYS = {
    "sex": [*SEXES, "not_recorded"],
    "age": [*AGE_BANDS, "not_recorded"],
    "migration": [*MIGRATION, "not_recorded"],
}


class ReachFilters(Schema):
    year: int | None = Field(None, ge=1900, le=2200)
    region: Region | None = Field(None, description="Region key.")
    project: schemas.Key | None = Field(None, description="Project key: the reach of its films only.")


def _figures(values: dict) -> dict[str, int]:
    return {key: values.get(key) or 0 for key in ("screenings", *COUNTS)}


def _row(key: str, label: str, values: dict, web_url: str | None = None) -> dict:
    return {"key": key, "label": label, "web_url": web_url, "figures": _figures(values)}


def _most_reached_first(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda row: (-row["figures"]["attendees"], row["label"]))


# The reports' rows name films, themes and projects by title only; a client of the API needs their
# slugs and keys, so these three are read from the same rollup cells here, each one grouped query.


def _by_film(request, selection: reports.Selection) -> list[dict]:
    # As on the dashboard: public films only, so that a draft's title never reaches the public.
    cells = selection.cells().of_films().filter(film__in=Film.objects.public())
    if selection.project:
        cells = cells.filter(film__project=selection.project)
    rows = list(cells.grouped("film"))
    films = Film.objects.in_bulk([row["film"] for row in rows])
    return _most_reached_first(
        [
            _row(film.slug, film.display_title, row, request.build_absolute_uri(film.get_absolute_url()))
            for row in rows
            for film in [films[row["film"]]]
        ]
    )


def _by_theme(selection: reports.Selection) -> list[dict]:
    rows = list(selection.cells().of_themes().grouped("theme"))
    themes = Theme.objects.in_bulk([row["theme"] for row in rows])
    return _most_reached_first(
        [_row(themes[row["theme"]].key, themes[row["theme"]].name, row) for row in rows]
    )


def _by_project(request, selection: reports.Selection) -> list[dict]:
    rows = list(selection.cells().of_projects().grouped("project"))
    projects = Project.objects.in_bulk([row["project"] for row in rows])
    return _most_reached_first(
        [
            _row(
                project.key,
                project.title,
                row,
                request.build_absolute_uri(reverse("outreach:project", args=[project.key])),
            )
            for row in rows
            for project in [projects[row["project"]]]
        ]
    )


def _profile(kind: str, figures: dict) -> list[dict]:
    report = reports.profile(kind, figures)
    return [
        {"key": key, "label": row.label, **row.values}
        for key, row in zip(PROFILE_KEYS[kind], report.rows, strict=True)
    ]


@router.get(
    "/reach",
    response={200: out.Reach, 304: None, 404: schemas.Error, 422: schemas.Error},
    summary="How many people the films reached: aggregates only, as the public dashboard shows them",
    description=(
        "Sums of the screenings' audiences, overall, by sex, age band and migration status, and per "
        "film, theme, project, region and month; with the broadcasts' estimated audiences. Sample "
        "(demonstration) screenings are included, as on the dashboard, and counted in "
        "`totals.sample_screenings`. No record, facilitator, note or organisation is ever named."
    ),
    operation_id="reach",
)
def reach(
    request,
    filters: Query[ReachFilters],
    lang: str | None = Query(None, description="en, ru or tg; else Accept-Language decides."),
):
    language = requested_language(request, lang)
    year, region, project = filters.year, filters.region, filters.project
    chosen = None
    if project:
        chosen = Project.objects.filter(key=project).first()
        if chosen is None:
            return Status(404, {"detail": f"There is no project {project!r}."})
    selection = reports.Selection(year=year, region=region or "", project=chosen)
    with translation.override(language):
        figures = reports.totals(selection)
        data = {
            "language": language,
            "covers": {"year": year, "region": region, "project": project},
            "totals": figures,
            "broadcasts": reports.broadcast_totals(selection),
            **{f"by_{kind}": _profile(kind, figures) for kind in reports.PROFILES},
            "by_film": _by_film(request, selection),
            # Within one project a theme or project breakdown does not apply (nor on the dashboard).
            "by_theme": None if chosen else _by_theme(selection),
            "by_project": None if chosen else _by_project(request, selection),
            "by_region": [
                _row(row.key, row.label, row.values) for row in reports.reach_by("region", selection).rows
            ],
            "by_month": [
                _row(f"{row.key:%Y-%m}", row.label, row.values)
                for row in reports.reach_by("month", selection).rows
            ],
        }
    # Not kept in the API's server cache: that is keyed by the catalogue's version, which a new
    # screening does not change. Clients and proxies may keep it for a minute, like every public read.
    return json_response(request, out.Reach, data, language=language)
