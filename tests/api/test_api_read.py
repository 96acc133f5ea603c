"""The JSON API's reads: shapes, language and fallbacks, filters, pagination, validators, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mediateka.catalogue.models import Collection, Film, Status, Theme
from mediateka.search.index import reindex_all

from .conftest import add_version


def test_film_list_carries_requested_language_and_flags_the_fallback(client, make_film):
    make_film("only-english", title_en="Only English", title_ru="", title_tg="")
    body = client.get("/api/v1/films", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9,en;q=0.5").json()
    assert body["language"] == "ru"
    title = body["results"][0]["title"]
    assert title == {"text": "Only English", "language": "en", "fallback": True}


def test_lang_parameter_wins_over_accept_language(client, make_film):
    make_film(title_tg="Филми тоҷикӣ")
    response = client.get("/api/v1/films?lang=tg", HTTP_ACCEPT_LANGUAGE="ru")
    assert response["Content-Language"] == "tg"
    assert response.json()["results"][0]["title"] == {
        "text": "Филми тоҷикӣ",
        "language": "tg",
        "fallback": False,
    }


def test_film_detail_has_versions_rungs_captions_credits_project_and_collection(client, rich_film):
    film = client.get("/api/v1/films/every-one-of-us?lang=ru").json()["result"]
    assert film["title"] == {"text": "Every One of Us", "language": "en", "fallback": True}
    assert film["synopsis"]["language"] == "ru"
    assert [v["language"] for v in film["versions"]] == ["ru", "tg"]
    tajik = film["versions"][1]
    assert tajik["master_playlist"].startswith("http://testserver/media/encodings/")
    assert tajik["download"] == {"url": tajik["download"]["url"], "bytes": 1_234_567}
    assert tajik["download"]["url"].endswith("/download.mp4")
    assert [r["name"] for r in tajik["rungs"]] == ["144p", "360p", "audio"]
    assert tajik["rungs"][-1]["audio_only"] is True
    assert {c["language"] for c in tajik["captions"]} == {"en", "ru"}
    assert film["credits"][0]["organisation"]["key"] == "iom"
    assert film["project"]["key"] == "hiv-2014" and film["project"]["status"] == 2
    assert film["collection"]["slug"] == "psa"
    assert film["embed_url"] == "http://testserver/embed/every-one-of-us"
    assert film["web_url"] == "http://testserver/ru/films/every-one-of-us/"


def test_film_list_filters_by_theme_kind_and_spoken_language(client, make_film):
    health = Theme.objects.create(key="health", name_en="Health")
    in_theme = make_film("health-psa", kind=Film.Kind.PSA)
    in_theme.themes.set([health])
    make_film("other-documentary")
    add_version(in_theme, "ru")

    def slugs(query):
        return [f["slug"] for f in client.get(f"/api/v1/films?{query}").json()["results"]]

    assert slugs("theme=health") == ["health-psa"]
    assert slugs("kind=psa") == ["health-psa"]
    assert slugs("spoken=ru") == ["health-psa"]
    assert sorted(slugs("kind=psa&kind=documentary")) == ["health-psa", "other-documentary"]


@pytest.mark.parametrize("status", [Status.DRAFT, Status.ARCHIVED])
def test_draft_and_archived_films_are_not_in_the_api_list(client, make_film, status):
    make_film("visible")
    make_film("hidden", status=status)
    make_film("unlisted", status=Status.UNLISTED)
    body = client.get("/api/v1/films").json()
    assert [f["slug"] for f in body["results"]] == ["visible"]
    assert body["count"] == 1


@pytest.mark.parametrize("status", [Status.DRAFT, Status.ARCHIVED])
def test_draft_and_archived_films_are_not_in_api_search(client, make_film, status):
    make_film("visible")
    make_film("hidden", status=status)
    reindex_all()
    found = client.get("/api/v1/search?q=film").json()
    assert [f["slug"] for f in found["results"]] == ["visible"]


@pytest.mark.parametrize("status", [Status.DRAFT, Status.ARCHIVED])
def test_draft_and_archived_films_have_no_api_detail(client, make_film, status):
    make_film("hidden", status=status)
    assert client.get("/api/v1/films/hidden").status_code == 404


def test_an_unlisted_film_is_reachable_by_its_address_only(client, make_film):
    make_film("by-link", status=Status.UNLISTED)
    assert client.get("/api/v1/films/by-link").json()["result"]["status"] == "unlisted"
    assert client.get("/api/v1/films").json()["count"] == 0


def test_a_draft_collection_is_not_named_by_its_published_film(client, make_film):
    draft = Collection.objects.create(slug="secret-series", title_en="Secret", status=Status.DRAFT)
    make_film("in-draft-series", collection=draft)
    assert "secret-series" not in client.get("/api/v1/films/in-draft-series").content.decode()
    assert client.get("/api/v1/collections/secret-series").status_code == 404


def test_pagination_reaches_past_the_thousandth_film(client, db):
    Film.objects.bulk_create(
        Film(
            slug=f"bulk-{n:04}",
            title_en=f"Bulk {n}",
            status=Status.PUBLISHED,
            published_at=f"2014-01-01T00:{n // 60 % 60:02}:{n % 60:02}Z",
        )
        for n in range(1050)
    )
    first = client.get("/api/v1/films?page_size=50").json()
    assert first["count"] == 1050 and first["pages"] == 21
    last = client.get("/api/v1/films?page_size=50&page=21").json()
    assert len(last["results"]) == 50 and last["next"] is None
    assert last["previous"].endswith("page=20") or "page=20" in last["previous"]
    seen = set()
    url = "/api/v1/films?page_size=100"
    while url:
        page = client.get(url).json()
        seen.update(f["slug"] for f in page["results"])
        url = page["next"]
    assert len(seen) == 1050


def test_etag_gives_304_until_the_film_changes(client, make_film, django_capture_on_commit_callbacks):
    film = make_film("etagged")
    first = client.get("/api/v1/films/etagged")
    etag = first["ETag"]
    assert client.get("/api/v1/films/etagged", HTTP_IF_NONE_MATCH=etag).status_code == 304
    with django_capture_on_commit_callbacks(execute=True):
        film.synopsis_en = "Changed."
        film.save()
    again = client.get("/api/v1/films/etagged", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 200 and again["ETag"] != etag


def test_last_modified_gives_304_to_if_modified_since(client, make_film, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # the catalogue's change time, on commit
        make_film()
    first = client.get("/api/v1/films")
    assert first.status_code == 200
    stamp = first["Last-Modified"]
    assert client.get("/api/v1/films", HTTP_IF_MODIFIED_SINCE=stamp).status_code == 304
    assert (
        client.get("/api/v1/films", HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT").status_code == 200
    )


def test_the_same_list_in_another_language_has_another_etag(client, make_film):
    make_film()
    english = client.get("/api/v1/films?lang=en")
    russian = client.get("/api/v1/films?lang=ru", HTTP_IF_NONE_MATCH=english["ETag"])
    assert russian.status_code == 200
    assert "Accept-Language" in english["Vary"]


# Two reads of the cache's version; count, films, themes, versions, captions, collections; newest change.
LIST_QUERIES = 9


@pytest.mark.parametrize("films", [1, 50])
def test_film_list_queries_do_not_grow_with_the_page(client, make_film, django_assert_max_num_queries, films):

    theme = Theme.objects.create(key="t", name_en="T")
    series = Collection.objects.create(slug="series", title_en="Series", status=Status.PUBLISHED)
    for _ in range(films):
        film = make_film(collection=series)
        film.themes.set([theme])
        add_version(film, "ru")
    with django_assert_max_num_queries(LIST_QUERIES):
        assert len(client.get("/api/v1/films?page_size=50").json()["results"]) == films


def test_search_queries_do_not_grow_with_the_page(client, make_film, django_assert_max_num_queries):
    # The search function's own queries are its business; what is tested is that 50 results cost
    # no more than 1 does.
    make_film()
    reindex_all()
    with CaptureQueriesContext(connection) as one:
        assert client.get("/api/v1/search?q=film&page_size=50").json()["count"] == 1
    for _ in range(49):
        make_film()
    reindex_all()
    with django_assert_max_num_queries(len(one)):
        found = client.get("/api/v1/search?q=film&page_size=50").json()
    assert found["count"] == 50 and len(found["results"]) == 50


def test_film_detail_queries_do_not_grow_with_versions(client, rich_film, django_assert_max_num_queries):
    for language in ("en", "uz"):
        add_version(rich_film, language)
    with django_assert_max_num_queries(
        8
    ):  # cache version (2), film, themes, credits, versions, rungs, captions
        assert len(client.get("/api/v1/films/every-one-of-us").json()["result"]["versions"]) == 4


@pytest.mark.parametrize("projects", [1, 20])
def test_project_list_queries_do_not_grow_with_projects(
    client, mission_records, django_assert_max_num_queries, projects
):
    from mediateka.mission.models import Participation, Project

    for n in range(projects):
        project = Project.objects.create(key=f"p{n}", title_en=f"P{n}", area=mission_records["running"].area)
        Participation.objects.create(project=project, organisation=mission_records["iom"], role="donor")
    with django_assert_max_num_queries(4):  # cache version (2), projects, participations
        assert client.get("/api/v1/projects").status_code == 200


def test_today_counts_from_the_records(client, mission_records):
    today = client.get("/api/v1/today").json()["result"]
    assert today["member_since"] == "1994-11-29"
    assert today["active_projects"] == 1 and today["active_areas"] == 1
    assert today["staff_total"] == 34 and today["staff_floor"] == 30 and today["staff_is_exact"] is False


def test_projects_carry_iati_codes_and_roles(client, mission_records):
    projects = {p["key"]: p for p in client.get("/api/v1/projects?lang=tg").json()["results"]}
    running = projects["hiv-2014"]
    assert running["status"] == 2
    assert running["title"]["language"] == "tg"
    assert [(p["role"], p["iati_role"]) for p in running["participants"]] == [
        ("implementing", 4),
        ("government", 2),
    ]
    assert projects["disaster-2012"]["participants"][1]["iati_role"] == 1


def test_docs_page_loads_nothing_from_another_site(client, db):
    import re

    from django.contrib.staticfiles import finders

    html = client.get("/api/v1/docs").content.decode()
    addresses = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert addresses, html
    for address in addresses:
        assert address.startswith("/static/"), address
        assert finders.find(address.removeprefix("/static/")), address
    assert '"validatorUrl": null' in html


def test_a_repeated_read_is_served_from_the_cache(client, make_film, django_assert_max_num_queries):
    make_film()
    first = client.get("/api/v1/films?page_size=50")
    with django_assert_max_num_queries(2):  # the version, and nothing else
        again = client.get("/api/v1/films?page_size=50")
    assert again.content == first.content and again["ETag"] == first["ETag"]


def test_a_cached_list_drops_a_film_as_soon_as_it_is_drafted(
    client, make_film, django_capture_on_commit_callbacks
):
    film = make_film("soon-a-draft")
    assert client.get("/api/v1/films").json()["count"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        film.status = Status.DRAFT
        film.save()
    assert client.get("/api/v1/films").json()["count"] == 0
    assert client.get("/api/v1/films/soon-a-draft").status_code == 404


def test_a_cached_list_shows_a_new_title_once_the_edit_commits(
    client, make_film, django_capture_on_commit_callbacks
):
    film = make_film("renamed", title_en="Old title")
    assert client.get("/api/v1/films").json()["results"][0]["title"]["text"] == "Old title"
    with django_capture_on_commit_callbacks(execute=False) as pending:
        film.title_en = "New title"
        film.save()
    # Until the commit, readers see the old version, and the cached list with it.
    assert client.get("/api/v1/films").json()["results"][0]["title"]["text"] == "Old title"
    for callback in pending:
        callback()
    assert client.get("/api/v1/films").json()["results"][0]["title"]["text"] == "New title"


def test_an_office_that_touches_no_film_still_changes_the_cached_figures(
    client, mission_records, django_capture_on_commit_callbacks
):
    from mediateka.mission.models import Office

    before = client.get("/api/v1/today").json()["result"]["staff_total"]
    with django_capture_on_commit_callbacks(execute=True):
        Office.objects.create(mission=Office.objects.first().mission, town_en="Kulob", head_count=6)
    assert client.get("/api/v1/today").json()["result"]["staff_total"] == before + 6


def test_a_film_is_described_alike_in_the_list_and_in_its_detail(client, rich_film, make_film):
    # The list reads rows and the detail reads the film; both through the one FilmSummary shape.
    from mediateka.api.catalogue_schemas import FilmSummary

    make_film("in-a-draft-series", collection=Collection.objects.create(slug="draft", title_en="D"))
    for language in ("en", "ru", "tg"):
        listed = client.get(f"/api/v1/films?lang={language}").json()["results"]
        assert len(listed) == 2
        for row in listed:
            detail = client.get(f"/api/v1/films/{row['slug']}?lang={language}").json()["result"]
            assert row == {name: detail[name] for name in FilmSummary.model_fields}
    row = next(f for f in listed if f["slug"] == "every-one-of-us")
    assert row["title"] == {"text": "Ҳар яки мо", "language": "tg", "fallback": False}
    assert row["themes"] == [
        {"key": "health", "name": {"text": "Health", "language": "en", "fallback": True}}
    ]
    assert row["collection"]["api_url"] == "http://testserver/api/v1/collections/psa"
    assert row["spoken_languages"] == ["ru", "tg"] and row["caption_languages"] == ["en", "ru", "tg"]
    assert row["thumbnail"].startswith("http://testserver/media/encodings/")
    assert next(f for f in listed if f["slug"] == "in-a-draft-series")["collection"] is None


@pytest.mark.parametrize(
    "path",
    ["encodings/abc/thumb.jpg", "captions/x y/ru subtitles.vtt", "a/Фильм #1?%20&=+;,.vtt", "a/~:@!$'()*"],
)
def test_media_addresses_are_written_as_the_media_view_reverses_them(rf, db, path):
    from mediateka.api.present import Presenter
    from mediateka.video.access import public_url

    presenter = Presenter(rf.get("/api/v1/films"), "en")
    assert presenter.media(path) == "http://testserver" + public_url(path)
