"""A film's link sent in a messenger: its preview, read from the page's <head> by an HTML parser as a
link-preview fetcher reads it, shows the poster, title and description in the link's language."""

import io
import json
from urllib.parse import urlsplit

import pytest
from lxml import html as lxml_html
from PIL import Image

from mediateka.catalogue.models import Film
from mediateka.mission.translated import shown
from mediateka.video.models import Encoding, Rung, Video
from tests.web.test_player_page import MEHRUBON

from .conftest import make_film  # noqa: F401 - fixture

WHATSAPP_IMAGE_LIMIT = 600 * 1024  # previews with a larger picture are shown without it


def _preview(client, path: str) -> tuple[dict[str, str], object]:
    response = client.get(path)
    assert response.status_code == 200
    document = lxml_html.fromstring(response.content)
    assert not document.xpath("//body//meta[starts-with(@property, 'og:')]"), "Open Graph outside <head>"
    properties = {}
    for meta in document.xpath("//head/meta[@property]"):
        properties.setdefault(meta.get("property"), meta.get("content"))  # the first one wins
    return properties, document


def _fetch(client, url: str) -> bytes:
    parts = urlsplit(url)
    assert parts.scheme == "http" and parts.netloc == "testserver", url  # absolute, on this site
    response = client.get(parts.path)
    assert response.status_code == 200, url
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize(("language", "locale"), [("en", "en_GB"), ("ru", "ru_RU"), ("tg", "tg_TJ")])
def test_the_preview_shows_poster_title_and_description_in_the_links_language(
    client, demo, playable, language, locale
):
    film = Film.objects.get(slug=MEHRUBON)
    playable(film, "tg")
    path = f"/{language}/films/{MEHRUBON}/"
    og, _document = _preview(client, path)
    title, synopsis = shown(film, "title", language), shown(film, "synopsis", language)
    assert title.language == language and synopsis.language == language  # the demo film has all three
    shown_title = f"[{title.text}]" if film.title_is_devised else title.text  # as the page's heading
    assert og["og:title"] == shown_title
    first_words = " ".join(synopsis.text.split()[:8])
    assert og["og:description"].startswith(first_words)
    assert og["og:url"] == f"http://testserver{path}" and og["og:locale"] == locale
    assert og["og:type"] == "video.other"
    picture = _fetch(client, og["og:image"])
    assert og["og:image:type"] == "image/jpeg" and picture[:3] == b"\xff\xd8\xff"
    assert len(picture) <= WHATSAPP_IMAGE_LIMIT
    assert Image.open(io.BytesIO(picture)).size == (int(og["og:image:width"]), int(og["og:image:height"]))
    assert og["og:image:alt"] == shown_title
    assert _fetch(client, og["og:video"])[4:8] == b"ftyp" and og["og:video:type"] == "video/mp4"


def test_quotes_and_markup_in_a_title_reach_the_preview_as_typed(client, make_film):  # noqa: F811
    typed = "Say \"no\" to <b>traffickers</b> & their 'offers'"
    make_film("quoted", title_en=typed, synopsis_en="<script>alert(1)</script> A film.")
    og, document = _preview(client, "/en/films/quoted/")
    assert og["og:title"] == typed
    assert og["og:description"] == "<script>alert(1)</script> A film."
    assert not [s for s in document.xpath("//script") if "alert(1)" in (s.text or "") and not s.get("type")]


def test_a_radio_spot_is_previewed_as_sound_not_as_a_video(client, make_film):  # noqa: F811
    film = make_film("radio-spot", video=False, title_en="Call before you go")
    video = Video.objects.create(
        film=film, language="tg", status=Video.Status.READY, duration=30.0, original="originals/spot.mp3"
    )
    encoding = Encoding.objects.create(
        video=video,
        state=Encoding.State.COMPLETE,
        master_playlist="master.m3u8",
        poster="poster.jpg",
        download="download.m4a",
        download_bytes=240_000,
    )
    Rung.objects.create(
        encoding=encoding,
        name="audio",
        width=0,
        height=0,
        measured_bitrate=50_000,
        codecs="mp4a.40.2",
        playlist="audio/index.m3u8",
    )
    video.current_encoding = encoding
    video.save(update_fields=["current_encoding"])
    og, document = _preview(client, "/en/films/radio-spot/")
    assert og["og:type"] == "website" and "og:video" not in og
    assert og["og:audio"].endswith("/download.m4a") and og["og:audio:type"] == "audio/mp4"
    assert (og["og:image:width"], og["og:image:height"]) == ("1280", "720")  # the waveform picture
    [ld] = document.xpath("//script[@type='application/ld+json']/text()")
    data = json.loads(ld)
    assert data["@type"] == "AudioObject" and data["encodingFormat"] == "audio/mp4" and "width" not in data
