"""Screenings, for officers (their own organisation's only) and editors (every one, read only).

Records need a token (401 without one). Reads go through `visible_to`, writes through
`editable_by`, so an officer meets exactly the records the pages and the admin show them; another
organisation's record is a 404, as on the pages, so that its existence is not told. A record is
checked by the officer's own entry form (outreach/forms.py): the API refuses what the page
refuses, with the same messages, in English. The endpoints are made in records.py.
"""

import datetime

from django.db import transaction
from django.utils import translation
from ninja import Field, Schema, Status

from mediateka.outreach import places, rollup
from mediateka.outreach.audience import COUNTS
from mediateka.outreach.forms import ScreeningForm
from mediateka.outreach.models import Screening

from .. import outreach_schemas as out
from .. import schemas
from ..language import requested_language
from .editing import _refused
from .records import RecordKind, editable_ids, entry_organisation, form_errors, record_router, with_keys


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


def _save_screening(request, screening: Screening | None, data: dict, payload):
    """Checks `data` with the entry form and saves it, or returns the refusal (422; 409 for a duplicate)."""
    user = request.auth
    with translation.override("en"):
        form = with_keys(
            ScreeningForm(
                {**data, "save_anyway": payload.confirm_duplicate},
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


def _delete_screening(screening: Screening) -> None:
    with transaction.atomic(), rollup.deferred():  # the reach it counted in, refreshed once
        screening.delete()


router = record_router(
    RecordKind(
        model=Screening,
        filters=ScreeningFilters,
        page=out.ScreeningPage,
        out=out.ScreeningOut,
        new=out.ScreeningIn,
        patch=out.ScreeningPatch,
        readable=_screenings,
        write=_screening_out,
        data=_screening_data,
        save=_save_screening,
        delete=_delete_screening,
        lang_help="en, ru or tg, for the place names.",
        detail_lang=True,
        conflict={409: out.Duplicate},
    )
)
