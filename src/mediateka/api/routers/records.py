"""The endpoints of outreach records, made once for each kind (screenings.py, broadcasts.py), and the
rules they share: who may read, record, change or delete, and how a payload becomes the entry
form's data (the same form, and messages, as the officer's page)."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated

from django.utils import translation
from django.views.decorators.cache import never_cache
from ninja import Path, Query, Router, Status
from ninja.decorators import decorate_view

from mediateka.outreach.access import can_read, can_record
from mediateka.outreach.models import organisation_of

from .. import schemas
from ..auth import TokenAuth
from ..language import requested_language
from ..paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, paginate

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


@dataclass(frozen=True)
class RecordKind:
    """What the endpoints of one kind of outreach record need to know of it."""

    model: type
    filters: type  # a Schema of query filters with apply(records)
    page: type
    out: type
    new: type
    patch: type
    readable: Callable  # user -> the records this account may read, with what `write` reads
    write: Callable  # (record, ids of the editable) -> the record as the API writes it
    data: Callable  # record -> its form data, which a PATCH overlays
    save: Callable  # (request, record or None, data, payload) -> Status
    delete: Callable = lambda record: record.delete()
    lang_help: str = "en, ru or tg."
    detail_lang: bool = False  # whether one record is written in a language (its place names)
    conflict: dict = field(default_factory=dict)  # other answers of a create or a change


def record_router(kind: RecordKind) -> Router:
    """The list, detail, create, change and delete endpoints of one kind of record."""
    name = kind.model._meta.model_name
    path, plural = f"/{name}s", f"{name.capitalize()}s"
    router = Router(tags=["outreach"])

    @router.get(
        path,
        **PRIVATE,
        response={200: kind.page, **REFUSED, 422: schemas.Error},
        summary=f"{plural} this account may read: an officer's organisation's, or every one for an editor",
        operation_id=f"{name}s_list",
    )
    @decorate_view(never_cache)
    def record_list(
        request,
        filters: Query[kind.filters],
        page: int = Query(1, ge=1, le=1_000_000),
        page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
        lang: str | None = Query(None, description=kind.lang_help),
    ):
        user = request.auth
        if not can_read(user):
            return Status(403, NO_READING)
        records = filters.apply(kind.readable(user))
        language = requested_language(request, lang)
        data = paginate(request, records, records.count(), page, page_size)
        editable = editable_ids(kind.model, user, data["results"])
        with translation.override(language):
            data["results"] = [kind.write(record, editable) for record in data["results"]]
        return {**data, "language": language}

    def one(request, id: int, lang: str | None):
        user = request.auth
        if not can_read(user):
            return Status(403, NO_READING)
        record = kind.readable(user).filter(pk=id).first()
        if record is None:
            return Status(404, NOT_FOUND)
        with translation.override(requested_language(request, lang)):
            return kind.write(record, editable_ids(kind.model, user, [record]))

    # The detail of a screening takes ?lang= for its place names; a broadcast has none.
    if kind.detail_lang:

        def record_detail(request, id: RecordId, lang: str | None = None):
            return one(request, id, lang)
    else:

        def record_detail(request, id: RecordId):
            return one(request, id, None)

    router.get(
        f"{path}/{{id}}",
        **PRIVATE,
        response={200: kind.out, 404: schemas.Error, **REFUSED, 422: schemas.Error},
        summary=f"One {name} this account may read",
        operation_id=f"{name}s_detail",
    )(decorate_view(never_cache)(record_detail))

    @router.post(
        path,
        **PRIVATE,
        response={201: kind.out, **kind.conflict, **REFUSED, **UNACCEPTABLE},
        summary=f"Record a {name} for the officer's organisation (needs outreach.add_{name})",
        operation_id=f"{name}s_create",
    )
    def record_create(request, payload: kind.new):
        refusal = no_recording(request.auth, name)
        if refusal:
            return Status(403, refusal)
        return kind.save(request, None, given(payload, partial=False), payload)

    @router.patch(
        f"{path}/{{id}}",
        **PRIVATE,
        response={200: kind.out, **kind.conflict, **WRITE_REFUSED},
        summary=f"Change a {name} of the officer's organisation (needs outreach.change_{name})",
        operation_id=f"{name}s_update",
    )
    def record_update(request, id: RecordId, payload: kind.patch):
        record, refusal = writable(kind.model, request.auth, id, "change")
        if refusal:
            return refusal
        return kind.save(request, record, kind.data(record) | given(payload, partial=True), payload)

    @router.delete(
        f"{path}/{{id}}",
        **PRIVATE,
        response={204: None, **REFUSED, 404: schemas.Error, 422: schemas.Error},
        summary=f"Delete a {name} of the officer's organisation (needs outreach.delete_{name})",
        operation_id=f"{name}s_delete",
    )
    def record_delete(request, id: RecordId):
        record, refusal = writable(kind.model, request.auth, id, "delete")
        if refusal:
            return refusal
        kind.delete(record)
        return Status(204, None)

    return router
