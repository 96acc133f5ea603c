"""Outreach records for officers (their own organisation's only) and the public reach (aggregates only).

Records need a token (401 without one). Reads go through `visible_to`, writes through
`editable_by`, so an officer meets exactly the records the pages and the admin show them; another
organisation's record is a 404, as on the pages, so that its existence is not told. A record is
checked by the officer's own entry form (outreach/forms.py): the API refuses what the page
refuses, with the same messages, in English.
"""

import datetime
from typing import Annotated, Literal

from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.decorators import decorate_view

from mediateka.catalogue.models import Film, Theme
from mediateka.mission.models import Project
from mediateka.outreach import places, reports, rollup
from mediateka.outreach.access import can_read, can_record
from mediateka.outreach.forms import BroadcastForm, ScreeningForm
from mediateka.outreach.models import (
    AGE_BANDS,
    COUNTS,
    MIGRATION,
    SEXES,
    Broadcast,
    Screening,
    organisation_of,
)

from .. import outreach_schemas as out
from .. import schemas
from ..auth import TokenAuth
from ..language import requested_language
from ..paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, paginate
from ..respond import json_response
from .editing import _refused

router = Router(tags=["outreach"])
PRIVATE = {"auth": TokenAuth(), "tags": ["outreach records"]}

RecordId = Annotated[int, Path(ge=1, le=2**63 - 1)]
REFUSED = {401: schemas.Error, 403: schemas.Error}
# A body that is not JSON is ninja's 400; one of the wrong shape, or that the entry form refuses, a 422.
UNACCEPTABLE = {400: schemas.Error, 422: schemas.Error}
WRITE_REFUSED = {**REFUSED, 404: schemas.Error, **UNACCEPTABLE}
NO_READING = {"detail": "Your account may not read outreach records."}
NOT_FOUND = {"detail": "Not Found"}  # the same answer as for a record that does not exist


def _no_recording(user, model_name: str) -> dict | None:
    """Why this account may not record, or None if it may."""
    if can_record(user, model_name):
        return None
    if not user.has_perm(f"outreach.add_{model_name}"):
        return {"detail": f"Your account may not record {model_name}s."}
    return {"detail": "Your account is not linked to an organisation, so there is nobody to record for."}


def _writable(model, user, pk: int, action: str):
    """The record if this account may `action` ("change" or "delete") it, else the refusal to return."""
    model_name = model._meta.model_name
    record = model.objects.editable_by(user).filter(pk=pk).first()
    if record is not None and user.has_perm(f"outreach.{action}_{model_name}"):
        return record, None
    if model.objects.visible_to(user).filter(pk=pk).exists():
        # They can read it already, so refusing with 403 tells them nothing new.
        return None, Status(403, {"detail": f"Your account may read this {model_name} but not {action} it."})
    return None, Status(404, NOT_FOUND)


def _entry_organisation(user, record=None):
    """As on the pages: an officer's records are their organisation's; an administrator chooses."""
    if user.is_superuser:
        return None
    return record.organisation if record is not None else organisation_of(user)


def _form_errors(form) -> dict[str, list[str]]:
    return {field: [str(message) for message in messages] for field, messages in form.errors.items()}


def _with_keys(form):
    # The API names organisations and films by key and slug, as everywhere else; the choices stay the
    # form's own (any organisation for an administrator; public films, and those the record names).
    if "organisation" in form.fields:
        form.fields["organisation"].to_field_name = "key"
    if "film" in form.fields:
        form.fields["film"].to_field_name = "slug"
    return form


def _given(payload, *, partial: bool) -> dict:
    """The form data a payload gives: every field for a new record, those sent for a change."""
    data = payload.model_dump(
        include=payload.model_fields_set if partial else None, exclude={"confirm_duplicate"}
    )
    if data.get("organisation") is None:  # not chosen: the form's rule decides (see _entry_organisation)
        data.pop("organisation", None)
    return data


