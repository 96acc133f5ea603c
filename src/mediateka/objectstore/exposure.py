"""Which media the public may fetch without asking Django: those of public films only.

A film's visibility is its status in the database; its files' is the storage's own: public-read
ACLs on object storage (s3), links in the tree nginx serves on disk (disk). Both storages offer
`expose(prefix, public)`. They are brought together (1) when an encoding has been stored, (2)
when a film becomes or stops being public, (3) when a caption file is saved, and (4) on demand
(`mediateka manage sync_media_acl`), for changes made behind the models' backs (a queryset
update, a failed request to the bucket, a restored backup).

Two syncs of one prefix may overlap (an encode finishing while an editor unpublishes the film).
Each one re-reads the film's status after exposing and goes again if it changed, so the last
word is always the status in the database.
"""

import logging

from mediateka.catalogue.models import Film
from mediateka.video.models import CaptionTrack, Encoding

from .active import media_storage

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


def _is_public(prefix: str) -> bool:
    film = film_of_prefix(prefix)
    return film is not None and film.is_public


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
        public = _is_public(prefix)
        set_visibility(prefix, public)
        if _is_public(prefix) == public:
            return public
    log.warning("the visibility of %s kept changing; run `mediateka manage sync_media_acl`", prefix)
    return public


def prefixes_of_film(film_id: int) -> list[str]:
    encodings = Encoding.objects.filter(video__film_id=film_id).values_list("prefix", flat=True)
    captions = CaptionTrack.objects.filter(video__film_id=film_id).values_list("file", flat=True)
    return [f"encodings/{p}" for p in encodings] + sorted({caption_prefix(f) for f in captions if f})


def caption_prefix(name: str) -> str:
    return "/".join(name.split("/")[:2])


def sync_film(film_id: int) -> None:
    for prefix in prefixes_of_film(film_id):
        sync_prefix(prefix)


def sync_all() -> int:
    """Every encoding and caption prefix in the database; returns how many were synced."""
    if media_storage() is None:
        return 0
    prefixes = [f"encodings/{p}" for p in Encoding.objects.values_list("prefix", flat=True)]
    prefixes += sorted({caption_prefix(f) for f in CaptionTrack.objects.values_list("file", flat=True) if f})
    for prefix in prefixes:
        sync_prefix(prefix)
    return len(prefixes)
