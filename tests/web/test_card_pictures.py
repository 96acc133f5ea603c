"""Pictures on the film cards and the film page's poster: small, lazy, sized, and never a draft's."""

import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from mediateka.catalogue.models import Film

from .test_player_page import MEHRUBON, _Page, ready_video

CARD_BYTES = 4 * 1024  # a card's picture: a few kilobytes


@pytest.fixture
def mehrubon(demo):
    return Film.objects.get(slug=MEHRUBON)


def _cards(html: str) -> list[str]:
    return re.findall(r'<li class="card">.*?</li>', html, flags=re.DOTALL)


def _card_of(html: str, film: Film) -> str:
    [card] = [card for card in _cards(html) if film.get_absolute_url() in card]
    return card


@pytest.mark.parametrize("path", ["/en/", "/en/films/"])
def test_a_card_carries_its_films_small_picture_lazily_with_its_size(client, mehrubon, playable, path):
    encoding = playable(mehrubon, "tg").current_encoding
    assert encoding.still_sizes == [(160, 120), (320, 240)]  # the shared film is 320x240, as its poster
    card = _card_of(client.get(path).content.decode(), mehrubon)
    [img] = _Page(card).all("img")
    prefix = f"/media/encodings/{encoding.prefix}"
    assert img["src"] == f"{prefix}/still-160.jpg"
    assert (img["width"], img["height"]) == ("160", "120")
    assert img["loading"] == "lazy" and img["alt"] == ""
    assert img["srcset"] == f"{prefix}/still-160.jpg 160w, {prefix}/still-320.jpg 320w"  # sharper screens
    response = client.get(img["src"])
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    picture = b"".join(response.streaming_content)
    assert picture[:3] == b"\xff\xd8\xff"
    assert len(picture) <= CARD_BYTES, len(picture)


def test_a_film_without_a_picture_shows_a_placeholder_that_asks_for_nothing(client, mehrubon):
    html = client.get("/en/films/").content.decode()
    card = _card_of(html, mehrubon)
    assert not _Page(card).all("img")
    assert _Page(card).all("span", **{"class": "pic", "aria-hidden": "true"})


def test_the_card_shows_the_version_in_the_pages_language(client, mehrubon, playable):
    tajik = playable(mehrubon, "tg").current_encoding.prefix
    russian = playable(mehrubon, "ru").current_encoding.prefix
    assert russian in _card_of(client.get("/ru/films/").content.decode(), mehrubon)
    assert tajik in _card_of(client.get("/tg/films/").content.decode(), mehrubon)
    assert russian in _card_of(client.get("/en/films/").content.decode(), mehrubon)  # the first, by code


def test_a_list_of_cards_finds_its_pictures_in_one_query(client, mehrubon, django_assert_max_num_queries):
    films = list(Film.objects.listed()[:3])
    for film in films:
        ready_video(film, captions=(), chapters=False)
    with django_assert_max_num_queries(12) as queries:
        html = client.get("/en/films/").content.decode()
    pictures = [img for card in _cards(html) for img in _Page(card).all("img")]
    # Encodings from before stills: the thumbnail stands in, sized as the 640x360 version's.
    assert len(pictures) == 3
    shown = {(p["src"].rsplit("/", 1)[1], p["width"], p["height"]) for p in pictures}
    assert shown == {("thumb.jpg", "320", "180")}
    assert not [p for p in pictures if "srcset" in p]
    assert len([q for q in queries.captured_queries if "video_video" in q["sql"]]) == 1


def test_a_drafts_poster_copies_answer_404_to_the_public(client, admin_user, mehrubon, playable):
    encoding = playable(mehrubon, "tg").current_encoding
    stills = [f"/media/{encoding.still_path(width)}" for width, _h in encoding.still_sizes]
    assert stills and all(client.get(url).status_code == 200 for url in stills)
    mehrubon.status = "draft"
    mehrubon.save()
    for url in stills:
        assert client.get(url).status_code == 404, url
    assert mehrubon.get_absolute_url() not in client.get("/en/films/").content.decode()
    # Staff preview the draft through signed addresses only.
    client.force_login(admin_user)
    data = _player_data(client.get(f"/en/films/{MEHRUBON}/").content.decode())
    signed = [url for _width, url in data["tg"]["stills"]]
    assert len(signed) == len(stills)
    for url in signed:
        assert url.startswith("/media/s/") and client.get(url).status_code == 200


def _player_data(html: str) -> dict:
    return json.loads(re.search(r'<script id="player-data" type="application/json">(.*?)</script>', html)[1])


def test_the_film_page_names_a_phone_sized_poster_and_offers_the_wider_ones(client, mehrubon):
    video = ready_video(mehrubon, captions=(), chapters=False)
    encoding = video.current_encoding
    encoding.stills = "160x90,360x202,640x360"
    encoding.save()
    for width in (160, 360, 640):
        default_storage.save(encoding.still_path(width), ContentFile(b"stand-in"))
    html = client.get(f"/en/films/{MEHRUBON}/").content.decode()
    prefix = f"/media/encodings/{encoding.prefix}"
    [player] = _Page(html).all("video")
    assert player["poster"] == f"{prefix}/still-360.jpg"
    data = _player_data(html)["tg"]
    assert data["poster"] == f"{prefix}/still-360.jpg"
    assert data["stills"] == [[w, f"{prefix}/still-{w}.jpg"] for w in (160, 360, 640)]
    assert data["full"] == f"{prefix}/poster.jpg"


def test_the_really_encoded_films_poster_on_a_phone_is_small(client, mehrubon, playable):
    encoding = playable(mehrubon, "tg").current_encoding
    [player] = _Page(client.get(f"/en/films/{MEHRUBON}/").content.decode()).all("video")
    # 320 px wide, under a phone's 360: its still as wide as the poster, in fewer bytes than the poster.
    assert player["poster"] == f"/media/encodings/{encoding.prefix}/still-320.jpg"
    assert len(b"".join(client.get(player["poster"]).streaming_content)) <= 8 * 1024


@pytest.mark.parametrize("path", ["/tg/", "/tg/films/"])
def test_home_and_film_list_with_a_picture_on_every_card_weigh_under_40_kb(client, demo, path):
    for film in Film.objects.listed():
        video = ready_video(film, captions=(), chapters=False)
        encoding = video.current_encoding
        encoding.stills = "160x90,360x202,640x360"
        encoding.save()
    html = client.get(path).content.decode()
    page = _Page(html)
    assert len(page.all("img")) == len(_cards(html)) > 0
    total = len(html.encode())
    for url in [s["src"] for s in page.all("script") if "src" in s] + [
        link["href"] for link in page.all("link", rel="stylesheet")
    ]:
        total += Path(finders.find(url.removeprefix("/static/"))).stat().st_size
    assert total < 40 * 1024, total