class ScreeningFilters(Schema):
    date_from: datetime.date | None = Field(None, description="On or after this day.")
    date_to: datetime.date | None = Field(None, description="On or before this day.")
    district: schemas.Key | None = Field(None, description="District or city key.")
    region: schemas.Key | None = Field(None, description="Region key.")

    def apply(self, screenings):
        if self.date_from:
            screenings = screenings.filter(date__gte=self.date_from)
        if self.date_to:
            screenings = screenings.filter(date__lte=self.date_to)
        if self.district:
            screenings = screenings.filter(district=self.district)
        if self.region:
            screenings = screenings.filter(region=self.region)
        return screenings


class BroadcastFilters(Schema):
    date_from: datetime.date | None = Field(None, description="Aired on or after this day.")
    date_to: datetime.date | None = Field(None, description="Aired on or before this day.")

    def apply(self, broadcasts):
        if self.date_from:
            broadcasts = broadcasts.filter(aired_at__date__gte=self.date_from)
        if self.date_to:
            broadcasts = broadcasts.filter(aired_at__date__lte=self.date_to)
        return broadcasts


# ---------------------------------------------------------------- screenings


def _screening_data(screening: Screening) -> dict:
    """The form data of a saved screening, which a PATCH then overlays."""
    return {
        "organisation": screening.organisation.key,
        "date": screening.date,
        "district": screening.district,
        "locality": screening.locality,
        "venue_kind": screening.venue_kind,
        "films": [film.slug for film in screening.films.all()],
        "facilitator": screening.facilitator,
        **{name: getattr(screening, name) for name in COUNTS},
        "notes": screening.notes,
    }


def _screening_out(screening: Screening, editable: set[int]) -> dict:
    return {
        "id": screening.pk,
        "organisation": screening.organisation.key,
        "date": screening.date,
        "region": screening.region,
        "region_name": places.region_name(screening.region),
        "district": screening.district,
        "district_name": places.district_name(screening.district),
        "locality": screening.locality,
        "venue_kind": screening.venue_kind,
        "films": [film.slug for film in screening.films.all()],
        "facilitator": screening.facilitator,
        **{name: getattr(screening, name) for name in COUNTS},
        "notes": screening.notes,
        "is_sample": screening.is_sample,
        "editable": screening.pk in editable,
        "created_at": screening.created_at,
        "updated_at": screening.updated_at,
    }


def _editable(model, user, records) -> set[int]:
    return set(
        model.objects.editable_by(user).filter(pk__in=[r.pk for r in records]).values_list("pk", flat=True)
    )


def _screenings(user):
    return Screening.objects.visible_to(user).select_related("organisation").prefetch_related("films")


def _save_screening(request, screening: Screening | None, data: dict, confirm: bool):
    """Checks `data` with the entry form and saves it, or returns the refusal (422; 409 for a duplicate)."""
    user = request.auth
    with translation.override("en"):
        form = _with_keys(
            ScreeningForm(
                {**data, "save_anyway": confirm},
                instance=screening,
                organisation=_entry_organisation(user, screening),
            )
        )
        if not form.is_valid():
            return _refused(_form_errors(form))
    if form.needs_confirmation:
        named = list(form.duplicates.visible_to(user).values_list("pk", flat=True))
        return Status(
            409,
            {
                "detail": "A screening of the same film at the same place on the same day is already "
                'recorded. If this is a different screening, send it again with "confirm_duplicate": true.',
                "duplicates": named,
            },
        )
    # As on the page: the screening and its films are saved together and the reach refreshed once.
    with transaction.atomic(), rollup.deferred():
        saved = form.save(commit=False)
        if saved.pk is None:
            saved.created_by = user
        saved.save()
        form.save_m2m()
    # Re-read with its films as saved; not through visible_to, which an account may lack the right to.
    saved = Screening.objects.select_related("organisation").prefetch_related("films").get(pk=saved.pk)
    with translation.override(requested_language(request)):
        body = _screening_out(saved, _editable(Screening, user, [saved]))
    return Status(201 if screening is None else 200, body)


