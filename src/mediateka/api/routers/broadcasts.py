"""Broadcasts of films on TV and radio, recorded by officers; read and checked like screenings
(see screenings.py)."""

import datetime

from django.utils import translation
from django.views.decorators.cache import never_cache
from ninja import Field, Query, Router, Schema, Status
from ninja.decorators import decorate_view

from mediateka.outreach.access import can_read
from mediateka.outreach.forms import BroadcastForm
from mediateka.outreach.models import Broadcast

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


class BroadcastFilters(Schema):
    date_from: datetime.date | None = Field(None, description="Aired on or after this day.")
    date_to: datetime.date | None = Field(None, description="Aired on or before this day.")

    def apply(self, broadcasts):
        if self.date_from:
            broadcasts = broadcasts.filter(aired_at__date__gte=self.date_from)
        if self.date_to:
            broadcasts = broadcasts.filter(aired_at__date__lte=self.date_to)
        return broadcasts


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
        form = with_keys(
            BroadcastForm(data, instance=broadcast, organisation=entry_organisation(user, broadcast))
        )
        if not form.is_valid():
            return _refused(form_errors(form))
    saved = form.save(commit=False)
    if saved.pk is None:
        saved.created_by = user
    saved.save()
    return Status(
        201 if broadcast is None else 200, _broadcast_out(saved, editable_ids(Broadcast, user, [saved]))
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
    editable = editable_ids(Broadcast, user, data["results"])
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
    return _broadcast_out(broadcast, editable_ids(Broadcast, user, [broadcast]))


@router.post(
    "/broadcasts",
    **PRIVATE,
    response={201: out.BroadcastOut, **REFUSED, **UNACCEPTABLE},
    summary="Record a broadcast for the officer's organisation (needs outreach.add_broadcast)",
    operation_id="broadcasts_create",
)
def broadcast_create(request, payload: out.BroadcastIn):
    refusal = no_recording(request.auth, "broadcast")
    if refusal:
        return Status(403, refusal)
    return _save_broadcast(request, None, given(payload, partial=False))


@router.patch(
    "/broadcasts/{id}",
    **PRIVATE,
    response={200: out.BroadcastOut, **WRITE_REFUSED},
    summary="Change a broadcast of the officer's organisation (needs outreach.change_broadcast)",
    operation_id="broadcasts_update",
)
def broadcast_update(request, id: RecordId, payload: out.BroadcastPatch):
    broadcast, refusal = writable(Broadcast, request.auth, id, "change")
    if refusal:
        return refusal
    return _save_broadcast(request, broadcast, _broadcast_data(broadcast) | given(payload, partial=True))


@router.delete(
    "/broadcasts/{id}",
    **PRIVATE,
    response={204: None, **REFUSED, 404: schemas.Error, 422: schemas.Error},
    summary="Delete a broadcast of the officer's organisation (needs outreach.delete_broadcast)",
    operation_id="broadcasts_delete",
)
def broadcast_delete(request, id: RecordId):
    broadcast, refusal = writable(Broadcast, request.auth, id, "delete")
    if refusal:
        return refusal
    broadcast.delete()
    return Status(204, None)
