"""Broadcasts of films on TV and radio, recorded by officers; read and checked like screenings
(see screenings.py), by the endpoints made in records.py."""

import datetime

from django.utils import translation
from ninja import Field, Schema, Status

from mediateka.outreach.forms import BroadcastForm
from mediateka.outreach.models import Broadcast

from .. import outreach_schemas as out
from .editing import _refused
from .records import RecordKind, editable_ids, entry_organisation, form_errors, record_router, with_keys


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


def _save_broadcast(request, broadcast: Broadcast | None, data: dict, payload):
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


router = record_router(
    RecordKind(
        model=Broadcast,
        filters=BroadcastFilters,
        page=out.BroadcastPage,
        out=out.BroadcastOut,
        new=out.BroadcastIn,
        patch=out.BroadcastPatch,
        readable=_broadcasts,
        write=_broadcast_out,
        data=_broadcast_data,
        save=_save_broadcast,
    )
)
