"""Catalogue records as the API reads them, and the Presenter of one request.

The querysets here fetch everything a page of results needs in a fixed number of queries, whatever
the number of films on the page. The response schemas (catalogue_schemas.py) describe each shape
once, for a model object and for a list's row alike; their resolvers write texts in the request's
language and absolute addresses through the Presenter.
"""

from types import SimpleNamespace
from urllib.parse import quote

from django.core.files.storage import default_storage
from django.db.models import F, Prefetch
from django.urls import reverse
from django.utils import translation
from django.utils.http import RFC3986_SUBDELIMS

from mediateka.catalogue.models import Collection, Credit, Film
from mediateka.mission.translated import LANGUAGES
from mediateka.video.access import public_url
from mediateka.video.models import CaptionTrack, Video

from .catalogue_schemas import FilmSummary

_SLUG = "__slug__"
_PATH = "__path__"


def playable_videos(*, rungs: bool) -> Prefetch:
    videos = Video.objects.playable().select_related("current_encoding").order_by("language")
    related = ["captions", "current_encoding__rungs"] if rungs else ["captions"]
    return Prefetch("videos", queryset=videos.prefetch_related(*related), to_attr="playable")


def columns(shape, model) -> list[str]:
    """The columns of `model` that `shape` reads: its plain fields, and every translation of a
    translated text it resolves (`title` reads `title_en`, `title_ru`, `title_tg`)."""
    stored = {field.attname for field in model._meta.concrete_fields}
    resolved = {name for name in shape.model_fields if hasattr(shape, f"resolve_{name}")}
    plain = [name for name in shape.model_fields if name in stored and name not in resolved]
    translated = [
        f"{name}_{code}"
        for name in shape.model_fields
        if name in resolved and all(f"{name}_{code}" in stored for code in LANGUAGES)
        for code in LANGUAGES
    ]
    return plain + translated


class FilmRows:
    """A page of films for a list, as rows with the attributes FilmSummary reads of a Film (its
    columns, `themes`, `collection`, and `playable` versions with their `captions` and
    `current_encoding`): five queries for any number of films, and no model objects, whose creation
    would cost more than everything else in the request."""

    COLUMNS = ("id", "collection_id", *columns(FilmSummary, Film))

    def __init__(self, films):
        self.films = films

    def count(self) -> int:
        return self.films.count()

    def __getitem__(self, window: slice) -> list[SimpleNamespace]:
        return self.load(list(self.films.values(*self.COLUMNS)[window]))

    @staticmethod
    def load(values: list[dict]) -> list[SimpleNamespace]:
        films = {row["id"]: SimpleNamespace(**row, themes=[], playable=[]) for row in values}
        through = Film.themes.through.objects.filter(film_id__in=list(films)).order_by("theme__key")
        names = {f"name_{code}": F(f"theme__name_{code}") for code in LANGUAGES}
        for theme in through.values("film_id", key=F("theme__key"), **names):
            films[theme.pop("film_id")].themes.append(SimpleNamespace(**theme))
        by_id = {}
        playable = Video.objects.playable().filter(film_id__in=list(films)).order_by("language")
        for video in playable.values(
            "id", "film_id", "language", "duration", "current_encoding__prefix", "current_encoding__thumbnail"
        ):
            encoding = SimpleNamespace(
                prefix=video["current_encoding__prefix"], thumbnail=video["current_encoding__thumbnail"]
            )
            by_id[video["id"]] = row = SimpleNamespace(
                language=video["language"], duration=video["duration"], captions=[], current_encoding=encoding
            )
            films[video["film_id"]].playable.append(row)
        tracks = CaptionTrack.objects.filter(video_id__in=list(by_id)).values("video_id", "language", "kind")
        for track in tracks:
            by_id[track.pop("video_id")].captions.append(SimpleNamespace(**track))
        wanted = {film.collection_id for film in films.values() if film.collection_id}
        titles = [f"title_{code}" for code in LANGUAGES]
        collections = {
            c["id"]: SimpleNamespace(**c)
            for c in Collection.objects.filter(pk__in=wanted).values(
                "id", "slug", "status", "title_is_devised", *titles
            )
        }
        for film in films.values():
            film.collection = collections.get(film.collection_id)
        return list(films.values())


def film_for_detail(films):
    return films.select_related("collection", "project").prefetch_related(
        "themes",
        Prefetch("credits", queryset=Credit.objects.select_related("organisation")),
        playable_videos(rungs=True),
    )


def last_modified(films) -> "datetime | None":  # noqa: F821 - only a hint
    """The newest change among the films and their versions and captions, as fetched."""
    stamps = []
    for film in films:
        stamps.append(film.updated_at)
        for video in film.playable:
            stamps.append(video.updated_at)
            stamps.extend(track.updated_at for track in video.captions.all())
    return max(stamps, default=None)


class Presenter:
    """How one request writes records: in its language, with absolute addresses on its host.

    Addresses are reversed once per request with a placeholder for the slug or the file, not once
    for each film or file."""

    def __init__(self, request, language: str):
        self.language = language
        self.origin = request.build_absolute_uri("/")[:-1]
        with translation.override(language):
            film_page = reverse("web:film", args=[_SLUG])
        self._addresses = {
            "film_page": film_page,
            "film_api": reverse("api-1:film", args=[_SLUG]),
            "collection_api": reverse("api-1:collection", args=[_SLUG]),
            "embed": reverse("embed", args=[_SLUG]),
        }
        self.kinds = {code: str(label) for code, label in Film.Kind.choices}
        # Files from object storage have addresses of its own (video.access.public_url); others are
        # served by Django's media view.
        self._media = (
            None if hasattr(default_storage, "public_url") else reverse("media", kwargs={"path": _PATH})
        )

    def context(self) -> dict:
        """What the schemas' resolvers are given (`model_validate(..., context=)`)."""
        return {"presenter": self}

    def absolute(self, path: str) -> str:
        return self.origin + path

    def media(self, path: str) -> str:
        if self._media is None:
            url = public_url(path)
        else:  # as reverse() writes it (django.urls.resolvers), without a reverse() for each file
            url = self._media.replace(_PATH, quote(path, safe=RFC3986_SUBDELIMS + "/~:@"))
        # Media may be served from another origin (object storage, CDN); those addresses are absolute.
        return url if url.startswith(("http://", "https://")) else self.origin + url

    def address(self, name: str, slug: str) -> str:
        """The absolute address `name` (film_page, film_api, collection_api, embed) of a slug."""
        return self.absolute(self._addresses[name].replace(_SLUG, slug))
