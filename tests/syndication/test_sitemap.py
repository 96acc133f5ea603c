"""sitemap.xml: valid against the sitemap and video-sitemap schemas, with hreflang alternates."""

import pytest

from mediateka.catalogue.models import Collection, Status

from .xml import validate

NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "x": "http://www.w3.org/1999/xhtml",
    "v": "http://www.google.com/schemas/sitemap-video/1.1",
}


def _sitemap(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    return validate(response.content, "sitemap.xsd")


def test_sitemap_validates_and_gives_each_film_page_its_language_alternates(client, make_film):
    make_film("first", title_en="A title " + "long " * 40, synopsis_en="x" * 3000)
    make_film("silent", video=False)
    root = _sitemap(client)
    urls = {u.findtext("s:loc", namespaces=NS): u for u in root.findall("s:url", NS)}
    russian = urls["http://testserver/ru/films/first/"]
    alternates = {link.get("hreflang"): link.get("href") for link in russian.findall("x:link", NS)}
    assert alternates == {
        "en": "http://testserver/en/films/first/",
        "ru": "http://testserver/ru/films/first/",
        "tg": "http://testserver/tg/films/first/",
        "x-default": "http://testserver/en/films/first/",
    }
    video = russian.find("v:video", NS)
    assert video.findtext("v:content_loc", namespaces=NS).endswith("/download.mp4")
    assert video.findtext("v:player_loc", namespaces=NS) == "http://testserver/embed/first?lang=ru"
    assert video.findtext("v:duration", namespaces=NS) == "95"
    assert len(video.findtext("v:title", namespaces=NS)) <= 100
    assert urls["http://testserver/en/films/silent/"].find("v:video", NS) is None
    assert "http://testserver/tg/" in urls


@pytest.mark.parametrize("status", [Status.DRAFT, Status.ARCHIVED, Status.UNLISTED])
def test_draft_archived_and_unlisted_films_are_not_in_the_sitemap(client, make_film, status):
    make_film("shown")
    make_film("hidden", status=status)
    Collection.objects.create(slug="draft-series", title_en="Draft series", status=Status.DRAFT)
    body = client.get("/sitemap.xml").content.decode()
    assert "/films/shown/" in body
    assert "hidden" not in body and "draft-series" not in body
