"""What a visitor meets before and around the films: the icon, the language they read, and no
cataloguing notes meant for editors."""

import pytest

from mediateka.catalogue.models import Film
from mediateka.mission.models import Project


def test_favicon_is_answered_at_the_site_root(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


@pytest.mark.parametrize(
    ("accept", "language"),
    [
        ("uz-UZ,uz;q=0.9", "ru"),
        ("ky", "ru"),
        ("kk-KZ", "ru"),
        ("tk", "ru"),
        ("az", "ru"),
        ("fa-IR,fa;q=0.9", "tg"),
        ("prs", "tg"),
        ("fr-FR,fr;q=0.9", "en"),  # nobody's nearest: the site default
        ("uz;q=0.5,en", "en"),  # a language of ours asked for first still wins
        ("tg, uz", "tg"),
    ],
)
def test_a_browser_asking_for_a_language_we_lack_gets_the_nearest_one_its_people_read(
    client, db, accept, language
):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == f"/{language}/"


def test_the_api_answers_in_the_nearest_language_too(client, demo):
    body = client.get("/api/v1/films", HTTP_ACCEPT_LANGUAGE="kk-KZ").json()
    assert body["language"] == "ru" and body["results"][0]["title"]["language"] == "ru"


def test_a_film_without_kind_or_year_shows_no_cataloguing_note(
    client, demo, django_capture_on_commit_callbacks
):
    film = Film.objects.public().first()
    Film.objects.filter(pk=film.pk).update(kind="", year=None)
    for url in (film.get_absolute_url(), "/en/films/", "/en/"):
        page = client.get(url).content.decode()
        assert "not recorded" not in page.lower(), url
    film.refresh_from_db()
    film.kind, film.year = Film.Kind.PSA, 2013
    with django_capture_on_commit_callbacks(execute=True):  # the catalogue's version changes on commit
        film.save()
    page = client.get(film.get_absolute_url()).content.decode()
    assert "2013" in page and "Public service announcement" in page


def test_the_mission_page_gives_a_projects_start_once(client, demo):
    page = client.get("/en/mission/").content.decode()
    for project in Project.objects.active().exclude(start_date=None):
        month = project.start_date.strftime("%B %Y")
        assert f"since {month}" in page
        assert month not in project.title_en  # else the line reads "… (from May 2014) since May 2014"


@pytest.mark.parametrize(
    ("language", "header"),
    [("en", "Mediateka administration"), ("ru", "Администрирование Медиатеки"), ("tg", "Идораи Медиатека")],
)
def test_the_admin_names_the_library_in_the_editors_language(client, admin_user, language, header):
    client.force_login(admin_user)
    client.cookies["django_language"] = language
    page = client.get("/admin/").content.decode()
    assert header in page and "Django" not in page
