"""The search page and the suggest endpoint as a visitor's browser gets them."""

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

from mediateka.catalogue.models import Status
from mediateka.search.index import reindex_all

from .conftest import film

HOSTILE = [
    "",
    " ",
    "x" * 10_240,
    "мигрант " * 1500,
    "!!!???...,,,;;;",
    "AND OR NOT NEAR",
    'NEAR("a" "b", 2)',
    '"unterminated',
    "title:Mehrubon OR synopsis:*",
    "{title synopsis}: migrant",
    "* ^ - + ( ) : \" '",
    "mig*",
    "^Mehrubon",
    "a\x00b",
    "\x01\x02\x1b[31m\x7f",
    "Mehrubon\u202eМосква\u200b𝔐𝔢𝔥",
    "'; DROP TABLE search_searchdocument; --",
    "%' OR 1=1 --",
    "🙂🙂🙂",
]


class _Page(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def all(self, tag, **wanted):
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in wanted.items())]


@pytest.fixture
def indexed(demo):
    reindex_all()


def test_hostile_queries_get_a_page_never_an_error(client, indexed):
    # One test over the list (the index is built once); each query on both endpoints.
    for query in HOSTILE:
        response = client.get("/en/search/", {"q": query, "page": "2x"})
        assert response.status_code == 200, query
        html = response.content.decode()
        assert "No films found." in html or 'class="hit"' in html, query
        assert "<script>" not in html
        suggestion = client.get("/en/search/suggest", {"q": query})
        assert suggestion.status_code == 200, query
        assert isinstance(json.loads(suggestion.content)["suggestions"], list)


def test_a_query_that_is_not_utf8_gets_a_page(client, indexed):
    # A lone surrogate and a stray byte, as a broken client would send them.
    for path in ("/en/search/?q=%ED%A0%80%FF", "/en/search/suggest?q=%ED%A0%80%FF"):
        assert client.get(path).status_code == 200


def test_queries_with_no_words_say_no_results(client, indexed):
    for query in ["!!!???", "AND OR NOT NEAR", '"unterminated', "\x00", "zzqxv", "title: synopsis:"]:
        html = client.get("/en/search/", {"q": query}).content.decode()
        assert "No films found." in html and 'class="hit"' not in html, query


def test_results_page_lists_ranked_highlighted_films(client, indexed):
    html = client.get("/ru/search/", {"q": "Мехрубон"}).content.decode()
    assert '<html lang="ru">' in html
    assert 'href="/ru/films/mehrubon-regular-migration/"' in html
    assert "<mark>Мехрубон</mark>" in html
    assert 'class="snippet" lang="ru"' in html


def test_a_misspelt_search_shows_the_corrected_results_and_links_to_the_literal_one(client, indexed):
    html = client.get("/en/search/", {"q": "Mehrubn"}).content.decode()
    assert "Showing results for <strong>Mehrubon</strong>" in html
    assert 'href="/en/films/mehrubon-regular-migration/"' in html
    assert '<a href="?q=Mehrubn&amp;literal=1">search instead for Mehrubn</a>' in html
    literal = client.get("/en/search/", {"q": "Mehrubn", "literal": "1"}).content.decode()
    assert "No films found." in literal and "Showing results for" not in literal
    assert '<a href="?q=Mehrubon">Mehrubon</a>' in literal


def test_the_api_reports_the_correction_and_searches_literally_when_asked(client, indexed):
    corrected = client.get("/api/v1/search", {"q": "Mehrubn"}).json()
    assert corrected["corrected_to"] == "Mehrubon" and corrected["count"] > 0
    assert corrected["results"][0]["slug"] == "mehrubon-regular-migration"
    literal = client.get("/api/v1/search", {"q": "Mehrubn", "literal": "true"}).json()
    assert (literal["corrected_to"], literal["count"], literal["did_you_mean"]) == (None, 0, "Mehrubon")


def test_facets_are_a_form_that_works_without_javascript(client, indexed):
    html = client.get("/en/search/", {"q": "migrants"}).content.decode()
    page = _Page(html)
    [facets] = page.all("form", **{"class": "facets"})
    assert facets["method"] == "get"
    assert page.all("input", type="hidden", name="q", value="migrants")
    assert page.all("input", type="checkbox", name="theme", value="labour-migration")
    filtered = client.get("/en/search/", {"q": "migrants", "theme": "hiv-migrant-health"}).content.decode()
    assert filtered.count('class="hit"') == 1
    assert _Page(filtered).all(
        "input", type="checkbox", name="theme", value="hiv-migrant-health", checked=None
    )


def test_pagination_keeps_the_query_and_facets(client, db):
    for n in range(25):
        film(f"film-{n}", title_en=f"Isfara story {n}", year=2010)
    reindex_all()
    html = client.get("/en/search/", {"q": "Isfara", "year": "2010"}).content.decode()
    assert html.count('class="hit"') == 20
    assert 'href="?q=Isfara&amp;year=2010&amp;page=2"' in html
    second = client.get("/en/search/", {"q": "Isfara", "year": "2010", "page": "2"}).content.decode()
    assert second.count('class="hit"') == 5 and 'start="21"' in second


def test_a_draft_is_absent_from_the_page_and_from_suggest(client, db):
    film("draft", status=Status.DRAFT, title_en="Karakul secret")
    reindex_all()
    html = client.get("/en/search/", {"q": "Karakul"}).content.decode()
    assert "No films found." in html and "/en/films/draft/" not in html
    assert json.loads(client.get("/en/search/suggest", {"q": "Karak"}).content) == {"suggestions": []}


def test_suggest_returns_titles_in_the_page_language(client, indexed):
    data = json.loads(client.get("/tg/search/suggest", {"q": "Мехру"}).content)
    assert data == {
        "suggestions": [
            {
                "title": "[Меҳрубон: дастури қадам ба қадам оид ба муҳоҷирати қонунӣ]",
                "url": "/tg/films/mehrubon-regular-migration/",
            }
        ]
    }


def test_every_page_has_a_labelled_search_box_and_a_small_script(client, indexed):
    page = _Page(client.get("/en/").content.decode())
    [form] = page.all("form", role="search")
    assert form["action"] == "/en/search/" and form["method"] == "get"
    assert page.all("label", **{"for": "site-q"}) and page.all("input", id="site-q", name="q")
    [script] = [s["src"] for s in page.all("script") if "suggest" in s.get("src", "")]
    assert Path(finders.find(script.removeprefix("/static/"))).stat().st_size < 3 * 1024


def test_search_page_in_each_language(client, indexed):
    for language in ("en", "ru", "tg"):
        response = client.get(f"/{language}/search/", {"q": "Moskva"})
        assert response.status_code == 200
        assert f'href="/{language}/films/were-going-to-moscow/"' in response.content.decode()
