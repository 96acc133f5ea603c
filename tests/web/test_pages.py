import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from mediateka.catalogue.models import Collection, Film

LANGUAGES = ["en", "ru", "tg"]


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.stylesheets: list[str] = []
        self.scripts: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("src", "href", "action", "poster", "srcset"):
            if attrs.get(name):
                self.urls.append(attrs[name])
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.stylesheets.append(attrs["href"])
        if tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])


def _pages():
    film = Film.objects.listed().first()
    return {
        "home": "/{lang}/",
        "films": "/{lang}/films/",
        "film": "/{lang}/films/" + film.slug + "/",
        "collection": "/{lang}/collections/" + Collection.objects.get().slug + "/",
        "mission": "/{lang}/mission/",
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_renders_in_each_language(client, demo, language):
    for name, pattern in _pages().items():
        response = client.get(pattern.format(lang=language))
        assert response.status_code == 200, name
        assert f'<html lang="{language}">' in response.content.decode()


def test_pages_link_their_translations_with_hreflang(client, demo):
    html = client.get("/ru/films/?kind=documentary").content.decode()
    for language in LANGUAGES:
        assert f'hreflang="{language}" href="http://testserver/{language}/films/?kind=documentary"' in html


def test_language_switcher_keeps_the_current_page(client, demo):
    film = Film.objects.listed().first()
    html = client.get(f"/en/films/{film.slug}/").content.decode()
    assert f'href="/tg/films/{film.slug}/" lang="tg"' in html
    assert f'href="/ru/films/{film.slug}/" lang="ru"' in html


@pytest.mark.parametrize("page", ["home", "film"])
def test_page_weight_is_under_40_kb_with_css_and_js(client, demo, page):
    html = client.get(_pages()[page].format(lang="tg")).content
    assets = _Assets()
    assets.feed(html.decode())
    total = len(html)
    for url in assets.stylesheets + assets.scripts:
        path = finders.find(url.removeprefix("/static/"))
        assert path, url
        total += Path(path).stat().st_size
    assert total < 40 * 1024, total


def test_no_page_asks_the_browser_for_another_origin(client, demo):
    for pattern in _pages().values():
        assets = _Assets()
        assets.feed(client.get(pattern.format(lang="en")).content.decode())
        for url in assets.urls:
            assert not re.match(r"^(https?:)?//", url) or url.startswith("http://testserver/"), url


def test_film_list_filters_by_theme_and_kind_and_ignores_bad_values(client, demo):
    html = client.get("/en/films/?kind=documentary").content.decode()
    assert "We&#x27;re Going to Moscow" in html
    assert html.count('class="card"') == 1
    theme = Film.objects.get(slug="were-going-to-moscow").themes.first()
    html = client.get(f"/en/films/?theme={theme.key}").content.decode()
    assert html.count('class="card"') == Film.objects.listed().filter(themes=theme).count()
    response = client.get("/en/films/?theme=%3Cscript%3E&year=abc&page=999")
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_friendly_404_page_in_the_visitors_language(client, db):
    response = client.get("/ru/films/no-such-film/")
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


def test_script_in_a_synopsis_is_escaped(client, demo):
    film = Film.objects.listed().first()
    film.synopsis_en = '<script>alert("x")</script> A film.'
    film.save()
    html = client.get(f"/en/films/{film.slug}/").content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html
