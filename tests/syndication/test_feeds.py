"""RSS 2.0 and Atom feeds: well-formed for feedparser, per language and theme, MP4 enclosures."""

import feedparser
import pytest

from mediateka.catalogue.models import Status, Theme


def _parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


@pytest.mark.parametrize("url", ["/en/feeds/films.rss", "/en/feeds/films.atom"])
def test_feed_parses_cleanly_and_encloses_the_download_mp4(client, make_film, url):
    make_film("first")
    feed = _parse(client, url)
    (entry,) = feed.entries
    assert entry.link == "http://testserver/en/films/first/"
    (enclosure,) = entry.enclosures
    assert enclosure.href.startswith("http://testserver/media/encodings/") and enclosure.href.endswith(
        "/download.mp4"
    )
    assert enclosure.type == "video/mp4"
    assert int(enclosure.length) == 1_234_567


def test_feed_speaks_the_language_of_its_prefix(client, make_film):
    make_film("first", title_ru="Первый", synopsis_ru="О безопасной миграции.")
    feed = _parse(client, "/ru/feeds/films.rss")
    assert feed.feed.language == "ru"
    assert feed.entries[0].title == "Первый"
    assert feed.entries[0].link == "http://testserver/ru/films/first/"


def test_theme_feed_holds_only_that_themes_films(client, make_film):
    health = Theme.objects.create(key="health", name_en="Health")
    make_film("in-theme").themes.set([health])
    make_film("elsewhere")
    feed = _parse(client, "/en/feeds/themes/health.atom")
    assert [e.link for e in feed.entries] == ["http://testserver/en/films/in-theme/"]
    assert "Health" in feed.feed.title
    assert client.get("/en/feeds/themes/no-such-theme.rss").status_code == 404


def test_newest_films_come_first(client, make_film):
    make_film("newer")  # make_film publishes each film a minute before the one made before it
    make_film("older")
    links = [e.link for e in _parse(client, "/en/feeds/films.rss").entries]
    assert links == ["http://testserver/en/films/newer/", "http://testserver/en/films/older/"]


@pytest.mark.parametrize("status", [Status.DRAFT, Status.ARCHIVED, Status.UNLISTED])
@pytest.mark.parametrize(
    "url", ["/en/feeds/films.rss", "/tg/feeds/films.atom", "/en/feeds/themes/health.rss"]
)
def test_draft_archived_and_unlisted_films_are_not_in_feeds(client, make_film, status, url):
    health = Theme.objects.create(key="health", name_en="Health")
    make_film("shown").themes.set([health])
    make_film("hidden", status=status, published_at="2020-01-01T00:00Z").themes.set([health])
    body = client.get(url).content.decode()
    assert "/films/shown/" in body
    assert "hidden" not in body
