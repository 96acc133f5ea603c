"""Catalogue records as the API writes them, in one language, with absolute addresses.

The querysets here fetch everything a page of results needs in a fixed number of queries, whatever
the number of films on the page; the functions after them only read what was fetched.
"""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import translation

from mediateka.catalogue.models import Collection, Credit, Film, Status
from mediateka.mission.models import Participation, Project
from mediateka.mission.translated import first_written
from mediateka.video.access import public_url
from mediateka.video.models import CaptionTrack, Video

from .language import described, text

IATI_ROLES = {
    Participation.Role.DONOR: 1,  # Funding
    Participation.Role.GOVERNMENT: 2,  # Accountable
    Participation.Role.IMPLEMENTING: 4,  # Implementing
}
_SLUG = "__slug__"


def playable_videos(*, rungs: bool) -> Prefetch:
    videos = Video.objects.playable().select_related("current_encoding").order_by("language")
    related = ["captions", "current_encoding__rungs"] if rungs else ["captions"]
    return Prefetch("videos", queryset=videos.prefetch_related(*related), to_attr="playable")


FILM_COLUMNS = (
    "id",
    "slug",
    "title_en",
    "title_ru",
    "title_tg",
    "title_is_devised",
    "kind",
    "year",
    "status",
    "published_at",
    "updated_at",
    "collection_id",
)


def films_for_listing(films) -> "FilmRows":
    return FilmRows(films)


class FilmRows:
    """A page of films for a list, as rows: five queries for any number of films, and no model
    objects, whose creation would cost more than everything else in the request."""

    def __init__(self, films):
        self.films = films

    def count(self) -> int:
        return self.films.count()

    def __getitem__(self, window: slice) -> list[dict]:
        rows = list(self.films.values(*FILM_COLUMNS)[window])
        return self.load(rows)

    @staticmethod
    def load(rows: list[dict]) -> list[dict]:
        ids = [row["id"] for row in rows]
        themes: dict[int, list[dict]] = {pk: [] for pk in ids}
        through = Film.themes.through.objects.filter(film_id__in=ids).order_by("theme__key")
        for theme in through.values(
            "film_id", "theme__key", "theme__name_en", "theme__name_ru", "theme__name_tg"
        ):
            themes[theme["film_id"]].append(theme)
        videos: dict[int, list[dict]] = {pk: [] for pk in ids}
        by_id = {}
        playable = Video.objects.playable().filter(film_id__in=ids).order_by("language")
        for video in playable.values(
            "id",
            "film_id",
            "language",
            "duration",
            "current_encoding__prefix",
            "current_encoding__thumbnail",
        ):
            video["captions"] = []
            videos[video["film_id"]].append(video)
            by_id[video["id"]] = video
        tracks = CaptionTrack.objects.filter(video_id__in=list(by_id)).values("video_id", "language", "kind")
        for track in tracks:
            by_id[track["video_id"]]["captions"].append(track)
        wanted = {row["collection_id"] for row in rows if row["collection_id"]}
        collections = {
            c["id"]: c
            for c in Collection.objects.filter(pk__in=wanted, status=Status.PUBLISHED).values(
                "id", "slug", "title_en", "title_ru", "title_tg", "title_is_devised"
            )
        }
        for row in rows:
            row["themes"] = themes[row["id"]]
            row["videos"] = videos[row["id"]]
            row["collection"] = collections.get(row["collection_id"])
        return rows