@router.get(
    "/screenings",
    **PRIVATE,
    response={200: out.ScreeningPage, **REFUSED, 422: schemas.Error},
    summary="Screenings this account may read: an officer's organisation's, or every one for an editor",
    operation_id="screenings_list",
)
@decorate_view(never_cache)
def screening_list(
    request,
    filters: Query[ScreeningFilters],
    page: int = Query(1, ge=1, le=1_000_000),
    page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
    lang: str | None = Query(None, description="en, ru or tg, for the place names."),
):
    user = request.auth
    if not can_read(user):
        return Status(403, NO_READING)
    rows = filters.apply(_screenings(user))
    language = requested_language(request, lang)
    data = paginate(request, rows, rows.count(), page, page_size)
    editable = _editable(Screening, user, data["results"])
    with translation.override(language):
        data["results"] = [_screening_out(s, editable) for s in data["results"]]
    return {**data, "language": language}


@router.get(
    "/screenings/{id}",
    **PRIVATE,
    response={200: out.ScreeningOut, 404: schemas.Error, **REFUSED, 422: schemas.Error},
    summary="One screening this account may read",
    operation_id="screenings_detail",
)
@decorate_view(never_cache)
def screening_detail(request, id: RecordId, lang: str | None = None):
    user = request.auth
    if not can_read(user):
        return Status(403, NO_READING)
    screening = _screenings(user).filter(pk=id).first()
    if screening is None:
        return Status(404, NOT_FOUND)
    with translation.override(requested_language(request, lang)):
        return _screening_out(screening, _editable(Screening, user, [screening]))


@router.post(
    "/screenings",
    **PRIVATE,
    response={201: out.ScreeningOut, 409: out.Duplicate, **REFUSED, **UNACCEPTABLE},
    summary="Record a screening for the officer's organisation (needs outreach.add_screening)",
    operation_id="screenings_create",
)
def screening_create(request, payload: out.ScreeningIn):
    refusal = _no_recording(request.auth, "screening")
    if refusal:
        return Status(403, refusal)
    return _save_screening(request, None, _given(payload, partial=False), payload.confirm_duplicate)


@router.patch(
    "/screenings/{id}",
    **PRIVATE,
    response={200: out.ScreeningOut, 409: out.Duplicate, **WRITE_REFUSED},
    summary="Change a screening of the officer's organisation (needs outreach.change_screening)",
    operation_id="screenings_update",
)
def screening_update(request, id: RecordId, payload: out.ScreeningPatch):
    screening, refusal = _writable(Screening, request.auth, id, "change")
    if refusal:
        return refusal
    data = _screening_data(screening) | _given(payload, partial=True)
    return _save_screening(request, screening, data, payload.confirm_duplicate)


@router.delete(
    "/screenings/{id}",
    **PRIVATE,
    response={204: None, **REFUSED, 404: schemas.Error, 422: schemas.Error},
    summary="Delete a screening of the officer's organisation (needs outreach.delete_screening)",
    operation_id="screenings_delete",
)
def screening_delete(request, id: RecordId):
    screening, refusal = _writable(Screening, request.auth, id, "delete")
    if refusal:
        return refusal
    with transaction.atomic(), rollup.deferred():  # the reach it counted in, refreshed once
        screening.delete()
    return Status(204, None)


# ---------------------------------------------------------------- broadcasts


def _broadcast_data(broadcast: Broadcast) -> dict:
    return {
        "organisation": broadcast.organisation.key,
        "channel": broadcast.channel,
        "aired_at": broadcast.aired_at,
        "film": broadcast.film.slug,
        "estimated_audience": broadcast.estimated_audience,
        "estimate_source": broadcast.estimate_source,
    }


def _broadcast_out(broadcast: Broadcast, editable: set[int]) -> dict:
    return {
        "id": broadcast.pk,
        **_broadcast_data(broadcast),
        "is_sample": broadcast.is_sample,
        "editable": broadcast.pk in editable,
        "created_at": broadcast.created_at,
        "updated_at": broadcast.updated_at,
    }


