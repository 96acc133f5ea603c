"""Which media the public may fetch without asking Django: those of public films only.

A film's visibility is its status in the database; its files' is the storage's own: public-read
ACLs on object storage (s3), links in the tree nginx serves on disk (disk). Both storages offer
`expose(prefix, public)`; what has been exposed is kept as ExposedPrefix rows. They are brought
together (1) when an encoding has been stored (the storage's `tree_stored`), (2) after each commit
that changed films (catalogue.changes.films_changed: a status, a new caption, a deleted version),
and (3) on demand (`mediateka manage sync_media_acl`), for changes made behind the models' backs (a
queryset update, a failed request to the bucket, a restored backup).

Two syncs of one prefix may overlap (an encode finishing while an editor unpublishes the film).
Each one re-reads the film's status after exposing and goes again if it changed, so the last
word is always the status in the database.
"""

import logging
from collections.abc import Iterable

from mediateka.catalogue.models import Film
from mediateka.video.models import CaptionTrack, Encoding

from .active import media_storage
from .models import ExposedPrefix

log = logging.getLogger(__name__)
ROUNDS = 5


def film_of_prefix(prefix: str) -> Film | None:
    kind, _, key = prefix.partition("/")
    if kind == "encodings":
        encoding = Encoding.objects.select_related("video__film").filter(prefix=key).first()
        return encoding.video.film if encoding else None
    if kind == "captions":
        track = (
            CaptionTrack.objects.select_related("video__film").filter(file__startswith=f"{prefix}/").first()
        )
        return track.video.film if track else None
    return None


def _public_film(prefix: str) -> Film | None:
    film = film_of_prefix(prefix)
    return film if film is not None and film.is_public else None


def set_visibility(prefix: str, public: bool) -> None:
    """Exposes or hides every file under prefix."""
    storage = media_storage()
    if storage is not None:
        storage.expose(prefix, public)


def sync_prefix(prefix: str) -> bool | None:
    """Makes the files under prefix readable by all iff their film is public; returns that."""
    if media_storage() is None:
        return None
    for _ in range(ROUNDS):
        film = _public_film(prefix)
        set_visibility(prefix, film is not None)
        # Recorded before the status is read again: a sync that starts after a later commit finds it.
        if film is None:
            ExposedPrefix.objects.filter(prefix=prefix).delete()
        else:
            ExposedPrefix.objects.update_or_create(prefix=prefix, defaults={"film_id": film.pk})
        if (_public_film(prefix) is None) == (film is None):
            return film is not None
    log.warning("the visibility of %s kept changing; run `mediateka manage sync_media_acl`", prefix)
    return film is not None


def prefixes_of_films(film_ids: Iterable[int]) -> set[str]:
    encodings = Encoding.objects.filter(video__film_id__in=film_ids).values_list("prefix", flat=True)
    captions = CaptionTrack.objects.filter(video__film_id__in=film_ids).values_list("file", flat=True)
    return {f"encodings/{p}" for p in encodings} | {caption_prefix(f) for f in captions if f}


def caption_prefix(name: str) -> str:
    return "/".join(name.split("/")[:2])


def sync_films(film_ids: Iterable[int]) -> None:
    """Exposes what public films have and is not yet exposed; hides what is exposed and no longer
    belongs to a public film (unpublished, or its film, version, encoding or caption deleted)."""
    film_ids = set(film_ids)
    if media_storage() is None or not film_ids:
        return
    public = Film.objects.public().filter(pk__in=film_ids).values_list("pk", flat=True)
    wanted = prefixes_of_films(list(public))
    exposed = set(ExposedPrefix.objects.filter(film_id__in=film_ids).values_list("prefix", flat=True))
    for prefix in sorted(wanted ^ exposed):
        sync_prefix(prefix)


def sync_all() -> int:
    """Every encoding and caption prefix in the database, and every one exposed; returns how many."""
    if media_storage() is None:
        return 0
    prefixes = {f"encodings/{p}" for p in Encoding.objects.values_list("prefix", flat=True)}
    prefixes |= {caption_prefix(f) for f in CaptionTrack.objects.values_list("file", flat=True) if f}
    prefixes |= set(ExposedPrefix.objects.values_list("prefix", flat=True))
    for prefix in sorted(prefixes):
        sync_prefix(prefix)
    return len(prefixes)
