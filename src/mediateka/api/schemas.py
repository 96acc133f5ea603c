"""The API's common shapes (texts, errors, pages) and those of writing films; what the OpenAPI schema
publishes. The shapes of catalogue records are in catalogue_schemas.py, of outreach records in
outreach_schemas.py."""

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


class Listing(Schema, Generic[T]):
    language: str
    results: list[T]


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


class TodayResult(Localised[Today]):
    pass
