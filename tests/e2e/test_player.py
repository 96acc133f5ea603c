"""The film player in a real Chromium against the real server: both HLS engines, rungs, captions,
the remembered quality, slow-connection defaults and the spoken-language switch.

Chromium has native HLS; `?player=hlsjs` forces the hls.js path the other browsers take.
"""

import json
import re
import time
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.live import django_script

from .conftest import screenshot

pytestmark = pytest.mark.e2e

FILM = "mehrubon-regular-migration"
TWO_LANGUAGES = "player-test-two-spoken-languages"
VIDEO = "document.querySelector('[data-player] video')"
PLAYING = f"{VIDEO}.currentTime > %s && !{VIDEO}.paused"
SEGMENT = re.compile(r"/media/(?:s/[^/]+/)?encodings/[^/]+/([^/]+)/seg_(\d+)\.m4s$")


def _add_version(encoded, film, language: str, chapters: list[str]) -> None:
    """A version of `film` in `language` playing the test run's encoded film, with captions and chapters."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.utils.crypto import get_random_string

    from mediateka.video.models import CaptionTrack
    from tests.media import playable_copy

    video = playable_copy(encoded, film, language)
    tracks = [(code, "subtitles", [f"{language}: {code} subtitles"]) for code in ("tg", "ru", "en")]
    for code, kind, texts in [*tracks, ("en", "chapters", chapters)]:
        body = "".join(
            f"00:{4 * i:02}.500 --> 00:{4 * i + 3:02}.500\n{text}\n\n" for i, text in enumerate(texts)
        )
        name = default_storage.save(
            f"captions/{get_random_string(24)}/{code}-{kind}.vtt", ContentFile(f"WEBVTT\n\n{body}".encode())
        )
        CaptionTrack.objects.create(video=video, language=code, kind=kind, file=name, cue_count=len(texts))


def prepare(encoded_folder: str) -> None:
    """Runs in the live site's environment: the Mehrubon film plays every rung, and an unlisted film
    has two versions; each version is a copy of the film the test run encoded (tests.media)."""
    from mediateka.catalogue.models import Film
    from mediateka.video.models import Video
    from tests.media import encode_once

    encoded = encode_once(Path(encoded_folder))
    film = Film.objects.get(slug=FILM)
    # The demo's worker encodes its sample clip with the quick ladder (144p and audio only).
    Video.objects.filter(film=film).delete()
    _add_version(encoded, film, "tg", ["Stay", "Work", "Return"])
    if not Film.objects.filter(slug=TWO_LANGUAGES).exists():
        two = Film.objects.create(
            slug=TWO_LANGUAGES, title="Player test: two spoken languages", status="unlisted"
        )
        _add_version(encoded, two, "ru", ["Russian one", "Russian two"])
        _add_version(encoded, two, "tg", ["Tajik one", "Tajik two"])


@pytest.fixture(scope="module")
def films(live_site, encoded_film):
    django_script(
        live_site["env"],
        f"from tests.e2e.test_player import prepare; prepare({str(encoded_film.source.parent)!r})",
    )
    return live_site["url"]


def _until(page, condition: str, timeout: float = 20) -> None:
    """Polls a page condition from here. Playwright's wait_for_function keeps headless Chromium's
    media clock from advancing while hls.js (attached before play) plays, so it is not used."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(condition):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {condition}"
        page.wait_for_timeout(100)


