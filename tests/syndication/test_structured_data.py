"""Film pages describe their film: schema.org VideoObject JSON-LD, Open Graph and Twitter cards."""

import json
import re

import pytest

from mediateka.catalogue.models import Status

LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def _json_ld(html: str) -> dict:
    (block,) = LD.findall(html)
    return json.loads(block)


def test_film_page_has_a_video_object_with_the_fields_search_engines_use(client, rich_film):
    html = client.get("/en/films/every-one-of-us/").content.decode()
    data = _json_ld(html)
    assert data["@context"] == "https://schema.org" and data["@type"] == "VideoObject"
    assert data["name"] == "Every One of Us"
    assert data["description"] == "A migrant in Tver learns his HIV status."
    assert data["thumbnailUrl"][0].endswith("/poster.jpg")
    assert data["uploadDate"].startswith(str(rich_film.published_at.year))
    assert data["duration"] == "PT1M35S"
    assert data["contentUrl"].endswith("/download.mp4")
    assert data["embedUrl"] == "http://testserver/embed/every-one-of-us"
    assert data["inLanguage"] in ("ru", "tg")
    assert {c["inLanguage"] for c in data["caption"]} and all(
        c["encodingFormat"] == "text/vtt" for c in data["caption"]
    )


def test_film_page_has_open_graph_and_twitter_player_tags(client, rich_film):
    html = client.get("/ru/films/every-one-of-us/").content.decode()
    assert '<meta property="og:type" content="video.other">' in html
    assert '<meta property="og:locale" content="ru_RU">' in html
    assert re.search(
        r'<meta property="og:video" content="http://testserver/media/encodings/[^"]+/download.mp4">', html
    )
    assert '<meta name="twitter:card" content="player">' in html
    assert '<meta name="twitter:player" content="http://testserver/embed/every-one-of-us">' in html


def test_user_text_cannot_break_out_of_the_json_ld(client, make_film):
    hostile = '</script><script>alert("x")</script><!--'
    make_film("hostile", title_en=hostile, synopsis_en="& <b>bold</b>")
    html = client.get("/en/films/hostile/").content.decode()
    assert "<script>alert" not in html
    data = _json_ld(html)
    assert data["name"] == hostile and data["description"] == "& <b>bold</b>"


def test_a_film_without_video_gets_no_video_object(client, make_film):
    make_film("no-video", video=False)
    html = client.get("/en/films/no-video/").content.decode()
    assert not LD.findall(html)
    assert '<meta name="twitter:card" content="summary">' in html


@pytest.mark.parametrize("status", [Status.DRAFT, Status.ARCHIVED])
def test_a_staff_preview_of_a_draft_or_archived_film_describes_nothing(client, make_film, editor, status):
    make_film("unpublished", status=status)
    client.force_login(editor)
    response = client.get("/en/films/unpublished/")
    assert response.status_code == 200  # the editor's preview
    html = response.content.decode()
    assert not LD.findall(html)
    assert "og:title" not in html and "oembed" not in html


@pytest.mark.parametrize("status", [Status.DRAFT, Status.ARCHIVED])
def test_draft_and_archived_film_pages_are_not_public(client, make_film, status):
    make_film("unpublished", status=status)
    assert client.get("/en/films/unpublished/").status_code == 404
