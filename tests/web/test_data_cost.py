"""What each quality costs in megabytes, beside it in the chooser: the film page, the embed page and the
API, all from the sizes of the rung's real files (the test run's encoded film, tests.media)."""

import html as html_text
import json
import re

import pytest
from django.core.files.storage import default_storage
from django.utils import translation

from mediateka.catalogue.models import Film
from mediateka.video.data_cost import MEGABYTE, megabytes
from mediateka.video.ladder import INIT_SEGMENT

from .test_player_page import MEHRUBON, ready_video

CHOICE = re.compile(r"^(?P<name>.+) · (?P<less><)?(?P<number>\d+(?:[.,]\d)?) (?:MB|МБ)$")


@pytest.fixture
def mehrubon(demo):
    return Film.objects.get(slug=MEHRUBON)


def _files_of_rung(encoding, rung: str) -> int:
    """The bytes of a rung's init and media segments, as they lie in storage."""
    folder = encoding.path(rung)
    _dirs, files = default_storage.listdir(folder)
    media = [f for f in files if f == INIT_SEGMENT or f.endswith(".m4s")]
    assert INIT_SEGMENT in media and len(media) > 1, files
    return sum(default_storage.size(f"{folder}/{name}") for name in media)


def _choices(html: str) -> dict[str, str]:
    chooser = html.split('<select id="player-quality">')[1].split("</select>")[0]
    options = re.findall(r'<option value="([^"]+)">([^<]*)</option>', chooser)
    return {value: html_text.unescape(text) for value, text in options}


def _assert_shows(text: str, real_bytes: int) -> None:
    match = CHOICE.match(text)
    assert match, text
    shown = float(match["number"].replace(",", "."))
    real = real_bytes / MEGABYTE
    if match["less"]:
        assert real < shown, (text, real_bytes)
    else:
        # One decimal under 10 MB: the figure is the real size rounded to the nearest tenth.
        assert abs(shown - real) <= 0.05 + 1e-9, (text, real_bytes)


def test_each_quality_shows_the_megabytes_of_its_real_files(client, mehrubon, playable):
    video = playable(mehrubon, "tg")
    encoding = video.current_encoding
    choices = _choices(client.get(f"/en/films/{MEHRUBON}/").content.decode())
    assert list(choices) == ["auto", "144p", "240p", "audio"]
    assert choices["auto"] == "Automatic"
    for rung in encoding.rungs.all():
        real = _files_of_rung(encoding, rung.name)
        assert rung.bytes == real  # recorded when the encoding was published
        _assert_shows(choices[rung.name], real)
    assert choices["144p"].startswith("144p · ")
    assert choices["audio"].startswith("Audio only (saves data) · ")


def test_sizes_are_written_the_russian_and_tajik_way(client, mehrubon, playable):
    playable(mehrubon, "tg")
    for language in ("ru", "tg"):
        choices = _choices(client.get(f"/{language}/films/{MEHRUBON}/").content.decode())
        assert re.fullmatch(r"144p · \d+,\d МБ", choices["144p"]), choices
        assert "." not in choices["144p"]


@pytest.mark.parametrize(
    ("size", "english", "russian"),
    [
        (0, "<0.1 MB", "<0,1 МБ"),
        (50_000, "<0.1 MB", "<0,1 МБ"),
        (round(0.1 * MEGABYTE), "0.1 MB", "0,1 МБ"),
        (round(4.24 * MEGABYTE), "4.2 MB", "4,2 МБ"),
        (4 * MEGABYTE, "4 MB", "4 МБ"),
        (round(9.97 * MEGABYTE), "10 MB", "10 МБ"),
        (round(123.6 * MEGABYTE), "124 MB", "124 МБ"),
    ],
)
def test_megabytes_are_rounded_for_a_person_to_read(size, english, russian):
    assert megabytes(size) == english
    with translation.override("ru"):
        assert megabytes(size) == russian


def test_a_rung_never_measured_shows_no_figure(client, mehrubon):
    ready_video(mehrubon)  # rows as an import of an old encoding may leave them: bytes 0
    choices = _choices(client.get(f"/en/films/{MEHRUBON}/").content.decode())
    assert choices["144p"] == "144p"
    assert choices["audio"] == "Audio only (saves data)"


def test_each_spoken_version_carries_its_own_figures_for_the_chooser(client, mehrubon, playable):
    playable(mehrubon, "tg")
    russian = playable(mehrubon, "ru")
    html = client.get(f"/ru/films/{MEHRUBON}/").content.decode()
    data = json.loads(re.search(r'<script id="player-data" type="application/json">(.*?)</script>', html)[1])
    assert set(data) == {"ru", "tg"}
    for rung in russian.current_encoding.rungs.all():
        assert data["ru"]["t"][rung.name] == _choices(html)[rung.name]
        _assert_shows(data["ru"]["t"][rung.name], rung.bytes)


def test_the_embed_page_and_the_api_give_the_same_sizes(client, mehrubon, playable):
    video = playable(mehrubon, "tg")
    rungs = {rung.name: rung.bytes for rung in video.current_encoding.rungs.all()}
    embedded = _choices(client.get(f"/embed/{MEHRUBON}?lang=en").content.decode())
    film_page = _choices(client.get(f"/en/films/{MEHRUBON}/").content.decode())
    assert embedded == film_page
    api = client.get(f"/api/v1/films/{MEHRUBON}").json()["result"]
    [version] = api["versions"]
    assert {r["name"]: r["bytes"] for r in version["rungs"]} == rungs
    assert all(size > 0 for size in rungs.values())
