"""sitemap.xml: every public page in each language with its hreflang alternates, and for each film the
video sitemap extension (thumbnail, title, description, MP4, player, duration, publication date).

Written by hand rather than with django.contrib.sitemaps, which has no video tags and gives each
language its own URL list. Films are read as rows and the XML is joined from strings: with thousands
of films, model objects and a template loop would cost seconds; the response is cached (api.cache).
"""

from xml.sax.saxutils import escape, quoteattr

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import translation

from mediateka.api.cache import cached
from mediateka.api.language import text
from mediateka.catalogue.models import Collection, Film
from mediateka.mission.translated import LANGUAGES
from mediateka.video.access import public_url
from mediateka.video.models import Video

TITLE_MAX = 100  # the video extension's limits
DESCRIPTION_MAX = 2048
DURATION_MAX = 28800
_SLUG = "__slug__"
HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    ' xmlns:xhtml="http://www.w3.org/1999/xhtml" xmlns:video="http://www.google.com/schemas/sitemap-video/1.1">\n'
)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _localised(request, name: str, *args) -> dict[str, str]:
    urls = {}
    for language in LANGUAGES:
        with translation.override(language):
            urls[language] = request.build_absolute_uri(reverse(name, args=args))
    return urls


def _entries(urls: dict[str, str], lastmod=None, video=None):
    links = "".join(
        f'\n<xhtml:link rel="alternate" hreflang="{lang}" href={quoteattr(url)}/>'
        for lang, url in urls.items()
    )
    default = urls.get(settings.LANGUAGE_CODE)
    if default:
        links += f'\n<xhtml:link rel="alternate" hreflang="x-default" href={quoteattr(default)}/>'
    stamp = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
    for language, url in urls.items():
        tags = video(language) if video else ""
        yield f"<url><loc>{escape(url)}</loc>{stamp}{links}{tags}</url>\n"


def _media(request, path: str) -> str:
    url = public_url(path)
    return url if url.startswith(("http://", "https://")) else request.build_absolute_uri(url)


def _video_tags(request, film: dict, videos: list[dict], players: dict[str, str]):
    def tags(language: str) -> str:
        chosen = next((v for v in videos if v["language"] == language), videos[0] if videos else None)
        if chosen is None:
            return ""
        base = f"encodings/{chosen['current_encoding__prefix']}/"  # as Encoding.path() writes it
        title = text(film, "title", language)["text"]
        title = f"[{title}]" if film["title_is_devised"] else title
        description = text(film, "synopsis", language)["text"] or title
        duration = round(chosen["duration"] or 0)
        poster = _media(request, base + chosen["current_encoding__poster"])
        download = _media(request, base + chosen["current_encoding__download"])
        parts = [
            f"<video:thumbnail_loc>{escape(poster)}</video:thumbnail_loc>",
            f"<video:title>{escape(_cut(title, TITLE_MAX))}</video:title>",
            f"<video:description>{escape(_cut(description, DESCRIPTION_MAX))}</video:description>",
            f"<video:content_loc>{escape(download)}</video:content_loc>",
            f"<video:player_loc>{escape(players[language])}</video:player_loc>",
        ]
        if 1 <= duration <= DURATION_MAX:
            parts.append(f"<video:duration>{duration}</video:duration>")
        if film["published_at"]:
            parts.append(
                f"<video:publication_date>{film['published_at'].isoformat()}</video:publication_date>"
            )
        return "\n<video:video>" + "".join(parts) + "</video:video>"

    return tags


@cached
def sitemap(request):
    parts = [HEAD]
    for name in ("web:home", "web:films", "web:mission"):
        parts += _entries(_localised(request, name))
    for slug in Collection.objects.public().order_by("slug").values_list("slug", flat=True):
        parts += _entries(_localised(request, "web:collection", slug))
    pages = _localised(request, "web:film", _SLUG)
    player = request.build_absolute_uri(reverse("embed", args=[_SLUG]))
    columns = ["id", "slug", "title_is_devised", "published_at", "updated_at"]
    columns += [f"{field}_{lang}" for field in ("title", "synopsis") for lang in LANGUAGES]
    films = list(Film.objects.listed().order_by("-published_at", "pk").values(*columns))
    videos: dict[int, list[dict]] = {}
    playable = Video.objects.playable().filter(film__in=Film.objects.listed()).order_by("language")
    for video in playable.values(
        "film_id",
        "language",
        "duration",
        "current_encoding__prefix",
        "current_encoding__poster",
        "current_encoding__download",
    ):
        videos.setdefault(video["film_id"], []).append(video)
    for film in films:
        urls = {lang: url.replace(_SLUG, film["slug"]) for lang, url in pages.items()}
        players = {lang: player.replace(_SLUG, film["slug"]) + f"?lang={lang}" for lang in LANGUAGES}
        tags = _video_tags(request, film, videos.get(film["id"], []), players)
        parts += _entries(urls, film["updated_at"], tags)
    parts.append("</urlset>\n")
    return HttpResponse("".join(parts), content_type="application/xml; charset=utf-8")
