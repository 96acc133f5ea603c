"""A page of search results: the films, the correction the search made, and the facet counts."""

from ninja import Schema

from .catalogue_schemas import FilmPage


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
