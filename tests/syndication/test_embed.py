"""The embed page (the player alone, frameable) and oEmbed with its discovery link."""

import pytest

from mediateka.catalogue.models import Status
from mediateka.syndication.embed import BELOW_THE_PICTURE


def test_embed_page_is_the_player_and_may_be_framed(client, rich_film):
    response = client.get("/embed/every-one-of-us?lang=tg")
    html = response.content.decode()
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response.get("Content-Security-Policy", "frame-ancestors *")
    assert "data-player" in html and "<video" in html
    assert 'class="top"' not in html  # no site header
    assert '<link rel="canonical" href="http://testserver/tg/films/every-one-of-us/">' in html


def test_only_the_embed_page_may_be_framed(client, rich_film):
    page = client.get("/en/films/every-one-of-us/")
    assert page["X-Frame-Options"] == "DENY"
    assert "frame-ancestors *" not in page.get("Content-Security-Policy", "")


@pytest.mark.parametrize("status", [Status.DRAFT, Status.ARCHIVED])
def test_draft_and_archived_films_cannot_be_embedded(client, make_film, status):
    make_film("hidden", status=status)
    assert client.get("/embed/hidden").status_code == 404
    assert client.get("/oembed?url=http://testserver/en/films/hidden/").status_code == 404


def test_oembed_describes_the_embed_player(client, rich_film):
    response = client.get("/oembed?url=http://testserver/ru/films/every-one-of-us/&maxwidth=320")
    data = response.json()
    assert data["version"] == "1.0" and data["type"] == "video"
    assert data["title"] == "Every One of Us"
    assert (data["width"], data["height"]) == (320, 180 + BELOW_THE_PICTURE)  # the chooser below the picture
    assert 'src="http://testserver/embed/every-one-of-us?lang=' in data["html"]
    assert data["thumbnail_url"].endswith("/poster.jpg")
    assert (data["thumbnail_width"], data["thumbnail_height"]) == (640, 360)


def test_oembed_refuses_other_addresses_and_formats(client, rich_film):
    assert client.get("/oembed?url=http://testserver/en/mission/").status_code == 404
    assert client.get("/oembed?url=http://testserver/en/films/every-one-of-us/&format=xml").status_code == 501


def test_film_page_links_its_oembed(client, rich_film):
    html = client.get("/en/films/every-one-of-us/").content.decode()
    assert (
        '<link rel="alternate" type="application/json+oembed" '
        'href="http://testserver/oembed?url=http%3A%2F%2Ftestserver%2Fen%2Ffilms%2Fevery-one-of-us%2F&amp;format=json"'
    ) in html


@pytest.fixture
def titled(make_film):
    return make_film(
        "mehrubon", title_en="Mehrubon", title_ru="Мехрубон: рассказ мигранта", title_tg="Меҳрубон"
    )


@pytest.mark.parametrize(
    ("url", "language", "title"),
    [
        ("http://testserver/ru/films/mehrubon/", "ru", "Мехрубон: рассказ мигранта"),
        ("http://testserver/tg/films/mehrubon/", "tg", "Меҳрубон"),
        ("http://testserver/embed/mehrubon?lang=ru", "ru", "Мехрубон: рассказ мигранта"),
    ],
    ids=["ru-page", "tg-page", "ru-embed"],
)
def test_oembed_answers_in_the_language_of_the_address_it_is_given(client, titled, url, language, title):
    # The address's language wins over the consumer's Accept-Language and its own lang.
    response = client.get("/oembed", {"url": url, "lang": "en"}, HTTP_ACCEPT_LANGUAGE="en")
    data = response.json()
    assert response["Content-Language"] == language
    assert data["title"] == title
    assert f'src="http://testserver/embed/mehrubon?lang={language}"' in data["html"]
    assert f'title="{title}"' in data["html"]


def test_oembed_of_an_address_without_a_language_follows_accept_language(client, titled):
    response = client.get(
        "/oembed", {"url": "http://testserver/embed/mehrubon"}, HTTP_ACCEPT_LANGUAGE="ru;q=0.9, en;q=0.5"
    )
    assert response.json()["title"] == "Мехрубон: рассказ мигранта"
    assert client.get("/oembed", {"url": "http://testserver/embed/mehrubon"}).json()["title"] == "Mehrubon"


def test_oembed_maxheight_holds_the_picture_and_what_is_below_it(client, rich_film):
    data = client.get("/oembed?url=http://testserver/en/films/every-one-of-us/&maxheight=300").json()
    assert data["height"] <= 300 and (data["width"], data["height"]) == (362, 300)


def test_the_embed_and_oembed_answer_head_as_link_checkers_ask(client, rich_film):
    assert client.head("/embed/every-one-of-us?lang=tg").status_code == 200
    assert client.head("/oembed?url=http://testserver/en/films/every-one-of-us/").status_code == 200
    assert client.post("/embed/every-one-of-us").status_code == 405


@pytest.mark.parametrize("asked", ["maxheight=50", "maxheight=120", "maxwidth=100"])
def test_oembed_refuses_a_box_too_small_for_the_player_rather_than_overflow_it(client, rich_film, asked):
    response = client.get(f"/oembed?url=http://testserver/en/films/every-one-of-us/&{asked}")
    assert response.status_code == 501
    assert "does not fit in a box this small" in response.content.decode()
