"""The API's response and request shapes; these are what the OpenAPI schema publishes."""

from datetime import date, datetime
from typing import Annotated, Generic, Literal, TypeVar

from ninja import Field
from ninja import Schema as InputSchema
from pydantic import BaseModel, ConfigDict

from mediateka.catalogue.models import Film, Status

T = TypeVar("T")


class Schema(BaseModel):
    """Responses are built as plain dicts and validated by pydantic alone: ninja's Schema would also
    try each value as a Django object's attribute, which costs more than the rest of a list request."""

    model_config = ConfigDict(extra="forbid")


# Slugs and keys as the models define them; NUL is refused in free text (PostgreSQL cannot store it).
Key = Annotated[str, Field(pattern=r"^[-a-zA-Z0-9_]+$", max_length=100)]
Plain = Annotated[str, Field(pattern=r"^[^\x00]*$")]


class Text(Schema):
    text: str = Field(description="The text, possibly empty when it exists in no language.")
    language: str = Field(description="The language the text is written in.")
    fallback: bool = Field(description="True when the text is not in the requested language.")


class Error(Schema):
    detail: str | list


class Theme(Schema):
    key: str
    name: Text


class OrganisationRef(Schema):
    key: str
    name: Text
    short_name: Text


class Organisation(OrganisationRef):
    kind: str
    kind_name: str
    website: str


class CollectionRef(Schema):
    slug: str
    title: Text
    title_is_devised: bool
    api_url: str


class ProjectRef(Schema):
    key: str
    title: Text
    status: int = Field(description="IATI ActivityStatus code: 1 pipeline … 6 suspended.")
    status_name: str


class Participant(Schema):
    organisation: OrganisationRef
    role: str = Field(description="implementing, donor or government")
    iati_role: int = Field(
        description="IATI OrganisationRole code: 1 funding, 2 accountable, 4 implementing."
    )


class Area(Schema):
    key: str
    name: Text


class Project(ProjectRef):
    summary: Text
    area: Area
    start_date: date | None
    end_date: date | None
    participants: list[Participant]


class Credit(Schema):
    organisation: OrganisationRef
    role: str
    role_name: str


class Rung(Schema):
    name: str = Field(description='"144p" … "720p", or "audio".')
    width: int
    height: int
    bitrate: int = Field(description="Bits per second on the wire.")
    codecs: str
    audio_only: bool
    playlist: str = Field(description="The rung's own HLS media playlist.")


class Caption(Schema):
    language: str
    kind: str = Field(description="subtitles, captions or chapters")
    source: str = Field(description="human or machine")
    cues: int
    url: str = Field(description="UTF-8 WebVTT.")


class Download(Schema):
    url: str = Field(description="MP4 (H.264/AAC) at 360p or the source's own size if smaller.")
    bytes: int


class Version(Schema):
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


class FilmSummary(Schema):
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


class FilmDetail(FilmSummary):
    synopsis: Text
    audience: Text
    usage_rights: Text
    collection_position: int | None
    project: ProjectRef | None
    credits: list[Credit]
    versions: list[Version]
    embed_url: str


class Collection(CollectionRef):
    description: Text
    themes: list[Theme]
    project: ProjectRef | None
    web_url: str
    films: int = Field(description="How many listed films it holds.")


class Today(Schema):
    mission: Text
    country: Text
    member_since: date | None
    active_projects: int
    active_areas: int
    staff_total: int
    staff_floor: int = Field(description='The staff figure as stated: "more than N" unless exact.')
    staff_is_exact: bool


class Page(Schema, Generic[T]):
    language: str = Field(description="The requested language.")
    count: int
    page: int
    pages: int
    page_size: int
    next: str | None
    previous: str | None
    results: list[T]


class FilmPage(Page[FilmSummary]):
    pass


class CollectionPage(Page[Collection]):
    pass


class Listing(Schema, Generic[T]):
    language: str
    results: list[T]


class ThemeList(Listing[Theme]):
    pass


class ProjectList(Listing[Project]):
    pass


class OrganisationList(Listing[Organisation]):
    pass


class Localised(Schema, Generic[T]):
    language: str
    result: T


# ---------------------------------------------------------------- writing


class TextsIn(InputSchema):
    en: Plain | None = None
    ru: Plain | None = None
    tg: Plain | None = None


class FilmIn(InputSchema):
    slug: Key
    title: TextsIn
    title_is_devised: bool = False
    synopsis: TextsIn | None = None
    audience: TextsIn | None = None
    usage_rights: TextsIn | None = None
    kind: Film.Kind | Literal[""] = ""
    year: int | None = Field(None, ge=1800, le=2200)
    themes: list[Key] = Field(default_factory=list, description="Theme keys.")
    collection: Key | None = Field(None, description="Collection slug.")
    collection_position: int | None = Field(None, ge=0, le=32767)
    project: Key | None = Field(None, description="Project key.")
    status: Status = Status.DRAFT
    published_at: datetime | None = None


class FilmPatch(InputSchema):
    slug: Key | None = None
    title: TextsIn | None = None
    title_is_devised: bool | None = None
    synopsis: TextsIn | None = None
    audience: TextsIn | None = None
    usage_rights: TextsIn | None = None
    kind: Film.Kind | Literal[""] | None = None
    year: int | None = Field(None, ge=1800, le=2200)
    themes: list[Key] | None = None
    collection: Key | None = None
    collection_position: int | None = Field(None, ge=0, le=32767)
    project: Key | None = None
    status: Status | None = None
    published_at: datetime | None = None


class FilmEdited(Schema):
    """What a write returns: the film as the editor sees it, whatever its status."""

    slug: str
    status: str
    title: TextsIn
    title_is_devised: bool
    synopsis: TextsIn
    audience: TextsIn
    usage_rights: TextsIn
    kind: str
    year: int | None
    themes: list[str]
    collection: str | None
    collection_position: int | None
    project: str | None
    published_at: datetime | None
    updated_at: datetime
    versions: list[str] = Field(description="Spoken languages of the film's versions.")


class CaptionUploaded(Schema):
    film: str
    version: str
    language: str
    kind: str
    source: str
    cues: int
    url: str
    replaced: bool


class Reencode(Schema):
    film: str
    version: str
    status: str


class VersionEncoding(Schema):
    """Where a version is in the pipeline, as the editor follows it."""

    film: str
    version: str
    status: str = Field(description="uploading, uploaded, probing, queued, encoding, ready or failed")
    status_name: str
    progress: float = Field(description="Per cent of the encode done, while encoding.")
    error: str = Field(description="Why the last upload or encode failed, in plain words; empty if none.")
    playable: bool = Field(description="Whether an encoding is published (it plays even after a failure).")


class FilmResult(Localised[FilmDetail]):
    pass


class CollectionResult(Localised[Collection]):
    pass


class TodayResult(Localised[Today]):
    pass


class FacetValue(Schema):
    value: str
    label: str
    count: int
    selected: bool


class Facet(Schema):
    name: str
    label: str
    values: list[FacetValue]


class SearchPage(FilmPage):
    query: str
    did_you_mean: str | None
    # The results are those of this correction of `query` (absent with `literal=true`).
    corrected_to: str | None = None
    facets: list[Facet]
