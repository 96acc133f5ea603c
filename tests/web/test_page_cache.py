"""The public pages are kept rendered for anonymous visitors, never stale, never a draft, sent gzipped."""

import gzip

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpResponse
from django.template import engines
from django.test import RequestFactory
from django.utils import timezone

from mediateka.catalogue.models import Collection, Film, Status
from mediateka.mission.models import Organisation
from mediateka.ops.page_cache import public_page
from mediateka.outreach.models import Broadcast
from tests.outreach.conftest import make_screening


def _pages():
    film = Film.objects.listed().first()
    return {
        "home": "/en/",
        "films": "/en/films/",
        "films filtered": "/ru/films/?kind=documentary&page=1",
        "film": f"/tg/films/{film.slug}/",
        "collection": f"/en/collections/{Collection.objects.get().slug}/",
        "mission": "/ru/mission/",
        "reach": "/en/reach/?by=region",
    }


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Writes a film's status as the admin does, the catalogue's version changing on commit."""

    def write(film, status):
        film.status = status
        film.published_at = film.published_at or timezone.now()
        with django_capture_on_commit_callbacks(execute=True):
            film.save()

    return write


def test_a_cached_page_costs_one_query_and_is_the_same_page(client, demo, django_assert_num_queries):
    for name, url in _pages().items():
        first = client.get(url)
        assert first.status_code == 200, name
        with django_assert_num_queries(1):  # the versions; nothing else
            again = client.get(url)
        assert again.content == first.content, name
        for header in (
            "Content-Type",
            "Content-Language",
            "Vary",
            "Content-Security-Policy",
            "X-Frame-Options",
        ):
            assert again[header] == first[header], (name, header)
        assert not again.cookies, name


def test_no_public_page_holds_a_csrf_token_or_sets_a_cookie(client, demo):
    for name, url in _pages().items():
        response = client.get(url)
        assert "csrfmiddlewaretoken" not in response.content.decode(), name
        assert not response.cookies, name


def test_unpublishing_and_publishing_a_film_changes_every_cached_page_at_once(client, demo, publish):
    film = Film.objects.listed().order_by("-published_at").first()
    listed = ["/en/", "/en/films/", f"/en/collections/{Collection.objects.get().slug}/"]
    listed = [url for url in listed if film.get_absolute_url() in client.get(url).content.decode()]
    assert "/en/films/" in listed and "/en/" in listed  # the newest film is on the home page too
    assert client.get(film.get_absolute_url()).status_code == 200
    publish(film, Status.DRAFT)
    assert client.get(film.get_absolute_url()).status_code == 404
    for url in listed:
        assert film.get_absolute_url() not in client.get(url).content.decode(), url
    publish(film, Status.PUBLISHED)
    assert client.get(film.get_absolute_url()).status_code == 200
    for url in listed:
        assert film.get_absolute_url() in client.get(url).content.decode(), url


def test_a_new_screening_or_broadcast_changes_the_cached_reach_pages_at_once(client, demo):
    film = Film.objects.listed().first()
    organisation = Organisation.objects.first()
    before = {url: client.get(url).content for url in ("/en/reach/", film.get_absolute_url())}
    # The rollup's version changes in the writing transaction itself: no commit to wait for.
    make_screening(organisation, [film], attendees=4321, women=2000, men=2321)
    for url, page in before.items():
        assert client.get(url).content != page, url
    assert "4,321" in client.get(film.get_absolute_url()).content.decode()
    dashboard = client.get("/en/reach/").content
    Broadcast.objects.create(
        organisation=organisation, channel="TVT", aired_at=timezone.now(), film=film, estimated_audience=98765
    )
    assert client.get("/en/reach/").content != dashboard
    assert "98,765" in client.get("/en/reach/").content.decode()


def test_an_editors_view_of_a_draft_never_reaches_anonymous_visitors(client, demo, editor, publish):
    film = Film.objects.listed().first()
    publish(film, Status.DRAFT)
    client.force_login(editor)
    preview = client.get(film.get_absolute_url())
    assert preview.status_code == 200 and film.title in preview.content.decode()
    client.logout()
    assert client.get(film.get_absolute_url()).status_code == 404
    assert film.get_absolute_url() not in client.get("/en/films/").content.decode()


def test_a_signed_in_visitor_neither_fills_nor_reads_the_cache(
    client, demo, editor, django_assert_max_num_queries
):
    url = Film.objects.listed().first().get_absolute_url()
    client.force_login(editor)
    client.get(url)
    client.get(url)
    client.logout()
    with django_assert_max_num_queries(1000) as captured:
        client.get(url)
    assert len(captured) > 1  # rendered: the editor's visits left nothing to serve
    client.get(url)  # an anonymous one fills it
    client.force_login(editor)
    with django_assert_max_num_queries(1000) as captured:
        assert client.get(url).status_code == 200
    assert len(captured) > 3  # the session and the user, then the page rendered afresh


def test_gzip_for_clients_that_accept_it_decompresses_to_the_same_page(client, demo):
    for name, url in _pages().items():
        plain = client.get(url)
        assert "Content-Encoding" not in plain and "Accept-Encoding" in plain["Vary"], name
        for _attempt in ("miss or hit", "hit"):
            packed = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
            assert packed["Content-Encoding"] == "gzip", name
            assert gzip.decompress(packed.content) == plain.content, name
            assert len(packed.content) < len(plain.content) / 2, name


def test_each_language_and_each_address_is_its_own_page(client, demo):
    pages = {url: client.get(url).content for url in ("/en/films/", "/ru/films/", "/en/films/?kind=psa")}
    assert len(set(pages.values())) == 3
    assert b'<html lang="ru">' in pages["/ru/films/"]
    # The address's prefix says the language; the browser's preference only chooses where "/" leads.
    assert client.get("/en/films/", HTTP_ACCEPT_LANGUAGE="tg").content == pages["/en/films/"]
    # The alternate-language links are absolute: another host is another page.
    other_host = client.get("/en/films/", HTTP_HOST="localhost").content.decode()
    assert "http://localhost/ru/films/" in other_host and "http://testserver/" not in other_host


def test_the_cache_can_be_turned_off(client, demo, settings, django_assert_max_num_queries):
    settings.MEDIATEKA_PAGE_CACHE = False
    client.get("/en/")
    with django_assert_max_num_queries(1000) as captured:
        client.get("/en/")
    assert len(captured) > 1


def _counting_view(template: str):
    calls = []

    @public_page()
    def view(request):
        calls.append(request)
        return HttpResponse(engines["django"].from_string(template).render({}, request))

    return view, calls


def _anonymous_get():
    request = RequestFactory().get("/en/somewhere/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def test_a_page_with_a_csrf_token_is_neither_kept_nor_compressed(db):
    view, calls = _counting_view("<form method=post>{% csrf_token %}</form>" + "x" * 500)
    for _attempt in range(2):
        request = _anonymous_get()
        request.META["HTTP_ACCEPT_ENCODING"] = "gzip"
        response = view(request)
        assert "csrfmiddlewaretoken" in response.content.decode()
        assert "Content-Encoding" not in response
    assert len(calls) == 2
    plain, plain_calls = _counting_view("<p>no secret</p>" + "x" * 500)
    plain(_anonymous_get())
    plain(_anonymous_get())
    assert len(plain_calls) == 1


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page(db):
    view, calls = _counting_view("<p>{% for m in messages %}{{ m }}{% endfor %}</p>")
    view(_anonymous_get())
    waiting = _anonymous_get()
    waiting._messages.add(20, "Thank you, the screening is recorded.")
    assert "the screening is recorded" in view(waiting).content.decode()
    assert len(calls) == 2


def test_a_page_varying_on_a_header_its_key_does_not_cover_is_not_kept(db):
    calls = []

    @public_page()
    def view(request):
        calls.append(request)
        response = HttpResponse(request.headers.get("Sec-CH-Prefers-Reduced-Motion", "none"))
        response["Vary"] = "Sec-CH-Prefers-Reduced-Motion"
        return response

    view(_anonymous_get())
    view(_anonymous_get())
    assert len(calls) == 2
