"""Embedding: `/embed/<film>` is the film's player alone, for partners' pages; `/oembed` describes it.

Only the embed page may be framed by other sites (ops.csp.embeddable).
"""

from urllib.parse import parse_qs, urlsplit

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.html import escape
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from mediateka.api.language import LANGUAGES, requested_language
from mediateka.catalogue.models import Film
from mediateka.ops.csp import embeddable
from mediateka.video.playback import versions_of
from mediateka.video.player import player_context

from .structured import poster_size

DEFAULT_WIDTH = 640
MAX_WIDTH = 1920
# Below the picture in the embed: the quality (and language) chooser and the attribution line, in
# CSS pixels; the picture shrinks to leave them this much in any frame (embed.css).
BELOW_THE_PICTURE = 96
# Narrower than this, the quality chooser no longer fits beside nothing: such a box is refused.
MIN_WIDTH = 160


@require_safe
@embeddable
def embed(request, slug: str):
    language = requested_language(request, request.GET.get("lang"))
    film = get_object_or_404(Film.objects.public().prefetch_related("themes"), slug=slug)
    with translation.override(language):
        versions = versions_of(film, language)
        context = {"film": film, "embedded": True, **player_context(request, versions, language)}
        context["page_url"] = request.build_absolute_uri(film.get_absolute_url())
        response = render(request, "syndication/embed.html", context)
    response["Content-Language"] = language
    patch_vary_headers(response, ["Accept-Language", "Save-Data"])
    return response


def _film_from_url(url: str) -> tuple[Film, str | None]:
    """The film a film page or embed address shows, and the language that address asks for, if any."""
    parts = urlsplit(url)
    language = translation.get_language_from_path(parts.path)
    try:
        # The film pages' prefix resolves only while its language is active.
        with translation.override(language or settings.LANGUAGE_CODE):
            match = resolve(parts.path)
    except Resolver404:
        raise Http404 from None
    if match.view_name not in ("web:film", "embed"):
        raise Http404
    film = get_object_or_404(Film.objects.public(), slug=match.kwargs.get("slug"))
    if match.view_name == "embed":  # /embed/<slug>?lang=ru: no prefix, the language in its query
        asked = parse_qs(parts.query).get("lang", [""])[0][:2].lower()
        language = asked if asked in LANGUAGES else None
    return film, language


def _dimensions(request, film_versions) -> tuple[int, int] | None:
    """The player's box: the picture at DEFAULT_WIDTH with the chooser and attribution below it, shrunk
    to maxwidth/maxheight if asked; None when the asked box cannot hold the player."""
    video = film_versions[0].video if film_versions else None
    aspect = (video.width / video.height) if video and video.width and video.height else 16 / 9
    width = DEFAULT_WIDTH
    for name, limit in (("maxwidth", MAX_WIDTH), ("maxheight", MAX_WIDTH)):
        value = request.GET.get(name, "")
        if value.isdigit() and int(value) > 0:
            bound = min(int(value), limit)
            if name == "maxheight":
                bound = int(max(bound - BELOW_THE_PICTURE, 1) * aspect)
            width = min(width, bound)
    if width < MIN_WIDTH:
        return None
    return width, round(width / aspect) + BELOW_THE_PICTURE


@require_safe
def oembed(request):
    """oEmbed 1.0 (https://oembed.com/) for a film page or embed address; JSON only."""
    if request.GET.get("format", "json") != "json":
        return HttpResponse("Only format=json is offered.", status=501, content_type="text/plain")
    film, language = _film_from_url(request.GET.get("url", ""))
    # The address's own language first (a partner pasting a /ru/ page wants the Russian player), then
    # the consumer's `lang`, then Accept-Language.
    language = language or requested_language(request, request.GET.get("lang"))
    with translation.override(language):
        versions = versions_of(film)
        box = _dimensions(request, versions)
        if box is None:
            # oEmbed's answer when the asked size cannot be met: not implemented.
            message = (
                f"The player does not fit in a box this small: it needs {MIN_WIDTH} pixels of width, "
                f"and {BELOW_THE_PICTURE} pixels of height below its picture for the quality chooser."
            )
            return HttpResponse(message, status=501, content_type="text/plain")
        width, height = box
        embed_url = request.build_absolute_uri(reverse("embed", args=[film.slug]))
        src = f"{embed_url}?lang={language}"
        data = {
            "version": "1.0",
            "type": "video",
            "provider_name": gettext("Mediateka"),
            "provider_url": request.build_absolute_uri("/"),
            "title": film.display_title,
            "html": (
                f'<iframe src="{src}" width="{width}" height="{height}" title="{escape(film.display_title)}" '
                'style="border:0" allow="fullscreen; picture-in-picture" allowfullscreen loading="lazy">'
                "</iframe>"
            ),
            "width": width,
            "height": height,
        }
        if versions:
            data["thumbnail_url"] = request.build_absolute_uri(versions[0].poster_url)
            data["thumbnail_width"], data["thumbnail_height"] = poster_size(versions[0].video)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Language"] = language
    patch_vary_headers(response, ["Accept-Language"])
    return response
