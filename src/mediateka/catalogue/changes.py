"""News of a change to the catalogue: which films a transaction touched, told once, on commit.

`films_changed` is sent once per committed transaction that wrote anything the catalogue shows,
with `film_ids`, the films it touched: a film itself, or a record that points at films (a version,
its encodings and captions, a credit, a participation) or that films point at (a theme, a
collection, a project, an organisation). It may be empty: an office or a mission touches no film.
Outside a transaction (autocommit) each write sends it at once. The search index, the media
exposure and the catalogue version listen to it, so this module is the one place that knows which
records touch which films; publishing an encoding, which flips the pointer with an UPDATE that
sends no model signal, says so with `touch()`. (The reach rollup follows a film's project and
themes in the writing transaction instead: see outreach.signals.)

Receivers run after the commit, one by one with `send_robust`: one failing is logged (by Django's
dispatcher) and neither stops the others nor undoes the commit. A rolled-back write sends nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from weakref import WeakKeyDictionary

from django.apps import apps
from django.db import connections, transaction
from django.db.models import Q
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import Signal

films_changed = Signal()  # film_ids: frozenset[int]

# How each record is reached from a film (lookups on Film, OR-ed): the films a record touches are
# the films found through it. An empty tuple: shown by the catalogue, but reaching no film.
# Films point at these; saving one does not move it to other films.
POINTED_AT = {
    "catalogue.Theme": ("themes",),
    "catalogue.Collection": ("collection",),
    "mission.Project": ("project",),
    "mission.ThematicArea": ("project__area",),
    "mission.Organisation": ("credits__organisation", "project__participations__organisation"),
    "mission.Mission": (),
    "mission.Office": (),
}
# These point at films (or at a collection or project of films): a save may move one to other films,
# so the films are looked up before the save as well as after it.
POINTING = {
    "catalogue.Credit": ("credits", "collection__credits"),
    "mission.Participation": ("project__participations",),
    "video.Video": ("videos",),
    "video.Encoding": ("videos__encodings",),
    "video.Rung": ("videos__encodings__rungs",),
    "video.CaptionTrack": ("videos__captions",),
}
WATCHED = {**POINTED_AT, **POINTING}
# Many-to-many fields, by the model holding one: the lookup from a film to that model, and to the
# records it links to.
LINKS = {
    "catalogue.Film": ("themes", "pk", "themes"),
    "catalogue.Collection": ("themes", "collection", "collection__themes"),
}


class _Batch:
    """The films touched by one transaction, sent once by the first of its on-commit calls to run."""

    def __init__(self):
        self.film_ids: set[int] = set()
        self.sent = False

    def send(self) -> None:
        if not self.sent:
            self.sent = True
            films_changed.send_robust(
                sender=apps.get_model("catalogue.Film"), film_ids=frozenset(self.film_ids)
            )


_batches: WeakKeyDictionary = WeakKeyDictionary()  # connection -> the _Batch of its open transaction


def touch(film_ids: Iterable[int | None], using: str = "default") -> None:
    """Counts these films as changed by the current transaction (at once, outside one)."""
    connection = connections[using]
    batch = _batches.get(connection)
    # Outside a transaction, what a batch still holds came from one that rolled back.
    if batch is None or batch.sent or not connection.in_atomic_block:
        batch = _batches[connection] = _Batch()
    batch.film_ids.update(pk for pk in film_ids if pk is not None)
    # Registered at each write, not once: a savepoint rolled back drops the registrations made in it
    # (and a test's captured block sees its own); the batch's first call that runs sends it all.
    transaction.on_commit(batch.send, using=using, robust=True)


def _films(using: str, lookups: Iterable[str], value) -> list[int]:
    from .models import Film

    found = Q()
    for lookup in lookups:
        found |= Q(**{lookup: value})
    if not found:
        return []
    return list(Film.objects.using(using).filter(found).order_by().values_list("pk", flat=True))


def films_of(instance, lookups: Iterable[str]) -> list[int]:
    return _films(instance._state.db, lookups, instance) if instance.pk is not None else []


def _lookups(sender) -> tuple[str, ...]:
    return WATCHED[sender._meta.label]


def _loaded(instance, raw: bool) -> bool:
    """Whether loaddata is writing a fixture's (or a restored backup's) own rows: no news, the
    catalogue version included. It sets an object's many-to-many links after its raw save, which
    the mark left on the object tells."""
    if raw:
        instance._loaded_raw = True
    return raw


def _film_written(sender, instance, using, raw=False, **kwargs):
    if not _loaded(instance, raw):
        touch([instance.pk], using)


def _before_save(sender, instance, raw=False, **kwargs):
    # Told with the films after the save (a save outside a transaction is not yet written here).
    if not _loaded(instance, raw) and not instance._state.adding:
        instance._films_before_save = films_of(instance, _lookups(sender))


def _written(sender, instance, using, raw=False, **kwargs):
    # Before a deletion, while the record still leads to its films; after a save, to its new ones.
    if not _loaded(instance, raw):
        touch(
            [*films_of(instance, _lookups(sender)), *instance.__dict__.pop("_films_before_save", ())], using
        )


def _links_changed(sender, instance, action, reverse, model, pk_set, using, **kwargs):
    if getattr(instance, "_loaded_raw", False):
        return
    owner = model if reverse else type(instance)  # the model holding the many-to-many field
    _field, to_owner, to_linked = LINKS[owner._meta.label]
    if not reverse and action.startswith("post_"):
        touch([instance.pk] if to_owner == "pk" else films_of(instance, [to_owner]), using)
    elif reverse and action in ("post_add", "post_remove"):
        touch(_films(using, [f"{to_owner}__in"], pk_set), using)
    elif reverse and action == "pre_clear":  # after the clear, nothing says which films had the link
        touch(films_of(instance, [to_linked]), using)


def _bump_version(sender, film_ids, **kwargs) -> None:
    from .models import CatalogueState

    CatalogueState.objects.bump()


def connect() -> None:
    films_changed.connect(_bump_version, dispatch_uid="catalogue-version")
    film = apps.get_model("catalogue.Film")
    post_save.connect(_film_written, sender=film, dispatch_uid="catalogue-changes-film-save")
    post_delete.connect(_film_written, sender=film, dispatch_uid="catalogue-changes-film-delete")
    for label in WATCHED:
        model = apps.get_model(label)
        post_save.connect(_written, sender=model, dispatch_uid=f"catalogue-changes-save-{label}")
        pre_delete.connect(_written, sender=model, dispatch_uid=f"catalogue-changes-delete-{label}")
        if label in POINTING:
            pre_save.connect(_before_save, sender=model, dispatch_uid=f"catalogue-changes-move-{label}")
    for label, (field, _to_owner, _to_linked) in LINKS.items():
        through = apps.get_model(label)._meta.get_field(field).remote_field.through
        m2m_changed.connect(_links_changed, sender=through, dispatch_uid=f"catalogue-changes-links-{label}")
