"""Search: the site's own search function (ranked, with facets and "did you mean"), as JSON."""

from django.utils import translation
from ninja import Query, Router

from mediateka.catalogue.models import CatalogueState, Film
from mediateka.search.query import search

from .. import schemas, search_schemas
from ..cache import cached
from ..language import requested_language
from ..paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, page_link
from ..present import FilmRows, Presenter
from ..respond import json_response
from .films import FilmFilters

router = Router(tags=["films"])


@router.get(
    "/search",
    response={200: search_schemas.SearchPage, 304: None, 422: schemas.Error},
    summary="Search published films in any of the three languages",
    description="The words match titles, synopses, themes, credits and captions, in English, Russian or "
    "Tajik, in Cyrillic or Latin letters. The filters narrow the results; `facets` counts what each "
    "filter value would give.",
    operation_id="films_search",
)
@cached
def film_search(
    request,
    filters: Query[FilmFilters],
    q: str = Query("", max_length=1000),
    page: int = Query(1, ge=1, le=1_000_000),
    page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
    lang: str | None = None,
    literal: bool = Query(False, description="Search the words exactly as typed, without correcting them."),
):
    language = requested_language(request, lang)
    with translation.override(language):
        found = search(q, request.GET, page=page, per_page=page_size, language=language, correct=not literal)
        ids = [hit.film.pk for hit in found.hits]
        rows = {row.id: row for row in FilmRows(Film.objects.listed().filter(pk__in=ids))[:]}
        ranked = [rows[pk] for pk in ids if pk in rows]
        pages = max(found.pages, 1)
        data = {
            "language": language,
            "query": q,
            "count": found.total,
            "page": found.page,
            "pages": pages,
            "page_size": page_size,
            "next": page_link(request, found.page + 1) if found.page < found.pages else None,
            "previous": page_link(request, found.page - 1) if found.page > 1 else None,
            "did_you_mean": found.did_you_mean,
            "corrected_to": found.query if found.corrected else None,
            "facets": [
                {
                    "name": facet.name,
                    "label": str(facet.label),
                    "values": [
                        {"value": v.value, "label": str(v.label), "count": v.count, "selected": v.selected}
                        for v in facet.values
                    ],
                }
                for facet in found.facets
            ],
            "results": ranked,
        }
        return json_response(
            request,
            search_schemas.SearchPage,
            data,
            language=language,
            context=Presenter(request, language).context(),
            last_modified=CatalogueState.objects.changed_at(),
        )
