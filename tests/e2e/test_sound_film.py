"""A radio spot in a real Chromium against the real server: its sound version plays with both HLS
engines, from the film page, at its lowest rung by default under data saver."""

from pathlib import Path

import pytest

from tests.live import django_script

from .test_player import PLAYING, _open, _play_until, _player, _rungs, _until

pytestmark = pytest.mark.e2e

SPOT = "radio-spot-safe-travel"


def prepare(folder: str) -> None:
    """Runs in the live site's environment: a published film whose one version is a sound file."""
    from mediateka.catalogue.models import Film
    from mediateka.video.ladder_run import run_ladder
    from mediateka.video.probe import probe
    from tests.media import EncodedFilm, playable_copy
    from tests.video.clips import make_clip

    if Film.objects.filter(slug=SPOT).exists():
        return
    source = make_clip(Path(folder) / "spot.mp3", video=False, seconds=12)
    found = probe(source)
    result = run_ladder(source, Path(folder) / "encoded", found)
    film = Film.objects.create(slug=SPOT, title="Radio spot: travel safely", status="published")
    playable_copy(EncodedFilm(source=source, probed=found, result=result), film, "tg")


@pytest.fixture(scope="module")
def spot(live_site, tmp_path_factory):
    folder = tmp_path_factory.mktemp("spot")
    django_script(
        live_site["env"], f"from tests.e2e.test_sound_film import prepare; prepare({str(folder)!r})"
    )
    return live_site["url"]


@pytest.mark.parametrize("engine", ["hlsjs", "native"])
def test_a_radio_spot_plays_with_its_waveform_as_the_picture(spot, page, engine):
    requests = _open(page, spot, engine=engine, slug=SPOT)
    assert _player(page, "engine") == engine
    assert page.get_attribute("[data-player] video", "poster").endswith(".jpg")
    _play_until(page, 2)
    assert _rungs(requests) <= {"audio", "audio-hq"} and _rungs(requests)
    download = page.locator(".downloads a[href$='/download.m4a']")
    assert download.count() == 1 and download.inner_text().startswith("Download the sound (M4A, ")


def test_under_data_saver_a_radio_spot_plays_its_lowest_sound(spot, browser):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, extra_http_headers={"Save-Data": "on"}
    )
    page = context.new_page()
    requests = _open(page, spot, slug=SPOT)
    assert _player(page, "quality") == "audio"
    _play_until(page, 1)
    _until(page, PLAYING % 1)
    assert _rungs(requests) == {"audio"}
    context.close()
