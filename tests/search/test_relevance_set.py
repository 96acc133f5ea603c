"""The relevance test set's files (tests/search/relevance): every judged film exists, every film
is written in the languages it declares, and the set has the size and categories that the
benchmark (bench/relevance.py) reports on. The scores are the benchmark's, not this test's."""

import json
from collections import Counter
from pathlib import Path
from urllib.parse import parse_qs

import pytest

from mediateka.catalogue.models import Film
from mediateka.mission.translated import LANGUAGES
from mediateka.search.facets import FACETS
from mediateka.video.models import SPOKEN_LANGUAGES

HERE = Path(__file__).parent / "relevance"
CATEGORIES = {
    "inflection-ru",
    "inflection-tg",
    "inflection-en",
    "cross-script",
    "tajik-plain",
    "misspelling",
    "synonym",
    "multi-word",
    "one-language",
    "facet",
    "degenerate",
}
TAJIK_LETTERS = set("ҳқғҷӯӣҲҚҒҶӮӢ")


def _load(name: str):
    return json.loads((HERE / name).read_text("utf-8"))


CATALOGUE = _load("catalogue.json")
QUERIES = _load("queries.json")["queries"]
FILMS = {film["slug"]: film for film in CATALOGUE["films"]}


def test_the_set_is_as_large_as_the_issue_asks():
    assert len(CATALOGUE["films"]) >= 60
    assert len(QUERIES) >= 120
    assert len(FILMS) == len(CATALOGUE["films"]), "film slugs repeat"
    assert len({q["id"] for q in QUERIES}) == len(QUERIES), "query ids repeat"


def test_every_category_has_queries_and_no_other_category_is_used():
    counts = Counter(q["category"] for q in QUERIES)
    assert set(counts) == CATEGORIES, set(counts) ^ CATEGORIES
    assert min(counts.values()) >= 5, counts


def test_every_judged_film_exists_once():
    for q in QUERIES:
        unknown = [slug for slug in q["relevant"] if slug not in FILMS]
        assert not unknown, f"query {q['id']} ({q['query']!r}) names unknown films {unknown}"
        assert len(set(q["relevant"])) == len(q["relevant"]), f"query {q['id']} repeats a film"


@pytest.mark.parametrize("slug", sorted(FILMS))
def test_every_film_is_written_in_exactly_the_languages_it_declares(slug):
    film = FILMS[slug]
    declared = film["languages"]
    assert declared and set(declared) <= set(LANGUAGES), declared
    for field in ("title", "synopsis"):
        assert set(film[field]) == set(declared), f"{slug}.{field}: {sorted(film[field])} != {declared}"
        for code, text in film[field].items():
            assert isinstance(text, str) and text.strip(), f"{slug}.{field}.{code} is empty"
    for code, title in film["title"].items():
        assert len(title) <= Film._meta.get_field(f"title_{code}").max_length, f"{slug}.title.{code}"
    if "tg" in declared:
        assert TAJIK_LETTERS & set(film["synopsis"]["tg"]), f"{slug}: the Tajik synopsis has no Tajik letter"


def test_some_films_are_titled_in_one_language_only():
    alone = Counter(film["languages"][0] for film in FILMS.values() if len(film["languages"]) == 1)
    assert alone["tg"] >= 2 and alone["ru"] >= 2, alone


def test_every_reference_of_a_film_resolves():
    themes = {t["key"] for t in CATALOGUE["themes"]}
    collections = {c["slug"] for c in CATALOGUE["collections"]}
    kinds = set(Film.Kind.values)
    spoken = {code for code, _label in SPOKEN_LANGUAGES}
    for slug, film in FILMS.items():
        assert set(film["themes"]) <= themes, slug
        assert film["collection"] is None or film["collection"] in collections, slug
        assert film["kind"] in kinds, slug
        assert film["year"] is None or 1990 <= film["year"] <= 2030, slug
        assert film["about"], f"{slug} has no subject tags to judge it by"
        for video in film["videos"]:
            assert video["spoken"] in spoken, slug
            # A caption track's cue is the film's title in the caption's language.
            assert set(video["captions"]) <= set(film["languages"]), slug
    for record in CATALOGUE["themes"] + CATALOGUE["collections"]:
        for field in ("name", "title", "description"):
            if field in record:
                assert set(record[field]) == set(LANGUAGES) and all(record[field].values()), record


def test_facet_choices_name_real_facets_and_known_values():
    facets = {name for name, _label in FACETS}
    themes = {t["key"] for t in CATALOGUE["themes"]}
    collections = {c["slug"] for c in CATALOGUE["collections"]}
    for q in QUERIES:
        params = parse_qs(q["params"])
        assert bool(params) == (q["category"] == "facet"), f"query {q['id']}: facet choices outside 'facet'"
        assert set(params) <= facets, q
        for value in params.get("theme", []):
            assert value in themes, q
        for value in params.get("collection", []):
            assert value in collections, q


def test_every_query_names_its_page_language_and_why_it_was_judged_so():
    for q in QUERIES:
        assert q["language"] in LANGUAGES, q["id"]
        assert q["why"].strip(), q["id"]
        assert isinstance(q["query"], str), q["id"]
