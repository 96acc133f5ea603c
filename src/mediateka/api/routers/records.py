"""The rules every outreach record endpoint shares: who may read, record, change or delete, and how
a payload becomes the entry form's data (the same form, and messages, as the officer's page)."""

from typing import Annotated

from ninja import Path, Status

from mediateka.outreach.access import can_record
from mediateka.outreach.models import organisation_of

from .. import schemas
from ..auth import TokenAuth

PRIVATE = {"auth": TokenAuth(), "tags": ["outreach records"]}

RecordId = Annotated[int, Path(ge=1, le=2**63 - 1)]
REFUSED = {401: schemas.Error, 403: schemas.Error}
# A body that is not JSON is ninja's 400; one of the wrong shape, or that the entry form refuses, a 422.
UNACCEPTABLE = {400: schemas.Error, 422: schemas.Error}
WRITE_REFUSED = {**REFUSED, 404: schemas.Error, **UNACCEPTABLE}
NO_READING = {"detail": "Your account may not read outreach records."}
NOT_FOUND = {"detail": "Not Found"}  # the same answer as for a record that does not exist


def no_recording(user, model_name: str) -> dict | None:
    """Why this account may not record, or None if it may."""
    if can_record(user, model_name):
        return None
    if not user.has_perm(f"outreach.add_{model_name}"):
        return {"detail": f"Your account may not record {model_name}s."}
    return {"detail": "Your account is not linked to an organisation, so there is nobody to record for."}


def writable(model, user, pk: int, action: str):
    """The record if this account may `action` ("change" or "delete") it, else the refusal to return."""
    model_name = model._meta.model_name
    record = model.objects.editable_by(user).filter(pk=pk).first()
    if record is not None and user.has_perm(f"outreach.{action}_{model_name}"):
        return record, None
    if model.objects.visible_to(user).filter(pk=pk).exists():
        # They can read it already, so refusing with 403 tells them nothing new.
        return None, Status(403, {"detail": f"Your account may read this {model_name} but not {action} it."})
    return None, Status(404, NOT_FOUND)


def entry_organisation(user, record=None):
    """As on the pages: an officer's records are their organisation's; an administrator chooses."""
    if user.is_superuser:
        return None
    return record.organisation if record is not None else organisation_of(user)


def form_errors(form) -> dict[str, list[str]]:
    return {field: [str(message) for message in messages] for field, messages in form.errors.items()}


def with_keys(form):
    # The API names organisations and films by key and slug, as everywhere else; the choices stay the
    # form's own (any organisation for an administrator; public films, and those the record names).
    if "organisation" in form.fields:
        form.fields["organisation"].to_field_name = "key"
    if "film" in form.fields:
        form.fields["film"].to_field_name = "slug"
    return form


def given(payload, *, partial: bool) -> dict:
    """The form data a payload gives: every field for a new record, those sent for a change."""
    data = payload.model_dump(
        include=payload.model_fields_set if partial else None, exclude={"confirm_duplicate"}
    )
    if data.get("organisation") is None:  # not chosen: the form's rule decides (see entry_organisation)
        data.pop("organisation", None)
    return data


def editable_ids(model, user, records) -> set[int]:
    return set(
        model.objects.editable_by(user).filter(pk__in=[r.pk for r in records]).values_list("pk", flat=True)
    )