def row_text(row: dict, field: str, language: str, prefix: str = "") -> dict:
    """`text()` for a row of values."""
    return described(first_written(lambda code: row.get(f"{prefix}{field}_{code}"), language))


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
    """Writes records for one request: its language, and its host for absolute addresses."""

    def __init__(self, request, language: str):
        self.language = language
        self.origin = request.build_absolute_uri("/")[:-1]
        with translation.override(language):
            self._film_page = reverse("web:film", args=[_SLUG])
        self._film_api = reverse("api-1:film", args=[_SLUG])
        self._collection_api = reverse("api-1:collection", args=[_SLUG])
        self._embed = reverse("embed", args=[_SLUG])

        self._kinds = {code: str(label) for code, label in Film.Kind.choices}

    def absolute(self, path: str) -> str:
        return self.origin + path

    def media(self, path: str) -> str:
        url = public_url(path)
        # Media may be served from another origin (object storage, CDN); those addresses are absolute.
        return url if url.startswith(("http://", "https://")) else self.origin + url

    def text(self, obj, field: str) -> dict:
        return text(obj, field, self.language)

    # ------------------------------------------------------------ small records

    def theme(self, theme) -> dict:
        return {"key": theme.key, "name": self.text(theme, "name")}

    def organisation_ref(self, organisation) -> dict:
        return {
            "key": organisation.key,
            "name": self.text(organisation, "name"),
            "short_name": self.text(organisation, "short_name"),
        }

    def organisation(self, organisation) -> dict:
        return {
            **self.organisation_ref(organisation),
            "kind": organisation.kind,
            "kind_name": str(organisation.get_kind_display()),
            "website": organisation.website,
        }

    def project_ref(self, project: Project | None) -> dict | None:
        if project is None:
            return None
        return {
            "key": project.key,
            "title": self.text(project, "title"),
            "status": project.status,
            "status_name": str(project.get_status_display()),
        }

    def project(self, project: Project) -> dict:
        rows = sorted(project.participations.all(), key=lambda p: (p.position, p.pk))
        return {
            **self.project_ref(project),
            "summary": self.text(project, "summary"),
            "area": {"key": project.area.key, "name": self.text(project.area, "name")},
            "start_date": project.start_date,
            "end_date": project.end_date,
            "participants": [
                {
                    "organisation": self.organisation_ref(p.organisation),
                    "role": p.role,
                    "iati_role": IATI_ROLES[p.role],
                }
                for p in rows
            ],
        }

    def collection_ref(self, collection: Collection | None) -> dict | None:
        # A film may sit in a collection that is still a draft; the draft stays unseen.
        if collection is None or collection.status != Status.PUBLISHED:
            return None
        return {
            "slug": collection.slug,
            "title": self.text(collection, "title"),
            "title_is_devised": collection.title_is_devised,
            "api_url": self.absolute(self._collection_api.replace(_SLUG, collection.slug)),
        }

    def collection(self, collection: Collection) -> dict:
        with translation.override(self.language):
            web_url = self.absolute(collection.get_absolute_url())
        return {
            **self.collection_ref(collection),
            "description": self.text(collection, "description"),
            "themes": [self.theme(t) for t in collection.themes.all()],
            "project": self.project_ref(collection.project),
            "web_url": web_url,
            "films": collection.listed_films,
        }

    # ------------------------------------------------------------ films

    def film_row(self, row: dict) -> dict:
        """A film of a list, from FilmRows."""
        language = self.language
        videos = row["videos"]
        preferred = next((v for v in videos if v["language"] == language), videos[0] if videos else None)
        captions = {
            t["language"] for v in videos for t in v["captions"] if t["kind"] != CaptionTrack.Kind.CHAPTERS
        }
        durations = [v["duration"] for v in videos if v["duration"]]
        collection = row["collection"]
        thumbnail = None
        if preferred:
            # As Encoding.path() writes it, without making an Encoding per film.
            prefix, name = preferred["current_encoding__prefix"], preferred["current_encoding__thumbnail"]
            thumbnail = self.media(f"encodings/{prefix}/{name}")
        return {
            "slug": row["slug"],
            "api_url": self.absolute(self._film_api.replace(_SLUG, row["slug"])),
            "web_url": self.absolute(self._film_page.replace(_SLUG, row["slug"])),
            "title": row_text(row, "title", language),
            "title_is_devised": row["title_is_devised"],
            "kind": row["kind"],
            "kind_name": self._kinds.get(row["kind"], ""),
            "year": row["year"],
            "status": row["status"],
            "published_at": row["published_at"],
            "updated_at": row["updated_at"],
            "themes": [
                {"key": t["theme__key"], "name": row_text(t, "name", language, "theme__")}
                for t in row["themes"]
            ],
            "collection": {
                "slug": collection["slug"],
                "title": row_text(collection, "title", language),
                "title_is_devised": collection["title_is_devised"],
                "api_url": self.absolute(self._collection_api.replace(_SLUG, collection["slug"])),
            }
            if collection
            else None,
            "spoken_languages": [v["language"] for v in videos],
            "caption_languages": sorted(captions),
            "duration": max(durations) if durations else None,
            "thumbnail": thumbnail,
        }

    def film_summary(self, film: Film) -> dict:
        videos = film.playable
        preferred = next((v for v in videos if v.language == self.language), videos[0] if videos else None)
        captions = {
            t.language for v in videos for t in v.captions.all() if t.kind != CaptionTrack.Kind.CHAPTERS
        }
        durations = [v.duration for v in videos if v.duration]
        encoding = preferred.current_encoding if preferred else None
        return {
            "slug": film.slug,
            "api_url": self.absolute(self._film_api.replace(_SLUG, film.slug)),
            "web_url": self.absolute(self._film_page.replace(_SLUG, film.slug)),
            "title": self.text(film, "title"),
            "title_is_devised": film.title_is_devised,
            "kind": film.kind,
            "kind_name": str(film.get_kind_display()) if film.kind else "",
            "year": film.year,
            "status": film.status,
            "published_at": film.published_at,
            "updated_at": film.updated_at,
            "themes": [self.theme(t) for t in film.themes.all()],
            "collection": self.collection_ref(film.collection),
            "spoken_languages": [v.language for v in videos],
            "caption_languages": sorted(captions),
            "duration": max(durations) if durations else None,
            "thumbnail": self.media(encoding.path(encoding.thumbnail)) if encoding else None,
        }

    def version(self, video: Video) -> dict:
        encoding = video.current_encoding
        rungs = sorted(encoding.rungs.all(), key=lambda r: (r.height == 0, r.height))
        return {
            "language": video.language,
            "language_name": str(video.get_language_display()),
            "duration": video.duration,
            "width": video.width,
            "height": video.height,
            "master_playlist": self.media(encoding.path(encoding.master_playlist)),
            "poster": self.media(encoding.path(encoding.poster)),
            "thumbnail": self.media(encoding.path(encoding.thumbnail)),
            "download": {
                "url": self.media(encoding.path(encoding.download)),
                "bytes": encoding.download_bytes,
            },
            "rungs": [
                {
                    "name": r.name,
                    "width": r.width,
                    "height": r.height,
                    "bitrate": r.measured_bitrate or r.video_bitrate + r.audio_bitrate,
                    "codecs": r.codecs,
                    "audio_only": r.is_audio_only,
                    "playlist": self.media(encoding.path(r.playlist)),
                }
                for r in rungs
            ],
            "captions": [
                {
                    "language": t.language,
                    "kind": t.kind,
                    "source": t.source,
                    "cues": t.cue_count,
                    "url": self.media(t.file),
                }
                for t in video.captions.all()
            ],
        }

    def film_detail(self, film: Film) -> dict:
        return {
            **self.film_summary(film),
            "synopsis": self.text(film, "synopsis"),
            "audience": self.text(film, "audience"),
            "usage_rights": self.text(film, "usage_rights"),
            "collection_position": film.collection_position,
            "project": self.project_ref(film.project),
            "credits": [
                {
                    "organisation": self.organisation_ref(c.organisation),
                    "role": c.role,
                    "role_name": str(c.get_role_display()),
                }
                for c in film.credits.all()
            ],
            "versions": [self.version(v) for v in film.playable],
            "embed_url": self.absolute(self._embed.replace(_SLUG, film.slug)),
        }
