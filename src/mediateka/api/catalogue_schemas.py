"""Shapes of the catalogue's read endpoints, each described once: a film of a list and a film's
detail, collections, themes, the mission's projects and organisations."""

import functools
from datetime import date, datetime
from inspect import signature
from typing import get_origin

from django.db.models.manager import BaseManager
from django.utils import translation
from ninja import Field
from ninja import Schema as NinjaSchema
from pydantic import ConfigDict, model_validator

from mediateka.catalogue.models import Status
from mediateka.mission.models import Participation
from mediateka.video.models import CaptionTrack

from .language import text
from .schemas import Listing, Localised, Page, Schema, Text


@functools.cache
def _reading(shape) -> tuple:
    """How `shape` reads each of its fields, in order: (name, resolver, whether it takes the
    context), or (name, None, whether the attribute may be a related manager)."""
    plan = []
    for name, field in shape.model_fields.items():
        resolver = getattr(shape, f"resolve_{name}", None)
        if resolver is None:
            # Only a list may come as a related manager.
            plan.append((name, None, get_origin(field.annotation) is list))
        else:
            plan.append((name, resolver, "context" in signature(resolver).parameters))
    return tuple(plan)


class Described(NinjaSchema):
    """A shape read from a model object or a list's row by its attributes, with `resolve_*` for what
    is computed: texts in the request's language, labels and absolute addresses, through the
    request's Presenter (present.py), which `model_validate(..., context=presenter.context())` gives."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(cls, source, handler, info):
        # In place of ninja's, which reads each field through DjangoGetter.__getattr__ (a failed
        # attribute lookup, then the resolver or the attribute, then checks for managers, callables
        # and files): that made a page of 50 films half as slow again. This reads the fields as
        # ninja does, related managers as lists, in one pass, and validates them as a dict.
        if isinstance(source, (dict, cls)):
            return handler(source)
        fields, context = {}, info.context
        for name, resolver, flag in _reading(cls):
            if resolver is not None:
                fields[name] = resolver(source, context=context) if flag else resolver(source)
            else:
                value = getattr(source, name)
                fields[name] = list(value.all()) if flag and isinstance(value, BaseManager) else value
        return handler(fields)


# Resolvers of the common kinds, as in `resolve_title = translated("title")`.
def translated(field: str):
    """A text in the request's language, or the language it falls back to."""
    return staticmethod(lambda source, context: text(source, field, context["presenter"].language))


def label(field: str):
    """The label of a choice, in the request's language (active while the response is written)."""
    return staticmethod(lambda source: str(getattr(source, f"get_{field}_display")()))


def attribute(name: str):
    """An attribute named otherwise in the API."""
    return staticmethod(lambda source: getattr(source, name))


def address(name: str):
    """The absolute address of the source by its slug (see Presenter.address)."""
    return staticmethod(lambda source, context: context["presenter"].address(name, source.slug))


def _all(related):
    # A model's related manager (prefetched), or the plain list of a list's row.
    return related.all() if hasattr(related, "all") else related


class Theme(Described):
    key: str
    name: Text

    resolve_name = translated("name")


class OrganisationRef(Described):
    key: str
    name: Text
    short_name: Text

    resolve_name = translated("name")
    resolve_short_name = translated("short_name")


class Organisation(OrganisationRef):
    kind: str
    kind_name: str
    website: str

    resolve_kind_name = label("kind")


class CollectionRef(Described):
    slug: str
    title: Text
    title_is_devised: bool
    api_url: str

    resolve_title = translated("title")
    resolve_api_url = address("collection_api")


class ProjectRef(Described):
    key: str
    title: Text
    status: int = Field(description="IATI ActivityStatus code: 1 pipeline … 6 suspended.")
    status_name: str

    resolve_title = translated("title")
    resolve_status_name = label("status")


IATI_ROLES = {
    Participation.Role.DONOR: 1,  # Funding
    Participation.Role.GOVERNMENT: 2,  # Accountable
    Participation.Role.IMPLEMENTING: 4,  # Implementing
}


class Participant(Described):
    organisation: OrganisationRef
    role: str = Field(description="implementing, donor or government")
    iati_role: int = Field(
        description="IATI OrganisationRole code: 1 funding, 2 accountable, 4 implementing."
    )

    @staticmethod
    def resolve_iati_role(participation):
        return IATI_ROLES[participation.role]


class Area(Described):
    key: str
    name: Text

    resolve_name = translated("name")


class Project(ProjectRef):
    summary: Text
    area: Area
    start_date: date | None
    end_date: date | None
    participants: list[Participant]

    resolve_summary = translated("summary")

    @staticmethod
    def resolve_participants(project):
        return sorted(project.participations.all(), key=lambda p: (p.position, p.pk))


class Credit(Described):
    organisation: OrganisationRef
    role: str
    role_name: str

    resolve_role_name = label("role")


class Rung(Described):
    name: str = Field(description='"144p" … "720p", or "audio".')
    width: int
    height: int
    bitrate: int = Field(description="Bits per second on the wire.")
    codecs: str
    audio_only: bool
    playlist: str = Field(description="The rung's own HLS media playlist.")
    bytes: int = Field(
        description="Size of the rung's init and media segments: what watching the whole film at "
        "this rung downloads. 0 when it was not measured."
    )

    resolve_audio_only = attribute("is_audio_only")

    @staticmethod
    def resolve_bitrate(rung):
        return rung.measured_bitrate or rung.video_bitrate + rung.audio_bitrate

    @staticmethod
    def resolve_playlist(rung, context):
        return context["presenter"].media(rung.encoding.path(rung.playlist))


