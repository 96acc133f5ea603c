"""Screenings, for officers (their own organisation's only) and editors (every one, read only).

Records need a token (401 without one). Reads go through `visible_to`, writes through
`editable_by`, so an officer meets exactly the records the pages and the admin show them; another
organisation's record is a 404, as on the pages, so that its existence is not told. A record is
checked by the officer's own entry form (outreach/forms.py): the API refuses what the page
refuses, with the same messages, in English.
"""

import datetime

from django.db import transaction
from django.utils import translation
from django.views.decorators.cache import never_cache
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view

from mediateka.outreach import places, rollup
from mediateka.outreach.access import can_read
from mediateka.outreach.audience import COUNTS
from mediateka.outreach.forms import ScreeningForm
from mediateka.outreach.models import Screening

from .. import outreach_schemas as out
from .. import schemas
from ..language import requested_language
from ..paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, paginate
from .editing import _refused
from .records import (
    NO_READING,
    NOT_FOUND,
    PRIVATE,
    REFUSED,
    UNACCEPTABLE,
    WRITE_REFUSED,
    RecordId,
    editable_ids,
    entry_organisation,
    form_errors,
    given,
    no_recording,
    with_keys,
    writable,
)

router = Router(tags=["outreach"])


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


def _screenings(user):
    return Screening.objects.visible_to(user).select_related("organisation").prefetch_related("films")


def _save_screening(request, screening: Screening | None, data: dict, confirm: bool):
    """Checks `data` with the entry form and saves it, or returns the refusal (422; 409 for a duplicate)."""
    user = request.auth
    with translation.override("en"):
        form = with_keys(
            ScreeningForm(
                {**data, "save_anyway": confirm},
                instance=screening,
                organisation=entry_organisation(user, screening),
            )
        )
        if not form.is_valid():
            return _refused(form_errors(form))
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
        body = _screening_out(saved, editable_ids(Screening, user, [saved]))
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
    editable = editable_ids(Screening, user, data["results"])
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
        return _screening_out(screening, editable_ids(Screening, user, [screening]))


@router.post(
    "/screenings",
    **PRIVATE,
    response={201: out.ScreeningOut, 409: out.Duplicate, **REFUSED, **UNACCEPTABLE},
    summary="Record a screening for the officer's organisation (needs outreach.add_screening)",
    operation_id="screenings_create",
)
def screening_create(request, payload: out.ScreeningIn):
    refusal = no_recording(request.auth, "screening")
    if refusal:
        return Status(403, refusal)
    return _save_screening(request, None, given(payload, partial=False), payload.confirm_duplicate)


@router.patch(
    "/screenings/{id}",
    **PRIVATE,
    response={200: out.ScreeningOut, 409: out.Duplicate, **WRITE_REFUSED},
    summary="Change a screening of the officer's organisation (needs outreach.change_screening)",
    operation_id="screenings_update",
)
def screening_update(request, id: RecordId, payload: out.ScreeningPatch):
    screening, refusal = writable(Screening, request.auth, id, "change")
    if refusal:
        return refusal
    data = _screening_data(screening) | given(payload, partial=True)
    return _save_screening(request, screening, data, payload.confirm_duplicate)


@router.delete(
    "/screenings/{id}",
    **PRIVATE,
    response={204: None, **REFUSED, 404: schemas.Error, 422: schemas.Error},
    summary="Delete a screening of the officer's organisation (needs outreach.delete_screening)",
    operation_id="screenings_delete",
)
def screening_delete(request, id: RecordId):
    screening, refusal = writable(Screening, request.auth, id, "delete")
    if refusal:
        return refusal
    with transaction.atomic(), rollup.deferred():  # the reach it counted in, refreshed once
        screening.delete()
    return Status(204, None)
