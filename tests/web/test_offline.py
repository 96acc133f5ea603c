"""Saving films for offline viewing, as the server sees it: the manifest, the service worker, the offline
page, the sizes the film page offers, the still-public question and the saved count.

The browser's part (saving, resuming, playing with no network) is tests/e2e/test_offline.py.
"""

import json
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone

from mediateka.catalogue.models import Film
from mediateka.outreach.saves import OfflineSave
from mediateka.video.models import CaptionTrack
from mediateka.video.offline_sizes import phone_poster_path

from .test_player_page import MEHRUBON, _Page, _track, _vtt


@pytest.fixture
def mehrubon(demo):
    return Film.objects.get(slug=MEHRUBON)


def _stored(folder: str) -> int:
    _dirs, files = default_storage.listdir(folder)
    return sum(default_storage.size(f"{folder}/{name}") for name in files)


@pytest.mark.parametrize(
    ("language", "name", "short_name"),
    [("en", "Mediateka: films on safe migration", "Mediateka"), ("ru", None, None), ("tg", None, None)],
)
def test_manifest_in_the_addresss_language_with_its_icons(client, db, language, name, short_name):
    response = client.get(f"/{language}/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["lang"] == language
    assert manifest["start_url"] == f"/{language}/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    if name:
        assert (manifest["name"], manifest["short_name"]) == (name, short_name)
    assert manifest["description"]
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert sizes == {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")}
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        with open(path, "rb") as png:
            assert png.read(8) == b"\x89PNG\r\n\x1a\n"


def test_every_page_links_the_manifest_but_registers_no_worker(client, demo):
    html = client.get(f"/tg/films/{MEHRUBON}/").content.decode()
    page = _Page(html)
    assert page.all("link", rel="manifest") == [{"rel": "manifest", "href": "/tg/manifest.webmanifest"}]
    scripts = [s.get("src", "") for s in page.all("script")]
    assert not [s for s in scripts if "offline" in s or "sw.js" in s]  # loaded only when a person saves


def test_service_worker_is_served_from_the_root_for_the_whole_site(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    for shell in ("/en/offline/", "/ru/offline/", "/tg/offline/"):
        assert f'"{shell}"' in body
    assert "hls.light" in body and "offline" in body


@pytest.mark.parametrize(("language", "title"), [("en", "Films saved on this device")])
def test_offline_page_is_a_shell_in_the_visitors_language(client, db, language, title):
    html = client.get(f"/{language}/offline/").content.decode()
    page = _Page(html)
    assert f"<h1>{title}</h1>" in html
    assert page.all("script", type="module")[0]["src"].endswith(".js")
    assert "csrfmiddlewaretoken" not in html  # kept by the worker for offline use: no secret in it
    assert client.get("/ru/offline/").status_code == client.get("/tg/offline/").status_code == 200


def test_film_page_offers_each_small_rung_with_the_size_of_its_real_files(client, mehrubon, playable):
    video = playable(mehrubon, "tg")
    _track(video, "tg", "subtitles", _vtt("Салом"))
    encoding = video.current_encoding
    html = client.get(f"/en/films/{MEHRUBON}/").content.decode()
    page = _Page(html)
    options = {o["value"]: int(o["data-bytes"]) for o in page.all("input", name="rung-tg")}
    rungs = {r.name: r for r in encoding.rungs.all()}
    offered = {name for name, rung in rungs.items() if rung.height in (0, 144, 240, 360)}
    assert set(options) == offered and "144p" in options
    besides = default_storage.size(phone_poster_path(encoding)) + sum(
        default_storage.size(t.file) for t in CaptionTrack.objects.filter(video=video)
    )
    for name, size in options.items():
        # The rung's folder is its playlist, init segment and segments: every file of it is saved.
        assert size == _stored(encoding.path(name)) + besides, name
    chosen = [o["value"] for o in page.all("input", name="rung-tg") if "checked" in o]
    assert chosen == ["144p"]  # the smallest picture is the one proposed
    assert "144p · " in html


def test_a_draft_is_not_offered_for_saving(client, mehrubon, playable, django_user_model):
    playable(mehrubon, "tg")
    mehrubon.status = "draft"
    mehrubon.save()
    editor = django_user_model.objects.create_superuser("editor", "e@example.org", "pw-for-tests-only")
    client.force_login(editor)
    html = client.get(f"/en/films/{MEHRUBON}/").content.decode()
    assert "Preview" in html and "Save for offline" not in html and "save.js" not in html


def test_still_public_names_only_public_films_and_never_a_draft(client, demo):
    public = Film.objects.public().order_by("pk")[:2]
    draft = Film.objects.create(slug="a-draft-film", title="A draft", status="draft")
    unlisted = Film.objects.create(slug="an-unlisted-film", title="Unlisted", status="unlisted")
    slugs = [f.slug for f in public] + [draft.slug, unlisted.slug, "no-such-film"]
    response = client.get("/offline/public", {"film": slugs})
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")
    assert json.loads(response.content) == {"public": sorted([*(f.slug for f in public), unlisted.slug])}


@pytest.mark.parametrize("query", ["", "?film=", "?film=a/b", "?film=" + "x" * 201])
def test_still_public_refuses_a_malformed_question(client, db, query):
    response = client.get("/offline/public" + query)
    assert response.status_code == 400
    assert b"?film=<slug>" in response.content


def _strict_post(body) -> tuple[Client, object]:
    client = Client(enforce_csrf_checks=True)
    token = json.loads(client.get("/offline/saved").content)["csrf"]
    response = client.post(
        "/offline/saved", json.dumps(body), content_type="application/json", headers={"X-CSRFToken": token}
    )
    return client, response


def test_a_completed_save_counts_in_the_films_reach(client, mehrubon, playable):
    playable(mehrubon, "tg")
    assert "<span data-saved>" not in client.get(f"/en/films/{MEHRUBON}/").content.decode()
    for _ in range(2):
        _client, response = _strict_post({"film": MEHRUBON, "language": "tg", "rung": "144p"})
        assert response.status_code == 204
    cell = OfflineSave.objects.get(film=mehrubon)
    assert (cell.language, cell.rung, cell.count) == ("tg", "144p", 2)
    # The reach line, in a page kept for everyone: the count changed what it shows.
    html = client.get(f"/en/films/{MEHRUBON}/").content.decode()
    assert "Saved for offline viewing 2 times." in html


def test_the_save_counts_are_read_in_the_admin_and_never_typed_in(admin_client, mehrubon):
    OfflineSave.objects.create(film=mehrubon, day=timezone.localdate(), language="tg", rung="240p", count=7)
    listed = admin_client.get("/admin/outreach/offlinesave/")
    assert listed.status_code == 200
    row = listed.content.decode()
    assert "240p" in row and ">7<" in row
    assert admin_client.get("/admin/outreach/offlinesave/add/").status_code == 403
    cell = OfflineSave.objects.get()
    assert (
        admin_client.post(f"/admin/outreach/offlinesave/{cell.pk}/change/", {"count": 9}).status_code == 403
    )
    cell.refresh_from_db()
    assert cell.count == 7


def test_the_saved_count_needs_the_csrf_token(mehrubon, playable):
    playable(mehrubon, "tg")
    strict = Client(enforce_csrf_checks=True)
    body = json.dumps({"film": MEHRUBON, "language": "tg", "rung": "144p"})
    assert strict.post("/offline/saved", body, content_type="application/json").status_code == 403
    assert not OfflineSave.objects.exists()


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("not json", b"not JSON"),
        ([], b"Expected"),
        ({"film": MEHRUBON, "language": "tg"}, b"Expected"),
        ({"film": "no-such-film", "language": "tg", "rung": "144p"}, b"No public film"),
        ({"film": MEHRUBON, "language": "ru", "rung": "144p"}, b"no version"),
        ({"film": MEHRUBON, "language": "tg", "rung": "4320p"}, b"no version"),
    ],
)
def test_the_saved_count_refuses_bad_input(mehrubon, playable, body, reason):
    playable(mehrubon, "tg")
    client = Client(enforce_csrf_checks=True)
    token = json.loads(client.get("/offline/saved").content)["csrf"]
    data = body if isinstance(body, str) else json.dumps(body)
    headers = {"X-CSRFToken": token}
    response = client.post("/offline/saved", data, content_type="application/json", headers=headers)
    assert response.status_code == 400
    assert reason in response.content
    assert not OfflineSave.objects.exists()


def test_a_draft_is_never_counted(mehrubon, playable):
    playable(mehrubon, "tg")
    Film.objects.filter(pk=mehrubon.pk).update(status="draft")
    _client, response = _strict_post({"film": MEHRUBON, "language": "tg", "rung": "144p"})
    assert response.status_code == 400
    assert not OfflineSave.objects.exists()


def _weight(client, url: str) -> int:
    html = client.get(url).content
    page = _Page(html.decode())
    assets = [s["src"] for s in page.all("script") if "src" in s]
    assets += [link["href"] for link in page.all("link", rel="stylesheet")]
    total = len(html)
    for asset in assets:
        path = finders.find(asset.removeprefix("/static/"))
        assert path, asset
        total += len(Path(path).read_bytes())
    return total


def test_the_offline_page_and_a_film_page_with_the_save_chooser_weigh_under_40_kb(client, mehrubon, playable):
    playable(mehrubon, "tg")
    playable(mehrubon, "ru")
    for url in ("/tg/offline/", f"/tg/films/{MEHRUBON}/"):
        weight = _weight(client, url)
        assert weight < 40 * 1024, (url, weight)
