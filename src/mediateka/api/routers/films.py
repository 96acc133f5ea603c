"""Films: the list with its filters, and one film with its versions, rungs and captions."""

from typing import Annotated, Literal

from django.shortcuts import get_object_or_404
from django.utils import translation
from ninja import Field as NinjaField
from ninja import Query, Router, Schema

from mediateka.catalogue.models import CatalogueState, Film
from mediateka.mission.translated import LANGUAGES
from mediateka.video.models import Video

from .. import catalogue_schemas as cat
from .. import schemas
from ..cache import cached
from ..language import requested_language
from ..paging import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, paginate
from ..present import FilmRows, Presenter, film_for_detail, last_modified
from ..respond import json_response

router = Router(tags=["films"])

NOT_MODIFIED = {304: None, 422: schemas.Error}


class FilmFilters(Schema):
    theme: list[schemas.Key] = NinjaField(default_factory=list, description="Theme keys; any of them.")
    kind: list[Film.Kind] = NinjaField(default_factory=list)
    collection: list[schemas.Key] = NinjaField(
        default_factory=list, description="Collection slugs; any of them."
    )
    year: list[Annotated[int, NinjaField(ge=1800, le=2200)]] = NinjaField(default_factory=list)
    spoken: list[Literal["tg", "ru", "en", "uz", "zxx"]] = NinjaField(
        default_factory=list, description="Spoken languages of a version."
    )
    captions: list[Literal[LANGUAGES]] = NinjaField(
        default_factory=list, description="Languages of captions."
    )

    def apply(self, films):
        if self.theme:
            films = films.filter(themes__key__in=self.theme)
        if self.kind:
            films = films.filter(kind__in=self.kind)
        if self.collection:
            films = films.filter(collection__slug__in=self.collection, collection__status="published")
        if self.year:
            films = films.filter(year__in=self.year)
        if self.spoken:
            films = films.filter(
                pk__in=Video.objects.playable().filter(language__in=self.spoken).values("film")
            )
        if self.captions:
            with_captions = Video.objects.playable().filter(captions__language__in=self.captions)
            films = films.filter(pk__in=with_captions.values("film"))
        # A film with two chosen themes would otherwise come twice.
        return films.distinct() if self.theme else films


@router.get(
    "/films",
    response={200: cat.FilmPage, **NOT_MODIFIED, 422: schemas.Error},
    summary="Published films, newest first",
    operation_id="films_list",
)
@cached
def film_list(
    request,
    filters: Query[FilmFilters],
    page: int = Query(1, ge=1, le=1_000_000),
    page_size: int = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE),
    lang: str | None = Query(None, description="en, ru or tg; else Accept-Language decides."),
):
    language = requested_language(request, lang)
    rows = FilmRows(filters.apply(Film.objects.listed()))
    data = paginate(request, rows, rows.count(), page, page_size)
    # Every change the API shows (also a film leaving the list, or a renamed theme) moves this time.
    stamp = CatalogueState.objects.changed_at()
    with translation.override(language):
        return json_response(
            request,
            cat.FilmPage,
            {**data, "language": language},
            language=language,
            context=Presenter(request, language).context(),
            last_modified=stamp,
        )


@router.get(
    "/films/{slug}",
    response={200: cat.FilmResult, 404: schemas.Error, **NOT_MODIFIED, 422: schemas.Error},
    summary="One film: versions, rungs, captions, credits, project and collection",
    operation_id="films_detail",
    url_name="film",
)
@cached
def film_detail(request, slug: schemas.Key, lang: str | None = None):
    language = requested_language(request, lang)
    # Unlisted films are reachable by their address, here as on the site; drafts and archived are not.
    film = get_object_or_404(film_for_detail(Film.objects.public()), slug=slug)
    with translation.override(language):
        return json_response(
            request,
            cat.FilmResult,
            {"language": language, "result": film},
            language=language,
            context=Presenter(request, language).context(),
            last_modified=last_modified([film]),
        )
