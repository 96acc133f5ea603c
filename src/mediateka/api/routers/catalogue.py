"""Collections and themes."""

from django.db.models import Count, Max, Q
from django.shortcuts import get_object_or_404
from django.utils import translation
from ninja import Query, Router

from mediateka.catalogue.models import CatalogueState, Collection, Status, Theme

from .. import catalogue_schemas as cat
from .. import schemas
from ..cache import cached
from ..language import requested_language
from ..paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, paginate
from ..present import Presenter
from ..respond import json_response

router = Router(tags=["catalogue"])


def _collections():
    return (
        Collection.objects.public()
        .select_related("project")
        .prefetch_related("themes")
        .annotate(listed_films=Count("films", filter=Q(films__status=Status.PUBLISHED)))
        .order_by("title", "pk")
    )


@router.get(
    "/collections",
    response={200: cat.CollectionPage, 304: None, 422: schemas.Error},
    summary="Published collections (series)",
    operation_id="collections_list",
)
@cached
def collection_list(
    request,
    page: int = Query(1, ge=1, le=1_000_000),
    page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
    lang: str | None = None,
):
    language = requested_language(request, lang)
    collections = _collections()
    data = paginate(request, collections, Collection.objects.public().count(), page, page_size)
    with translation.override(language):
        return json_response(
            request,
            cat.CollectionPage,
            {**data, "language": language},
            language=language,
            context=Presenter(request, language).context(),
            last_modified=CatalogueState.objects.changed_at(),
        )


@router.get(
    "/collections/{slug}",
    response={200: cat.CollectionResult, 404: schemas.Error, 304: None, 422: schemas.Error},
    summary="One published collection",
    operation_id="collections_detail",
    url_name="collection",
)
@cached
def collection_detail(request, slug: schemas.Key, lang: str | None = None):
    language = requested_language(request, lang)
    collection = get_object_or_404(_collections(), slug=slug)
    newest = collection.films.filter(status=Status.PUBLISHED).aggregate(newest=Max("updated_at"))["newest"]
    with translation.override(language):
        return json_response(
            request,
            cat.CollectionResult,
            {"language": language, "result": collection},
            language=language,
            context=Presenter(request, language).context(),
            last_modified=newest,
        )


@router.get(
    "/themes",
    response={200: cat.ThemeList, 304: None, 422: schemas.Error},
    summary="Every theme",
    operation_id="themes_list",
)
@cached
def theme_list(request, lang: str | None = None):
    language = requested_language(request, lang)
    with translation.override(language):
        return json_response(
            request,
            cat.ThemeList,
            {"language": language, "results": Theme.objects.all()},
            language=language,
            context=Presenter(request, language).context(),
        )
