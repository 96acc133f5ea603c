from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers

from mediateka.catalogue.credit_line import project_credit_line
from mediateka.catalogue.models import Collection, Film
from mediateka.mission.translated import shown
from mediateka.ops.page_cache import public_page
from mediateka.outreach.views.public import WITH_REACH
from mediateka.video.playback import versions_of
from mediateka.video.player import player_context

from ..forms import FilmFilterForm
from .offline import offline_choices

FILMS_PER_PAGE = 12


@public_page()
def film_list(request):
    form = FilmFilterForm(request.GET or None)
    films = form.filter(Film.objects.listed().for_listing())
    page = Paginator(films, FILMS_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "web/film_list.html", {"form": form, "page": page, "query": query.urlencode()})


# The page says how often the film was shown, hence the reach version.
@public_page(vary=("Save-Data",), states=WITH_REACH)
def film_detail(request, slug):
    film = get_object_or_404(
        Film.objects.visible_to(request.user)
        .select_related("collection", "project__area")
        .prefetch_related("themes", "credits__organisation", "project__participations__organisation"),
        slug=slug,
    )
    versions = versions_of(film, request.LANGUAGE_CODE)
    response = render(
        request,
        "web/film_detail.html",
        {
            "film": film,
            "synopsis": shown(film, "synopsis"),
            "credit_line": project_credit_line(film.project),
            "preview": not film.is_public,
            # Only a public film is offered for saving: a draft's media addresses expire.
            "offline": offline_choices(versions) if film.is_public else None,
            **player_context(request, versions, request.LANGUAGE_CODE),
        },
    )
    patch_vary_headers(response, ["Save-Data"])
    return response


@public_page()
def collection_detail(request, slug):
    collection = get_object_or_404(
        Collection.objects.prefetch_related("credits__organisation", "project__participations__organisation"),
        slug=slug,
    )
    is_staff_preview = request.user.is_staff and request.user.has_perm("catalogue.view_collection")
    if collection.status != "published" and not is_staff_preview:
        raise Http404
    films = collection.films.listed().for_listing().order_by("collection_position", "title")
    return render(
        request,
        "web/collection_detail.html",
        {
            "collection": collection,
            "description": shown(collection, "description"),
            "credit_line": project_credit_line(collection.project),
            "films": films,
            "preview": collection.status != "published",
        },
    )