def _open(page, url: str, *, engine: str | None = None, slug: str = FILM, language: str = "en") -> list[str]:
    """Opens a film page; returns the list the page's requests are recorded in, as they happen."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{url}/{language}/films/{slug}/" + (f"?player={engine}" if engine else ""))
    _until(page, "document.querySelector('[data-player]').dataset.engine")
    page.evaluate(f"{VIDEO}.muted = true")
    return requests


def _play_until(page, seconds: float) -> None:
    # As a press of the play button: with hls.js, this first play() is cut short when hls.js attaches
    # its MediaSource, and the player plays again at once.
    page.evaluate(f"{VIDEO}.play().catch(() => null)")
    _until(page, PLAYING % seconds)


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
    assert not _rungs(requests)  # preload="none": nothing but playlists before a play
    # hls.js is fetched at the first play by the browsers that need it (forced here), never for native
    # HLS, and never by a visitor who only reads the page.
    assert not [url for url in requests if "hls.light" in url]
    _play_until(page, 1)
    assert _rungs(requests)
    assert bool([url for url in requests if "hls.light" in url]) == (engine == "hlsjs")
    assert not [url for url in requests if "download" in url]  # the MP4 did not start meanwhile
    screenshot(page, f"player-{engine}")


@pytest.mark.parametrize("engine", ["hlsjs", "native"])
@pytest.mark.parametrize("quality", ["144p", "audio"])
def test_a_chosen_rung_is_the_only_one_fetched(films, page, engine, quality):
    requests = _open(page, films, engine=engine)
    page.select_option("#player-quality", quality)  # before playing
    assert _player(page, "quality") == quality
    _play_until(page, 1)
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
    _until(page, PLAYING % 5.2)
    before = len(requests)
    page.evaluate(
        f"window.resumed = []; {VIDEO}.addEventListener('playing', () => resumed.push({VIDEO}.currentTime))"
    )
    page.select_option("#player-quality", "144p")
    # Until it plays again after the switch: before the switch takes hold it is still playing the old one.
    _until(page, f"resumed.length && {PLAYING % 5.5}")
    assert _player(page, "quality") == "144p"
    assert min(page.evaluate("resumed")) >= 5  # it went on from where it was, not from the start
    fetched = {(m[1], int(m[2])) for url in requests[before:] if (m := SEGMENT.search(url))}
    assert {rung for rung, _number in fetched} == {"144p"}
    assert ("144p", 2) in fetched
    if engine == "hlsjs":
        # Chromium's native HLS reads a playlist's first segment whatever the start position (a quirk
        # of its demuxer); hls.js goes straight to the segment holding the current time.
        assert ("144p", 1) not in fetched


@pytest.mark.parametrize("engine", ["hlsjs", "native"])
def test_the_keyboard_plays_and_chapter_buttons_seek(films, page, engine):
    _open(page, films, engine=engine)
    page.locator("[data-player] video").focus()
    page.keyboard.press("Space")  # the browser's own controls
    _until(page, PLAYING % 0.5)
    page.keyboard.press("Space")
    _until(page, f"{VIDEO}.paused")
    chapters = page.locator(".player-version:not([hidden]) .chapters button")
    assert chapters.count() >= 2
    chapters.nth(1).focus()
    page.keyboard.press("Enter")
    start = float(
        page.locator(".player-version:not([hidden]) .chapters li").nth(1).get_attribute("data-start")
    )
    _until(page, PLAYING % (start + 0.3))


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
    _until(
        page,
        f"Array.from({VIDEO}.textTracks[{track['index']}].activeCues || [])"
        f".some((cue) => cue.text === {json.dumps(track['text'])})",
    )
    screenshot(page, "player-caption")


def test_the_chosen_quality_survives_a_reload(films, page, encoded_film):
    from mediateka.video.data_cost import megabytes

    _open(page, films)
    # Each quality says what it costs: the megabytes of that rung's real files.
    shown = dict(
        page.eval_on_selector_all("#player-quality option", "all => all.map((o) => [o.value, o.text])")
    )
    sizes = {rung.name: megabytes(rung.bytes) for rung in encoded_film.result.rungs}
    assert shown == {
        "auto": "Automatic",
        "144p": f"144p · {sizes['144p']}",
        "240p": f"240p · {sizes['240p']}",
        "audio": f"Audio only (saves data) · {sizes['audio']}",
    }
    page.select_option("#player-quality", "240p")
    assert page.evaluate("localStorage.getItem('mediateka.quality')") == "240p"
    page.reload()
    _until(page, "document.querySelector('[data-player]').dataset.engine")
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


def test_without_hls_under_data_saver_the_small_mp4_plays(films, browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, extra_http_headers={"Save-Data": "on"}
    )
    page = context.new_page()
    requests = _open(page, films, engine="mp4")
    _play_until(page, 1)
    mp4s = [url.rsplit("/", 1)[1] for url in requests if url.endswith(".mp4")]
    assert "small.mp4" in mp4s and "download.mp4" not in mp4s
    context.close()


@pytest.mark.parametrize("engine", ["hlsjs", "native"])
def test_switching_the_spoken_language_keeps_the_place(films, page, engine):
    _open(page, films, slug=TWO_LANGUAGES, language="en", engine=engine)
    assert _player(page, "version") == "ru"  # no English version: the first
    assert page.is_visible('.player-version[data-version="ru"]')
    assert not page.is_visible('.player-version[data-version="tg"]')
    _play_until(page, 0.2)
    page.evaluate(f"{VIDEO}.currentTime = 5")
    _until(page, PLAYING % 5.2)
    old_source = page.evaluate(f"{VIDEO}.src")
    page.evaluate(
        f"window.resumed = []; {VIDEO}.addEventListener('playing', () => resumed.push({VIDEO}.currentTime))"
    )
    page.select_option("#player-language", "tg")
    # Until it plays again after the switch: before the switch takes hold it is still playing the old one.
    _until(page, f"resumed.length && {PLAYING % 5.5}")
    assert min(page.evaluate("resumed")) >= 5
    assert page.evaluate(f"{VIDEO}.src") != old_source
    assert _player(page, "version") == "tg"
    assert page.is_visible('.player-version[data-version="tg"]')
    assert not page.is_visible('.player-version[data-version="ru"]')
    # The subtitles that were showing (English, the page's language) still are, now the Tajik version's.
    _until(
        page, f"Array.from({VIDEO}.textTracks).some((t) => t.mode === 'showing' && t.cues && t.cues.length)"
    )
    showing = page.evaluate(
        f"""Array.from({VIDEO}.textTracks).filter((t) => t.mode === 'showing')
        .map((t) => [t.kind, t.language, t.cues[0].text])"""
    )
    assert showing == [["subtitles", "en", "tg: en subtitles"]]
    page.get_by_role("button", name="Tajik one").click()
    _until(page, f"{VIDEO}.currentTime < 4")
    screenshot(page, f"player-spoken-language-{engine}")


def test_the_player_with_every_control_is_accessible_on_a_small_screen(films, browser):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    _open(page, films, slug=TWO_LANGUAGES, language="tg")
    assert page.is_visible("#player-quality") and page.is_visible("#player-language")
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    results = Axe().run(page)
    screenshot(page, "player-320-tg")
    context.close()
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize(
    ("language", "typo", "megabytes"), [("ru", "москвуу", "МБ"), ("tg", "маскавв", "МБ")]
)
def test_a_viewer_on_a_phone_finds_a_film_despite_a_typo_and_watches_on_little_data(
    films, browser, language, typo, megabytes
):
    """The viewer's journey: home on a phone, a misspelt search, the film, what each quality costs,
    the lowest picture, then sound only."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{films}/{language}/")
    page.fill("#site-q", typo)
    page.press("#site-q", "Enter")
    page.wait_for_url(re.compile(r"/search/\?q="))
    assert page.locator(".corrected").is_visible()  # results for the correction, not "did you mean"
    page.locator(".hit h2 a").first.click()
    page.wait_for_url(f"**/{language}/films/were-going-to-moscow/")
    _until(page, "document.querySelector('[data-player]').dataset.engine")
    pictures = page.locator("#player-quality option").all_inner_texts()[1:]
    assert pictures and all(re.search(rf"\d ({megabytes})$", text) for text in pictures), pictures
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.select_option("#player-quality", "144p")
    page.evaluate(f"{VIDEO}.muted = true")
    _play_until(page, 1)
    assert _rungs(requests) == {"144p"}
    page.select_option("#player-quality", "audio")
    for _ in range(200):  # sound only: the audio rung's segments, and no picture
        if "audio" in _rungs(requests):
            break
        page.wait_for_timeout(100)
    assert "audio" in _rungs(requests)
    _until(page, f"{VIDEO}.currentTime > 0 && {VIDEO}.videoWidth === 0 && !{VIDEO}.paused")
    context.close()