def _broadcasts(user):
    return Broadcast.objects.visible_to(user).select_related("organisation", "film")


def _save_broadcast(request, broadcast: Broadcast | None, data: dict):
    """Checks `data` with the entry form and saves it, or returns the refusal (422)."""
    user = request.auth
    with translation.override("en"):
        form = _with_keys(
            BroadcastForm(data, instance=broadcast, organisation=_entry_organisation(user, broadcast))
        )
        if not form.is_valid():
            return _refused(_form_errors(form))
    saved = form.save(commit=False)
    if saved.pk is None:
        saved.created_by = user
    saved.save()
    return Status(
        201 if broadcast is None else 200, _broadcast_out(saved, _editable(Broadcast, user, [saved]))
    )


@router.get(
    "/broadcasts",
    **PRIVATE,
    response={200: out.BroadcastPage, **REFUSED, 422: schemas.Error},
    summary="Broadcasts this account may read: an officer's organisation's, or every one for an editor",
    operation_id="broadcasts_list",
)
@decorate_view(never_cache)
def broadcast_list(
    request,
    filters: Query[BroadcastFilters],
    page: int = Query(1, ge=1, le=1_000_000),
    page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
    lang: str | None = Query(None, description="en, ru or tg."),
):
    user = request.auth
    if not can_read(user):
        return Status(403, NO_READING)
    rows = filters.apply(_broadcasts(user))
    data = paginate(request, rows, rows.count(), page, page_size)
    editable = _editable(Broadcast, user, data["results"])
    data["results"] = [_broadcast_out(b, editable) for b in data["results"]]
    return {**data, "language": requested_language(request, lang)}


@router.get(
    "/broadcasts/{id}",
    **PRIVATE,
    response={200: out.BroadcastOut, 404: schemas.Error, **REFUSED, 422: schemas.Error},
    summary="One broadcast this account may read",
    operation_id="broadcasts_detail",
)
@decorate_view(never_cache)
def broadcast_detail(request, id: RecordId):
    user = request.auth
    if not can_read(user):
        return Status(403, NO_READING)
    broadcast = _broadcasts(user).filter(pk=id).first()
    if broadcast is None:
        return Status(404, NOT_FOUND)
    return _broadcast_out(broadcast, _editable(Broadcast, user, [broadcast]))


@router.post(
    "/broadcasts",
    **PRIVATE,
    response={201: out.BroadcastOut, **REFUSED, **UNACCEPTABLE},
    summary="Record a broadcast for the officer's organisation (needs outreach.add_broadcast)",
    operation_id="broadcasts_create",
)
def broadcast_create(request, payload: out.BroadcastIn):
    refusal = _no_recording(request.auth, "broadcast")
    if refusal:
        return Status(403, refusal)
    return _save_broadcast(request, None, _given(payload, partial=False))


@router.patch(
    "/broadcasts/{id}",
    **PRIVATE,
    response={200: out.BroadcastOut, **WRITE_REFUSED},
    summary="Change a broadcast of the officer's organisation (needs outreach.change_broadcast)",
    operation_id="broadcasts_update",
)
def broadcast_update(request, id: RecordId, payload: out.BroadcastPatch):
    broadcast, refusal = _writable(Broadcast, request.auth, id, "change")
    if refusal:
        return refusal
    return _save_broadcast(request, broadcast, _broadcast_data(broadcast) | _given(payload, partial=True))


@router.delete(
    "/broadcasts/{id}",
    **PRIVATE,
    response={204: None, **REFUSED, 404: schemas.Error, 422: schemas.Error},
    summary="Delete a broadcast of the officer's organisation (needs outreach.delete_broadcast)",
    operation_id="broadcasts_delete",
)
def broadcast_delete(request, id: RecordId):
    broadcast, refusal = _writable(Broadcast, request.auth, id, "delete")
    if refusal:
        return refusal
    broadcast.delete()
    return Status(204, None)


# ---------------------------------------------------------------- public reach

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
