"""The film player in a real Chromium against the real server: both HLS engines, rungs, captions,
the remembered quality, slow-connection defaults and the spoken-language switch.

Chromium has native HLS; `?player=hlsjs` forces the hls.js path the other browsers take.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import screenshot

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]
FILM = "mehrubon-regular-migration"
TWO_LANGUAGES = "player-test-two-spoken-languages"
VIDEO = "document.querySelector('[data-player] video')"
PLAYING = f"{VIDEO}.currentTime > %s && !{VIDEO}.paused"
SEGMENT = re.compile(r"/media/(?:s/[^/]+/)?encodings/[^/]+/([^/]+)/seg_(\d+)\.m4s$")


def _encode(film, language: str, chapters: list[str]) -> None:
    """A short clip of our own for `film` in `language`, with captions and chapters, encoded for real."""
    import hashlib
    import tempfile

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils.crypto import get_random_string

    from mediateka.video import pipeline
    from mediateka.video.models import CaptionTrack, Video
    from tests.video.clips import make_clip

    with tempfile.TemporaryDirectory() as tmp:
        clip = make_clip(Path(tmp) / "clip.mp4", seconds=12, width=320, height=240).read_bytes()
    original = default_storage.save(f"originals/{get_random_string(24)}/clip.mp4", ContentFile(clip))
    video = Video.objects.create(
        film=film, language=language, original=original, sha256=hashlib.sha256(clip).hexdigest()
    )
    assert pipeline.process(video.pk) == "encoded"
    tracks = [(code, "subtitles", [f"{language}: {code} subtitles"]) for code in ("tg", "ru", "en")]
    for code, kind, texts in [*tracks, ("en", "chapters", chapters)]:
        body = "".join(
            f"00:{4 * i:02}.500 --> 00:{4 * i + 3:02}.500\n{text}\n\n" for i, text in enumerate(texts)
        )
        name = default_storage.save(
            f"captions/{get_random_string(24)}/{code}-{kind}.vtt", ContentFile(f"WEBVTT\n\n{body}".encode())
        )
        CaptionTrack.objects.create(video=video, language=code, kind=kind, file=name, cue_count=len(texts))


def prepare() -> None:
    """Runs in the live site's environment: the Mehrubon film plays, and an unlisted film has two versions."""
    from mediateka.catalogue.models import Film
    from mediateka.video import pipeline
    from mediateka.video.models import Video

    film = Film.objects.get(slug=FILM)
    for video in Video.objects.filter(film=film, current_encoding__isnull=True).exclude(original=""):
        pipeline.process(video.pk)  # the demo's sample clip, when no worker has encoded it
    if not Video.objects.playable().filter(film=film).exists():
        _encode(film, "tg", ["Stay", "Work", "Return"])
    if not Film.objects.filter(slug=TWO_LANGUAGES).exists():
        two = Film.objects.create(
            slug=TWO_LANGUAGES, title="Player test: two spoken languages", status="unlisted"
        )
        _encode(two, "ru", ["Russian one", "Russian two"])
        _encode(two, "tg", ["Tajik one", "Tajik two"])


