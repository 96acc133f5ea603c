"""Routes under the language prefixes: /ru/feeds/films.rss is the Russian feed."""

from django.urls import path

from . import feeds

urlpatterns = [
    path("feeds/films.rss", feeds.FilmFeed(), name="feed-rss"),
    path("feeds/films.atom", feeds.AtomFilmFeed(), name="feed-atom"),
    path("feeds/themes/<slug:theme>.rss", feeds.FilmFeed(), name="theme-feed-rss"),
    path("feeds/themes/<slug:theme>.atom", feeds.AtomFilmFeed(), name="theme-feed-atom"),
]