class Caption(Described):
    language: str
    kind: str = Field(description="subtitles, captions or chapters")
    source: str = Field(description="human or machine")
    cues: int
    url: str = Field(description="UTF-8 WebVTT.")

    resolve_cues = attribute("cue_count")

    @staticmethod
    def resolve_url(track, context):
        return context["presenter"].media(track.file)


class Download(Schema):
    url: str = Field(description="MP4 (H.264/AAC) at 360p or the source's own size if smaller.")
    bytes: int


def _encoded(name: str):
    """The resolver of the address of one of the files of a version's encoding."""

    def resolve(video, context):
        encoding = video.current_encoding
        return context["presenter"].media(encoding.path(getattr(encoding, name)))

    return staticmethod(resolve)


class Version(Described):
    language: str = Field(description="Spoken language of this version.")
    language_name: str
    duration: float | None
    width: int | None
    height: int | None
    master_playlist: str = Field(description="HLS master playlist of every rung.")
    poster: str
    thumbnail: str
    download: Download
    rungs: list[Rung]
    captions: list[Caption]

    resolve_master_playlist = _encoded("master_playlist")
    resolve_poster = _encoded("poster")
    resolve_thumbnail = _encoded("thumbnail")
    resolve_language_name = label("language")

    @staticmethod
    def resolve_download(video, context):
        encoding = video.current_encoding
        url = context["presenter"].media(encoding.path(encoding.download))
        return {"url": url, "bytes": encoding.download_bytes}

    @staticmethod
    def resolve_rungs(video):
        return sorted(video.current_encoding.rungs.all(), key=lambda r: (r.height == 0, r.height))


# A film of a list, read from a row of FilmRows (present.py); also the head of a FilmDetail, read from
# the film itself. (A docstring would become the shape's description in the OpenAPI.)
class FilmSummary(Described):
    slug: str
    api_url: str
    web_url: str
    title: Text
    title_is_devised: bool = Field(
        description="The title was supplied by the cataloguer; show it in brackets."
    )
    kind: str
    kind_name: str
    year: int | None
    status: str = Field(description="published, or unlisted when reached by its address")
    published_at: datetime | None
    updated_at: datetime
    themes: list[Theme]
    collection: CollectionRef | None
    spoken_languages: list[str]
    caption_languages: list[str]
    duration: float | None = Field(description="Seconds, of the longest version.")
    thumbnail: str | None

    resolve_title = translated("title")
    resolve_api_url = address("film_api")
    resolve_web_url = address("film_page")

    @staticmethod
    def resolve_kind_name(film, context):
        return context["presenter"].kinds.get(film.kind, "")

    @staticmethod
    def resolve_collection(film):
        # A film may sit in a collection that is still a draft; the draft stays unseen.
        collection = film.collection
        return collection if collection is not None and collection.status == Status.PUBLISHED else None

    @staticmethod
    def resolve_spoken_languages(film):
        return [video.language for video in film.playable]

    @staticmethod
    def resolve_caption_languages(film):
        chapters = CaptionTrack.Kind.CHAPTERS
        return sorted({t.language for v in film.playable for t in _all(v.captions) if t.kind != chapters})

    @staticmethod
    def resolve_duration(film):
        return max((video.duration for video in film.playable if video.duration), default=None)

    @staticmethod
    def resolve_thumbnail(film, context):
        presenter, videos = context["presenter"], film.playable
        preferred = next((v for v in videos if v.language == presenter.language), None)
        preferred = preferred or (videos[0] if videos else None)
        if preferred is None:
            return None
        # As Encoding.path() writes it: a row's encoding is a plain namespace, not an Encoding.
        encoding = preferred.current_encoding
        return presenter.media(f"encodings/{encoding.prefix}/{encoding.thumbnail}")


class FilmDetail(FilmSummary):
    synopsis: Text
    audience: Text
    usage_rights: Text
    collection_position: int | None
    project: ProjectRef | None
    credits: list[Credit]
    versions: list[Version]
    embed_url: str

    resolve_synopsis = translated("synopsis")
    resolve_audience = translated("audience")
    resolve_usage_rights = translated("usage_rights")
    resolve_versions = attribute("playable")
    resolve_embed_url = address("embed")


class Collection(CollectionRef):
    description: Text
    themes: list[Theme]
    project: ProjectRef | None
    web_url: str
    films: int = Field(description="How many listed films it holds.")

    resolve_description = translated("description")
    resolve_films = attribute("listed_films")

    @staticmethod
    def resolve_web_url(collection, context):
        presenter = context["presenter"]
        with translation.override(presenter.language):
            return presenter.absolute(collection.get_absolute_url())


class FilmPage(Page[FilmSummary]):
    pass


class CollectionPage(Page[Collection]):
    pass


class ThemeList(Listing[Theme]):
    pass


class ProjectList(Listing[Project]):
    pass


class OrganisationList(Listing[Organisation]):
    pass


class FilmResult(Localised[FilmDetail]):
    pass


class CollectionResult(Localised[Collection]):
    pass
