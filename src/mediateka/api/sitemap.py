"""sitemap.xml: every public page in each language with its hreflang alternates, and for each film the
video sitemap extension (thumbnail, title, description, MP4, player, duration, publication date).

Written as a template because django.contrib.sitemaps has no video tags and gives an alternate only
per language of one URL list, not the video of each language's page.
"""

from django.conf import settings
from django.db.models import Max, Prefetch
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from mediateka.catalogue.models import Collection, Film
from mediateka.mission.translated import shown
from mediateka.video.access import public_url
from mediateka.video.models import Video

LANGUAGES = [code for code, _name in settings.LANGUAGES]
TITLE_MAX = 100  # the video extension's limits
DESCRIPTION_MAX = 2048
DURATION_MAX = 28800


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class _Page:
    def __init__(self, urls: dict[str, str], lastmod=None, video=None):
        self.urls = urls  # language -> absolute URL
        self.lastmod = lastmod
        self.video = video  # language -> dict for video:video, or None

    def entries(self):
        alternates = [{"language": lang, "url": url} for lang, url in self.urls.items()]
        for language, url in self.urls.items():
            yield {
                "loc": url,
                "lastmod": self.lastmod,
                "alternates": alternates,
                "default": self.urls.get(settings.LANGUAGE_CODE),
                "video": self.video(language) if self.video else None,
            }


def _urls(request, name: str, *args) -> dict[str, str]:
    urls = {}
    for language in LANGUAGES:
        with translation.override(language):
            urls[language] = request.build_absolute_uri(reverse(name, args=args))
    return urls


def _film_video(request, film):
    def video(language: str) -> dict | None:
        videos = film.playable
        chosen = next((v for v in videos if v.language == language), videos[0] if videos else None)
        if chosen is None:
            return None
        encoding = chosen.current_encoding
        title = shown(film, "title", language).text
        title = f"[{title}]" if film.title_is_devised else title
        with translation.override(language):
            player = request.build_absolute_uri(reverse("embed", args=[film.slug])) + f"?lang={language}"
        duration = round(chosen.duration or 0)
        return {
            "thumbnail": request.build_absolute_uri(public_url(encoding.path(encoding.poster))),
            "title": _cut(title, TITLE_MAX),
            "description": _cut(shown(film, "synopsis", language).text or title, DESCRIPTION_MAX),
            "content": request.build_absolute_uri(public_url(encoding.path(encoding.download))),
            "player": player,
            "duration": duration if 1 <= duration <= DURATION_MAX else None,
            "published": film.published_at,
        }

    return video


def sitemap(request):
    pages = [_Page(_urls(request, name)) for name in ("web:home", "web:films", "web:mission")]
    newest = Film.objects.listed().aggregate(newest=Max("updated_at"))["newest"]
    pages[1].lastmod = newest
    for collection in Collection.objects.public().order_by("slug"):
        pages.append(_Page(_urls(request, "web:collection", collection.slug)))
    videos = Video.objects.playable().select_related("current_encoding").order_by("language")
    films = (
        Film.objects.listed()
        .order_by("-published_at", "pk")
        .prefetch_related(Prefetch("videos", queryset=videos, to_attr="playable"))
    )
    for film in films:
        pages.append(
            _Page(_urls(request, "web:film", film.slug), film.updated_at, _film_video(request, film))
        )
    entries = (entry for page in pages for entry in page.entries())
    return render(
        request, "api/sitemap.xml", {"entries": entries}, content_type="application/xml; charset=utf-8"
    )
