"""RSS 2.0 and Atom feeds of newly published films, per language (the URL prefix) and per theme.

Each item carries the film's download MP4 (360p, or the source's size if smaller) as its enclosure,
so that podcast-style clients and TV channels' ingest tools can fetch the film itself.
"""

import copy

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.translation import get_language, gettext

from mediateka.catalogue.models import Film, Theme
from mediateka.mission.translated import shown
from mediateka.video.access import public_url
from mediateka.video.models import Video

ITEMS = 50


class FilmFeed(Feed):
    feed_type = Rss201rev2Feed
    extension = "rss"

    def __call__(self, request, *args, **kwargs):
        # One Feed instance serves every thread; the enclosures need this request's host, so each
        # request gets its own copy to hold it.
        feed = copy.copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def get_object(self, request, theme: str | None = None):
        return get_object_or_404(Theme, key=theme) if theme else None

    def title(self, theme):
        site = gettext("Mediateka")
        if theme is None:
            return gettext("%(site)s: new films") % {"site": site}
        return gettext("%(site)s: new films on %(theme)s") % {
            "site": site,
            "theme": shown(theme, "name").text,
        }

    def description(self, theme):
        return gettext("Films on safe labour migration, human trafficking and migrants' health.")

    def link(self, theme):
        url = reverse("web:films")
        return f"{url}?theme={theme.key}" if theme else url

    def feed_url(self, theme):
        name = f"feed-{self.extension}" if theme is None else f"theme-feed-{self.extension}"
        return reverse(name, kwargs={"theme": theme.key} if theme else {})

    def author_name(self, theme):
        # Atom wants an author for the feed or each entry; the library itself is the publisher.
        return gettext("Mediateka")

    def items(self, theme):
        films = Film.objects.listed().exclude(published_at=None)
        if theme is not None:
            films = films.filter(themes=theme)
        videos = Video.objects.playable().select_related("current_encoding").order_by("language")
        return films.order_by("-published_at", "pk").prefetch_related(
            Prefetch("videos", queryset=videos, to_attr="playable")
        )[:ITEMS]

    def item_title(self, film):
        title = shown(film, "title").text
        return f"[{title}]" if film.title_is_devised else title

    def item_description(self, film):
        return shown(film, "synopsis").text or self.item_title(film)

    def item_link(self, film):
        return film.get_absolute_url()

    def item_guid(self, film):
        return self.request.build_absolute_uri(film.get_absolute_url())

    item_guid_is_permalink = True

    def item_pubdate(self, film):
        return film.published_at

    def item_updateddate(self, film):
        return film.updated_at

    def item_enclosures(self, film):
        language = get_language()
        video = next(
            (v for v in film.playable if v.language == language), film.playable[0] if film.playable else None
        )
        if video is None:
            return []
        encoding = video.current_encoding
        url = self.request.build_absolute_uri(public_url(encoding.path(encoding.download)))
        return [Enclosure(url, str(encoding.download_bytes), "video/mp4")]


class AtomFilmFeed(FilmFeed):
    feed_type = Atom1Feed
    extension = "atom"
    subtitle = FilmFeed.description