@pytest.fixture(scope="module")
def films(live_site):
    env = {
        **live_site["env"],
        "PYTHONPATH": os.pathsep.join([str(ROOT), live_site["env"].get("PYTHONPATH", "")]),
    }
    code = (
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mediateka.settings')\n"
        "import django; django.setup()\n"
        "from tests.e2e.test_player import prepare; prepare()"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return live_site["url"]


def _open(page, url: str, *, engine: str | None = None, slug: str = FILM, language: str = "en") -> list[str]:
    """Opens a film page; returns the list the page's requests are recorded in, as they happen."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{url}/{language}/films/{slug}/" + (f"?player={engine}" if engine else ""))
    page.wait_for_function("document.querySelector('[data-player]').dataset.engine")
    page.evaluate(f"{VIDEO}.muted = true")
    return requests


def _play_until(page, seconds: float) -> None:
    page.evaluate(f"{VIDEO}.play()")
    page.wait_for_function(PLAYING % seconds, timeout=20_000)


def _rungs(requests: list[str]) -> set[str]:
    return {m[1] for url in requests if (m := SEGMENT.search(url))}


def _player(page, name: str) -> str:
    return page.get_attribute("[data-player]", f"data-{name}")


@pytest.mark.parametrize("engine", ["hlsjs", "native"])
def test_each_engine_plays_the_film(films, page, engine):
    requests = _open(page, films, engine=engine)
    assert _player(page, "engine") == engine
    assert _player(page, "quality") == "auto"
    page.wait_for_timeout(300)
    # preload="none", and hls.js is fetched only once someone plays.
    assert not _rungs(requests)
    assert not [url for url in requests if "hls.light" in url]
    _play_until(page, 1.5)
    assert _rungs(requests)
    assert bool([url for url in requests if "hls.light" in url]) == (engine == "hlsjs")
    screenshot(page, f"player-{engine}")


@pytest.mark.parametrize("engine", ["hlsjs", "native"])
@pytest.mark.parametrize("quality", ["144p", "audio"])
def test_a_chosen_rung_is_the_only_one_fetched(films, page, engine, quality):
    requests = _open(page, films, engine=engine)
    page.select_option("#player-quality", quality)  # before playing
    assert _player(page, "quality") == quality
    _play_until(page, 1.5)
    assert _rungs(requests) == {quality}
    width = page.evaluate(f"{VIDEO}.videoWidth")
    assert (width == 0) == (quality == "audio")
    if quality == "audio":
        assert page.get_attribute("[data-player] video", "poster")  # the still stays in the frame
        screenshot(page, f"player-audio-only-{engine}")


@pytest.mark.parametrize("engine", ["hlsjs", "native"])
def test_changing_quality_while_playing_keeps_the_place(films, page, engine):
    requests = _open(page, films, engine=engine)
    page.select_option("#player-quality", "240p")
    _play_until(page, 0.2)
    page.evaluate(f"{VIDEO}.currentTime = 5")
    page.wait_for_function(PLAYING % 5.2, timeout=20_000)
    before = len(requests)
    page.evaluate(
        f"window.resumed = []; {VIDEO}.addEventListener('playing', () => resumed.push({VIDEO}.currentTime))"
    )
    page.select_option("#player-quality", "144p")
    page.wait_for_function(PLAYING % 5.5, timeout=20_000)
    assert _player(page, "quality") == "144p"
    assert min(page.evaluate("resumed")) >= 5  # it went on from where it was, not from the start
    fetched = {(m[1], int(m[2])) for url in requests[before:] if (m := SEGMENT.search(url))}
    assert {rung for rung, _number in fetched} == {"144p"}
    assert ("144p", 2) in fetched
    if engine == "hlsjs":
        # Chromium's native HLS reads a playlist's first segment whatever the start position (a quirk
        # of its demuxer); hls.js goes straight to the segment holding the current time.
        assert ("144p", 1) not in fetched


def test_a_caption_shows_at_its_time(films, page):
    _open(page, films)
    track = page.evaluate(
        f"""async () => {{
        const video = {VIDEO};
        const index = Array.from(video.textTracks).findIndex((t) => t.kind === 'subtitles');
        const track = video.textTracks[index];
        track.mode = 'showing';
        while (!track.cues || !track.cues.length) await new Promise((r) => setTimeout(r, 50));
        const cue = track.cues[0];
        return {{index, text: cue.text, middle: (cue.startTime + cue.endTime) / 2}};
    }}"""
    )
    _play_until(page, 0)
    page.evaluate(f"{VIDEO}.pause(); {VIDEO}.currentTime = {track['middle']}")
    page.wait_for_function(
        f"Array.from({VIDEO}.textTracks[{track['index']}].activeCues || [])"
        f".some((cue) => cue.text === {json.dumps(track['text'])})",
        timeout=10_000,
    )
    screenshot(page, "player-caption")


def test_the_chosen_quality_survives_a_reload(films, page):
    _open(page, films)
    page.select_option("#player-quality", "240p")
    assert page.evaluate("localStorage.getItem('mediateka.quality')") == "240p"
    page.reload()
    page.wait_for_function("document.querySelector('[data-player]').dataset.engine")
    assert _player(page, "quality") == "240p"
    assert page.input_value("#player-quality") == "240p"


@pytest.mark.parametrize(
    ("headers", "connection", "expected"),
    [
        ({"Save-Data": "on"}, None, "144p"),
        ({}, {"effectiveType": "3g", "saveData": False}, "144p"),
        ({}, {"effectiveType": "4g", "saveData": True}, "144p"),
        ({}, {"effectiveType": "4g", "saveData": False}, "auto"),
    ],
    ids=["save-data-header", "3g", "data-saver", "4g"],
)
def test_slow_or_metered_connections_start_at_144p(films, browser, headers, connection, expected):
    context = browser.new_context(viewport={"width": 390, "height": 844}, extra_http_headers=headers)
    if connection:
        # What the Network Information API reports on a phone; headless Chromium says 4g.
        context.add_init_script(
            "Object.defineProperty(Navigator.prototype, 'connection', "
            f"{{get: () => ({json.dumps(connection)})}})"
        )
    page = context.new_page()
    requests = _open(page, films)
    assert _player(page, "save-data") == ("true" if headers else "false")
    assert _player(page, "quality") == expected
    if headers:
        _play_until(page, 1)
        assert _rungs(requests) == {"144p"}
    context.close()


def test_switching_the_spoken_language_keeps_the_place(films, page):
    _open(page, films, slug=TWO_LANGUAGES, language="en", engine="native")
    assert _player(page, "version") == "ru"  # no English version: the first
    assert page.is_visible('.player-version[data-version="ru"]')
    assert not page.is_visible('.player-version[data-version="tg"]')
    _play_until(page, 0.2)
    page.evaluate(f"{VIDEO}.currentTime = 5")
    page.wait_for_function(PLAYING % 5.2, timeout=20_000)
    old_source = page.evaluate(f"{VIDEO}.src")
    page.select_option("#player-language", "tg")
    page.wait_for_function(PLAYING % 5.5, timeout=20_000)
    assert page.evaluate(f"{VIDEO}.src") != old_source
    assert _player(page, "version") == "tg"
    assert page.is_visible('.player-version[data-version="tg"]')
    assert not page.is_visible('.player-version[data-version="ru"]')
    cue = page.evaluate(
        f"""async () => {{
        const tracks = Array.from({VIDEO}.textTracks);
        const track = tracks.find((t) => t.language === 'en' && t.kind === 'subtitles');
        track.mode = 'showing';
        while (!track.cues || !track.cues.length) await new Promise((r) => setTimeout(r, 50));
        return track.cues[0].text;
    }}"""
    )
    assert cue == "tg: en subtitles"
    page.get_by_role("button", name="Tajik one").click()
    page.wait_for_function(f"{VIDEO}.currentTime < 4", timeout=10_000)
    screenshot(page, "player-spoken-language")
