"""Shapes of the outreach endpoints: officers' records (private) and the public reach (aggregates only).

The rules of a record (counts not negative, sub-groups within the total, a known district, a
public film or one the record already names, no future date) are enforced by the officer's entry
form, so that the API refuses what the page refuses, with the same field names. The input schemas
only *document* them (`minimum`, `enum`): were pydantic to enforce them, a refusal would come in
ninja's error shape instead of the form's.
"""

import datetime as dt

from ninja import Field
from ninja import Schema as InputSchema

from mediateka.outreach import places
from mediateka.outreach.models import Screening

from .schemas import Key, Page, Plain, Schema

DISTRICTS = {"enum": list(places.DISTRICTS)}
VENUES = {"enum": list(Screening.Venue.values)}
COUNT = {"minimum": 0}
ORGANISATION = (
    "Organisation key. Only an administrator chooses it; an officer's records always belong to the "
    "officer's own organisation, whatever this says."
)


def _count(label: str, default=0):
    return Field(default, json_schema_extra=COUNT, description=label)


# ---------------------------------------------------------------- screenings


class ScreeningIn(InputSchema):
    organisation: Key | None = Field(None, description=ORGANISATION)
    date: dt.date = Field(description="The day of the screening; not in the future, nor before 1950.")
    district: str = Field(
        json_schema_extra=DISTRICTS, description="District or city key from the place reference."
    )
    locality: Plain = Field("", description="Town or jamoat, as text.")
    venue_kind: str = Field(json_schema_extra=VENUES)
    films: list[Key] = Field(description="Slugs of the public films shown; at least one.")
    facilitator: Plain = ""
    attendees: int = _count("People attending.")
    women: int = _count("Women and girls; with men, not more than the people attending.")
    men: int = _count("Men and boys.")
    age_under_18: int = _count("Under 18; the four age bands together not more than the people attending.")
    age_18_29: int = _count("18–29.")
    age_30_44: int = _count("30–44.")
    age_45_plus: int = _count("45 and over.")
    migrants: int = _count(
        "Migrants; with returned migrants and family members, not more than the people attending."
    )
    returned_migrants: int = _count("Returned migrants.")
    family_members: int = _count("Migrants' family members.")
    materials: int = _count("Materials handed out.")
    notes: Plain = ""
    confirm_duplicate: bool = Field(
        False,
        description="Save even though a screening of the same film, place and day is already recorded "
        "(without it such a screening is refused with 409).",
    )


class ScreeningPatch(InputSchema):
    """Only the fields given change; the record is then checked as a whole, as the form checks it."""

    organisation: Key | None = Field(None, description=ORGANISATION)
    date: dt.date | None = None
    district: str | None = Field(None, json_schema_extra=DISTRICTS)
    locality: Plain | None = None
    venue_kind: str | None = Field(None, json_schema_extra=VENUES)
    films: list[Key] | None = Field(
        None,
        description="Slugs of the films shown: public films, and any the record already names (a film "
        "archived or unpublished since it was shown stays on the record; it cannot be added to another).",
    )
    facilitator: Plain | None = None
    attendees: int | None = _count("People attending.", None)
    women: int | None = _count("Women and girls.", None)
    men: int | None = _count("Men and boys.", None)
    age_under_18: int | None = _count("Under 18.", None)
    age_18_29: int | None = _count("18–29.", None)
    age_30_44: int | None = _count("30–44.", None)
    age_45_plus: int | None = _count("45 and over.", None)
    migrants: int | None = _count("Migrants.", None)
    returned_migrants: int | None = _count("Returned migrants.", None)
    family_members: int | None = _count("Migrants' family members.", None)
    materials: int | None = _count("Materials handed out.", None)
    notes: Plain | None = None
    confirm_duplicate: bool = False


class Audience(Schema):
    """The people at a screening (or at many, summed) by sex, age band and migration status, and
    the materials handed out."""

    attendees: int
    women: int
    men: int
    age_under_18: int
    age_18_29: int
    age_30_44: int
    age_45_plus: int
    migrants: int
    returned_migrants: int
    family_members: int
    materials: int


class ScreeningOut(Audience):
    id: int
    organisation: str = Field(description="The organisation's key.")
    date: dt.date
    region: str
    region_name: str
    district: str
    district_name: str
    locality: str
    venue_kind: str
    films: list[str] = Field(description="Slugs of the films shown.")
    facilitator: str
    notes: str
    is_sample: bool = Field(description="Demonstration data, not a real record.")
    editable: bool = Field(description="Whether this account may change or delete the record.")
    created_at: dt.datetime
    updated_at: dt.datetime


class ScreeningPage(Page[ScreeningOut]):
    pass


class Duplicate(Schema):
    detail: str
    duplicates: list[int] = Field(
        description="The likely duplicates this account may read (another organisation's are not named)."
    )


# ---------------------------------------------------------------- broadcasts


class BroadcastIn(InputSchema):
    organisation: Key | None = Field(None, description=ORGANISATION)
    channel: Plain
    aired_at: dt.datetime = Field(description="When it was aired; not in the future.")
    film: Key = Field(description="Slug of a public film.")
    estimated_audience: int = _count("Estimated audience.")
    estimate_source: Plain = Field("", description="Where the estimate comes from.")


class BroadcastPatch(InputSchema):
    organisation: Key | None = Field(None, description=ORGANISATION)
    channel: Plain | None = None
    aired_at: dt.datetime | None = None
    film: Key | None = Field(None, description="Slug of a public film, or of the one the record names.")
    estimated_audience: int | None = _count("Estimated audience.", None)
    estimate_source: Plain | None = None


class BroadcastOut(Schema):
    id: int
    organisation: str = Field(description="The organisation's key.")
    channel: str
    aired_at: dt.datetime
    film: str = Field(description="Slug of the film aired.")
    estimated_audience: int
    estimate_source: str
    is_sample: bool = Field(description="Demonstration data, not a real record.")
    editable: bool = Field(description="Whether this account may change or delete the record.")
    created_at: dt.datetime
    updated_at: dt.datetime


class BroadcastPage(Page[BroadcastOut]):
    pass


# ---------------------------------------------------------------- public reach


class Figures(Audience):
    """Sums over screenings: how many, and the people at them by sex, age band and migration status."""

    screenings: int


class Totals(Figures):
    sample_screenings: int = Field(
        description="How many of the screenings are sample (demonstration) data, as the dashboard says."
    )
    migration_total: int = Field(description="Migrants, returned migrants and family members together.")


class ReachRow(Schema):
    key: str = Field(description="Film slug, theme or project key, region key, or month (YYYY-MM).")
    label: str
    web_url: str | None = Field(description="The public page of the film or project, if it has one.")
    figures: Figures


class ProfileRow(Schema):
    key: str = Field(description='An audience column, or "not_recorded" for the rest of the people.')
    label: str
    people: int
    percent: int


class Aired(Schema):
    broadcasts: int
    audience: int = Field(description="Sum of the estimated audiences.")


class Covers(Schema):
    year: int | None
    region: str | None
    project: str | None


class Reach(Schema):
    language: str
    covers: Covers
    totals: Totals
    broadcasts: Aired
    by_sex: list[ProfileRow]
    by_age: list[ProfileRow]
    by_migration: list[ProfileRow]
    by_film: list[ReachRow]
    by_theme: list[ReachRow] | None = Field(description="null within one project, where it does not apply.")
    by_project: list[ReachRow] | None = Field(description="null within one project, where it does not apply.")
    by_region: list[ReachRow]
    by_month: list[ReachRow] = Field(description="Every month from the first to the last, gaps as zeros.")
