"""The film page's player as the server renders it: sources, tracks, downloads, signed addresses."""

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.crypto import get_random_string

from mediateka.catalogue.models import Film
from mediateka.video.models import CaptionTrack, Encoding, Rung, Video

MEHRUBON = "mehrubon-regular-migration"
RUNGS = [("144p", 256, 144), ("240p", 426, 240), ("360p", 640, 360), ("audio", 0, 0)]
CUES = {"tg": "Салом, муҳоҷир", "ru": "Здравствуй, мигрант", "en": "Hello, migrant"}
CHAPTERS = "WEBVTT\n\n00:00.000 --> 00:04.000\nLeaving home\n\n00:04.000 --> 01:05.000\nAt the border\n"


class _Page(HTMLParser):
    """Every tag of the page with its attributes, and the text of each link."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.links: dict[str, str] = {}
        self._link = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "a":
            self._link = [dict(attrs).get("href"), ""]

    def handle_data(self, data):
        if self._link:
            self._link[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._link:
            self.links[" ".join(self._link[1].split())] = self._link[0]
            self._link = None

    def all(self, tag, **wanted):
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in wanted.items())]

    def media_urls(self) -> list[str]:
        return [
            v
            for _t, a in self.tags
            for k, v in a.items()
            if k in ("src", "href", "poster") and "/media/" in v
        ]


def _vtt(text: str) -> ContentFile:
    return ContentFile(f"WEBVTT\n\n00:00.500 --> 00:03.500\n{text}\n".encode())


def _track(video, language, kind, content) -> None:
    name = default_storage.save(f"captions/{get_random_string(24)}/{language}-{kind}.vtt", content)
    CaptionTrack.objects.create(video=video, language=language, kind=kind, file=name, cue_count=1)


def ready_video(film, language="tg", captions=("tg", "ru", "en"), chapters=True) -> Video:
    """A video whose encoding rows and small stand-in files are in place, as after the pipeline."""
    video = Video.objects.create(
        film=film, language=language, status=Video.Status.READY, width=640, height=360, duration=12
    )
    encoding = Encoding.objects.create(
        video=video,
        state=Encoding.State.COMPLETE,
        master_playlist="master.m3u8",
        poster="poster.jpg",
        thumbnail="thumb.jpg",
        download="download.mp4",
        download_bytes=1_300_000,
    )
    for name in ("master.m3u8", "poster.jpg", "download.mp4"):
        default_storage.save(encoding.path(name), ContentFile(b"stand-in"))
    for name, width, height in RUNGS:
        Rung.objects.create(
            encoding=encoding,
            name=name,
            width=width,
            height=height,
            video_bitrate=height * 1000,
            audio_bitrate=48_000,
            codecs="avc1.4d401e,mp4a.40.2",
            playlist=f"{name}/index.m3u8",
        )
    for code in captions:
        _track(video, code, "subtitles", _vtt(CUES[code]))
    if chapters:
        _track(video, "en", "chapters", ContentFile(CHAPTERS.encode()))
    video.current_encoding = encoding
    video.save()
    return video


@pytest.fixture
def mehrubon(demo):
    film = Film.objects.get(slug=MEHRUBON)
    assert film.is_public
    return film


def test_film_with_a_ready_video_has_the_player(client, mehrubon):
    video = ready_video(mehrubon)
    prefix = video.current_encoding.prefix
    html = client.get(f"/en/films/{MEHRUBON}/").content.decode()
    page = _Page(html)

    [player] = page.all("video")
    assert player["preload"] == "none" and "controls" in player and "playsinline" in player
    assert player["poster"] == f"/media/encodings/{prefix}/poster.jpg"
    assert page.all("source") == [
        {"src": f"/media/encodings/{prefix}/master.m3u8", "type": "application/vnd.apple.mpegurl"},
        {"src": f"/media/encodings/{prefix}/download.mp4", "type": "video/mp4"},
    ]
    tracks = page.all("track")
    assert [(t["kind"], t["srclang"], t["label"]) for t in tracks] == [
        ("subtitles", "en", "English"),
        ("subtitles", "ru", "Russian"),
        ("subtitles", "tg", "Tajik"),
        ("chapters", "en", "Chapters"),
    ]
    assert [t["srclang"] for t in tracks if "default" in t] == ["en"]  # the page's language

    assert [o["value"] for o in page.all("option")] == ["auto", "144p", "240p", "360p", "audio"]
    assert "Audio only (saves data)" in html
    assert page.all("label", **{"for": "player-quality"})
    assert not page.all("select", id="player-language")  # one version: nothing to choose

    assert page.links["Download video (MP4, 360p, 1.2 MB)"] == f"/media/encodings/{prefix}/download.mp4"
    # The <video> element's own fallback link:
    assert page.links["Download the video"] == f"/media/encodings/{prefix}/download.mp4"
    captions = {track.language: track.file for track in video.captions.all()}
    assert page.links["Captions in Tajik (WebVTT)"] == f"/media/{captions['tg']}"
    assert page.links["Captions in Russian (WebVTT)"] == f"/media/{captions['ru']}"
    assert [li["data-start"] for li in page.all("li") if "data-start" in li] == ["0.000", "4.000"]
    assert re.search(r'<span class="clock">0:04</span> <span>At the border</span>', html)

    scripts = [s["src"] for s in page.all("script") if "src" in s]
    assert "/static/web/js/player.js" in scripts
    assert not [src for src in scripts if "hls" in src]  # player.js fetches it, only when needed
    assert "defer" in page.all("script", src="/static/web/js/player.js")[0]
    assert page.all("div", **{"data-hlsjs": "/static/web/vendor/hls.js/hls.light.min.js"})
    data = json.loads(re.search(r'<script id="player-data" type="application/json">(.*?)</script>', html)[1])
    assert data["tg"]["q"]["144p"] == f"/media/encodings/{prefix}/144p/index.m3u8"
    assert data["tg"]["q"]["audio"] == f"/media/encodings/{prefix}/audio/index.m3u8"


def test_without_javascript_the_page_still_offers_the_mp4(client, mehrubon):
    video = ready_video(mehrubon, captions=())
    page = _Page(client.get(f"/tg/films/{MEHRUBON}/").content.decode())
    mp4 = f"/media/encodings/{video.current_encoding.prefix}/download.mp4"
    assert page.all("source", type="video/mp4") == [{"src": mp4, "type": "video/mp4"}]
    assert [a["href"] for a in page.all("a") if a.get("href") == mp4]  # the fallback and the download
    # The JavaScript-only choices stay hidden until player.js shows them.
    assert "hidden" in page.all("div", **{"class": "player-options"})[0]
    response = client.get(mp4)
    assert response.status_code == 200
    assert response["Content-Type"] == "video/mp4"


def test_film_without_a_video_has_no_player_and_no_script(client, mehrubon):
    Video.objects.create(film=mehrubon, language="tg", status=Video.Status.ENCODING)  # not playable yet
    html = client.get(f"/en/films/{MEHRUBON}/").content.decode()
    assert "This film is not yet available to watch." in html
    assert "<video" not in html
    assert "player.js" not in html
    assert "player-data" not in html


def test_spoken_language_choice_defaults_to_the_page_language(client, mehrubon):
    ready_video(mehrubon, "tg")
    russian = ready_video(mehrubon, "ru", captions=("ru",), chapters=False)
    page = _Page(client.get(f"/ru/films/{MEHRUBON}/").content.decode())
    options = page.all("option")
    assert [o["value"] for o in options if "selected" in o] == ["ru"]
    assert page.all("label", **{"for": "player-language"})
    assert page.all("source")[0]["src"] == f"/media/encodings/{russian.current_encoding.prefix}/master.m3u8"
    blocks = page.all("div", **{"class": "player-version"})
    assert [(b["data-version"], "hidden" in b) for b in blocks] == [("ru", False), ("tg", True)]
    page = _Page(client.get(f"/en/films/{MEHRUBON}/").content.decode())  # no English version: the first
    assert [o["value"] for o in page.all("option") if "selected" in o] == ["ru"]


def test_draft_films_media_are_signed_and_public_ones_are_not(client, admin_user, mehrubon):
    ready_video(mehrubon)
    public = _Page(client.get(f"/en/films/{MEHRUBON}/").content.decode()).media_urls()
    assert len(public) >= 10
    assert all(url.startswith(("/media/encodings/", "/media/captions/")) for url in public), public

    mehrubon.status = "draft"
    mehrubon.save()
    client.force_login(admin_user)
    html = client.get(f"/en/films/{MEHRUBON}/").content.decode()
    signed = _Page(html).media_urls()
    assert len(signed) == len(public)
    assert all(url.startswith("/media/s/") for url in signed), signed
    data = html.split('id="player-data"')[1]
    assert "/media/encodings/" not in data and "/media/captions/" not in data
    for url in signed:
        assert client.get(url).status_code == 200, url
    client.logout()
    assert client.get(signed[0]).status_code == 200  # the signature is the key, not the session
    assert client.get(public[0]).status_code == 404  # the unsigned address of a draft is not served


def test_save_data_is_passed_to_the_player_and_varies_the_page(client, mehrubon):
    ready_video(mehrubon)
    response = client.get(f"/en/films/{MEHRUBON}/", headers={"Save-Data": "on"})
    assert 'data-save-data="true"' in response.content.decode()
    assert "Save-Data" in response["Vary"]
    assert 'data-save-data="false"' in client.get(f"/en/films/{MEHRUBON}/").content.decode()


def test_film_page_with_player_weighs_under_40_kb(client, mehrubon):
    ready_video(mehrubon, "tg")
    ready_video(mehrubon, "ru")
    html = client.get(f"/tg/films/{MEHRUBON}/").content
    page = _Page(html.decode())
    total = len(html)
    for url in [s["src"] for s in page.all("script") if "src" in s] + [
        link["href"] for link in page.all("link", rel="stylesheet")
    ]:
        path = finders.find(url.removeprefix("/static/"))
        assert path, url
        total += len(Path(path).read_bytes())
    assert "hls.light.min.js" not in [s.get("src", "") for s in page.all("script")]
    assert total < 40 * 1024, total


def test_player_script_stays_small():
    # 6 KB until each quality's megabytes, the poster chosen by the player's width and hls.js at the
    # first play came.
    assert len(Path(finders.find("web/js/player.js")).read_bytes()) < 7.5 * 1024


def test_a_really_encoded_film_plays_from_its_page(client, mehrubon, playable):
    """With a real encoding (the test run's one, tests.media): every address the page gives answers,
    playlists and all."""
    video = playable(mehrubon, "tg")
    _track(video, "tg", "subtitles", _vtt(CUES["tg"]))
    html = client.get(f"/en/films/{MEHRUBON}/").content.decode()
    page = _Page(html)
    assert [o["value"] for o in page.all("option")] == ["auto", "144p", "240p", "audio"]
    assert "Download video (MP4, 240p," in html
    data = json.loads(re.search(r'<script id="player-data" type="application/json">(.*?)</script>', html)[1])
    for url in [*page.media_urls(), *data["tg"]["q"].values()]:
        response = client.get(url)
        assert response.status_code == 200, url
    playlist = b"".join(client.get(data["tg"]["q"]["audio"]).streaming_content).decode()
    assert "seg_00001.m4s" in playlist


def test_under_data_saver_the_mp4_fallback_is_the_small_copy(client, mehrubon, playable):
    encoding = playable(mehrubon, "tg").current_encoding
    assert encoding.small_download == "small.mp4" and encoding.small_download_bytes > 0
    mp4 = re.compile(r'<source src="([^"]+)" type="video/mp4">')

    saving = client.get(f"/en/films/{MEHRUBON}/", headers={"Save-Data": "on"}).content.decode()
    plain = client.get(f"/en/films/{MEHRUBON}/").content.decode()

    assert mp4.search(saving)[1].endswith("/small.mp4")
    assert mp4.search(plain)[1].endswith("/download.mp4")
    assert "Download a small copy to send to a phone (MP4, 144p," in plain
    response = client.get(mp4.search(saving)[1])
    assert response.status_code == 200
    assert len(b"".join(response.streaming_content)) == encoding.small_download_bytes


def test_chapters_are_listed_in_the_page_language_when_there_are_several(client, mehrubon):
    video = ready_video(mehrubon, chapters=False)
    for language, titles in {
        "en": ("Stay", "Work"),
        "ru": ("Пребывание", "Работа"),
        "tg": ("Будубош", "Кор"),
    }.items():
        text = f"WEBVTT\n\n00:00.000 --> 00:04.000\n{titles[0]}\n\n00:04.000 --> 00:08.000\n{titles[1]}\n"
        _track(video, language, "chapters", ContentFile(text.encode()))
    for page_language, first in (("ru", "Пребывание"), ("tg", "Будубош"), ("en", "Stay")):
        html = client.get(f"/{page_language}/films/{MEHRUBON}/").content.decode()
        assert f'<ol class="chapters" lang="{page_language}">' in html
        assert f'<span class="clock">0:00</span> <span>{first}</span>' in html
        [chapters] = _Page(html).all("track", kind="chapters")
        assert chapters["srclang"] == page_language


def test_a_draft_films_signed_playlists_lead_to_signed_segments(client, admin_user, mehrubon, playable):
    """The relative links inside the playlists inherit the signature in the path."""
    playable(mehrubon, "tg")
    mehrubon.status = "draft"
    mehrubon.save()
    client.force_login(admin_user)
    page = _Page(client.get(f"/en/films/{MEHRUBON}/").content.decode())
    master = page.all("source")[0]["src"]
    assert master.startswith("/media/s/")
    base = master.rsplit("/", 1)[0]
    text = b"".join(client.get(master).streaming_content).decode()
    rung = next(line for line in text.splitlines() if line.endswith(".m3u8"))
    playlist = b"".join(client.get(f"{base}/{rung}").streaming_content).decode()
    segment = next(line for line in playlist.splitlines() if line.endswith(".m4s"))
    response = client.get(f"{base}/{rung.rsplit('/', 1)[0]}/{segment}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