# The phone's share sheet stands in for a messenger: what the page hands it is recorded.
SHARE_SHEET = """
window.shared = [];
Navigator.prototype.share = async function (data) {
  window.shared.push({title: data.title, url: data.url || null,
    files: (data.files || []).map((f) => ({name: f.name, type: f.type, size: f.size}))});
};
Navigator.prototype.canShare = function (data) { return %s; };
"""


@pytest.mark.parametrize("files", [True, False], ids=["file", "link"])
def test_send_to_a_phone_shares_the_small_mp4_else_the_link(films, browser, files):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    context.add_init_script(SHARE_SHEET % ("true" if files else "!data.files"))
    page = context.new_page()
    _open(page, films)
    page.get_by_role("button", name="Send to a phone").click()
    _until(page, "window.shared.length > 0")
    shared = page.evaluate("window.shared")
    small = page.evaluate(
        "fetch(JSON.parse(document.getElementById('player-data').textContent).tg.small)"
        ".then((r) => r.arrayBuffer()).then((b) => b.byteLength)"
    )
    assert len(shared) == 1 and shared[0]["title"]
    if files:
        assert shared[0]["files"] == [{"name": f"{FILM}-tg.mp4", "type": "video/mp4", "size": small}]
        assert shared[0]["url"] is None
    else:  # a browser that cannot share files sends the page's address
        assert shared[0]["files"] == [] and shared[0]["url"].endswith(f"/en/films/{FILM}/")
    assert page.get_by_role("button", name="Send to a phone").is_enabled()
    context.close()


def test_without_a_share_sheet_the_button_stays_hidden_and_the_small_copy_is_offered(films, page):
    _open(page, films)
    assert page.evaluate("'share' in navigator") is False  # headless Chromium on Linux has none
    assert not page.is_visible("[data-send]")
    assert page.get_by_role("link", name=re.compile("Download a small copy to send to a phone")).count() == 1
