"""Hardened responses: the Content-Security-Policy, framing, and rate-limited sign-in."""

from html.parser import HTMLParser

import pytest
from django.http import HttpResponse
from django.urls import reverse

from mediateka.catalogue.models import Film
from mediateka.ops.replicas import ReplicaMiddleware, ReplicaRouter


class _ScriptFinder(HTMLParser):
    """Collects what a `script-src 'self'` policy would block: inline code and event handlers."""

    def __init__(self):
        super().__init__()
        self.inline, self.handlers, self._open = [], [], None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.handlers += [name for name in attributes if name.startswith("on")]
        self.handlers += [v for v in attributes.values() if v and v.strip().lower().startswith("javascript:")]
        data_block = (attributes.get("type") or "").endswith("json")
        if tag == "script" and "src" not in attributes and not data_block:
            self._open = ""

    def handle_data(self, data):
        if self._open is not None:
            self._open += data

    def handle_endtag(self, tag):
        if tag == "script" and self._open is not None:
            if self._open.strip():
                self.inline.append(self._open.strip()[:80])
            self._open = None


def _blocked_by_policy(html: str) -> list[str]:
    finder = _ScriptFinder()
    finder.feed(html)
    return finder.inline + finder.handlers


def _directives(response) -> dict[str, list[str]]:
    """The policy as directive -> sources; django-csp does not keep the directives in a fixed order."""
    parts = (part.split() for part in response["Content-Security-Policy"].split(";"))
    return {words[0]: words[1:] for words in parts if words}


def _page(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


PUBLIC_PAGES = ["/en/", "/en/films/", "/ru/mission/", "/tg/search/?q=migration"]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_carry_the_policy_and_no_inline_script(client, demo, url):
    response = _page(client, url)
    policy = _directives(response)
    assert policy["script-src"] == ["'self'"]
    assert not any("unsafe" in source for sources in policy.values() for source in sources)
    assert policy["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert _blocked_by_policy(response.content.decode()) == []


def test_film_page_with_its_player_data_has_no_inline_script(client, demo):
    film = Film.objects.public().first()
    response = _page(client, film.get_absolute_url())
    assert "<script" in response.content.decode()
    assert _blocked_by_policy(response.content.decode()) == []


@pytest.mark.parametrize(
    "url",
    ["/admin/", "/admin/catalogue/film/", "/admin/catalogue/film/add/", "/admin/video/video/"],
)
def test_admin_works_under_the_policy(client, admin_user, demo, url):
    client.force_login(admin_user)
    response = _page(client, url)
    assert _directives(response)["script-src"] == ["'self'"]
    assert _blocked_by_policy(response.content.decode()) == []


def test_an_embeddable_view_may_be_framed_and_keeps_the_rest_of_the_policy(client, settings):
    settings.ROOT_URLCONF = "tests.ops.urls"
    response = client.get("/embed-test/")
    assert "X-Frame-Options" not in response
    policy = _directives(response)
    assert policy["frame-ancestors"] == ["*"] and policy["script-src"] == ["'self'"]
    settings.MEDIATEKA_EMBED_ANCESTORS = ["https://partner.example.org"]
    assert _directives(client.get("/embed-test/"))["frame-ancestors"] == ["https://partner.example.org"]


def test_the_embed_route_is_framable_with_the_full_policy(client, demo):
    film = Film.objects.public().first()
    response = client.get(reverse("embed", kwargs={"slug": film.slug}))
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    policy = _directives(response)
    assert policy["frame-ancestors"] == ["*"] and policy["script-src"] == ["'self'"]
    assert _blocked_by_policy(response.content.decode()) == []


def _sign_in(client, password: str, **headers):
    return client.post("/admin/login/?next=/admin/", {"username": "root", "password": password}, **headers)


def test_wrong_passwords_lock_the_account_from_that_address(client, admin_user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(2):
        assert _sign_in(client, "wrong").status_code == 200  # the form again, with its error
    assert _sign_in(client, "test-password-1").status_code == 302  # still allowed, and resets
    client.logout()
    for _ in range(3):
        _sign_in(client, "wrong")
    locked = _sign_in(client, "test-password-1")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    elsewhere = _sign_in(client, "test-password-1", REMOTE_ADDR="192.0.2.7")
    assert elsewhere.status_code == 302  # the editor is not locked out everywhere


def test_behind_a_proxy_the_lock_applies_to_the_forwarded_client_address(client, admin_user, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.MEDIATEKA_TRUSTED_PROXY_HOPS = 1
    attacker = {"HTTP_X_FORWARDED_FOR": "198.51.100.9"}
    for _ in range(2):
        _sign_in(client, "wrong", **attacker)
    assert _sign_in(client, "test-password-1", **attacker).status_code == 429
    # Same proxy, another client, even one that forges a leftmost address: not locked out.
    other = {"HTTP_X_FORWARDED_FOR": "198.51.100.9, 203.0.113.4"}
    assert _sign_in(client, "test-password-1", **other).status_code == 302


def test_only_anonymous_page_views_read_from_the_replica(rf):
    router, chosen = ReplicaRouter(), []
    middleware = ReplicaMiddleware(lambda request: chosen.append(router.db_for_read(Film)) or HttpResponse())
    middleware(rf.get("/en/films/"))
    signed_in = rf.get("/en/films/")
    signed_in.COOKIES["sessionid"] = "abc"
    middleware(signed_in)
    middleware(rf.post("/en/search/"))
    middleware(rf.get("/admin/catalogue/film/"))
    assert chosen == ["replica", None, None, None]  # None: the primary
    assert router.db_for_read(Film) is None  # outside a request (the worker, commands): the primary
    assert router.db_for_write(Film) is None
    assert router.allow_migrate("replica", "catalogue") is False
