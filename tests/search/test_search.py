"""The search function against the demo catalogue: across languages and scripts, ranked,
drafts never shown, did-you-mean, and facets that count what the ORM counts."""

import pytest
from django.http import QueryDict

from mediateka.catalogue.models import Film, Status, Theme
from mediateka.search.index import reindex_all
from mediateka.search.query import search, suggest

from .conftest import film, playable_video

MEHRUBON = "mehrubon-regular-migration"
MOSCOW = "were-going-to-moscow"
TVER = "tver-migrant-hiv"
VILLAGE = "village-girl-trafficking"
DAUGHTER = "daughter-job-search-exploitation"
CRISIS = "migrants-economic-crisis"

# query -> the film that must come first. Russian typed without Tajik letters, Latin
# transliteration, Tajik script, English, Russian inflections, and words only in a synopsis.
ACCEPTANCE = [
    ("Мехрубон", MEHRUBON),
    ("Mehrubon", MEHRUBON),
    ("Меҳрубон", MEHRUBON),
    ("mehrubon", MEHRUBON),
    ("HIV migrants", TVER),
    ("ВИЧ", TVER),
    ("ВНМО", TVER),
    ("Tver", TVER),
    ("Тверь", TVER),
    ("Moskva", MOSCOW),
    ("Москва", MOSCOW),
    ("Moscow", MOSCOW),
    ("Маскав", MOSCOW),
    ("Мы едем в Москву", MOSCOW),
    ("going to Moscow", MOSCOW),
    ("documentary Moscow", MOSCOW),
    ("village girl", VILLAGE),
    ("сельская девушка", VILLAGE),
    ("духтари деҳотӣ", VILLAGE),
    ("духтари дехоти", VILLAGE),
    ("human trafficking victim", VILLAGE),
    ("economic crisis", CRISIS),
    ("экономического кризиса", CRISIS),
    ("бӯҳрони иқтисодӣ", CRISIS),
    ("exploitation daughter", DAUGHTER),
    ("эксплуатация дочери", DAUGHTER),
    ("regular migration guide", MEHRUBON),
]


def test_each_query_finds_its_film_first_on_every_language_page(indexed_demo):
    # One test over the whole table, so that a failure report lists every query that failed.
    failures = []
    for query, slug in ACCEPTANCE:
        for language in ("en", "ru", "tg"):
            hits = search(query, language=language).hits
            if not hits or hits[0].film.slug != slug:
                failures.append((language, query, [h.film.slug for h in hits]))
    assert failures == []


def test_a_russian_inflection_finds_every_film_with_the_word(indexed_demo):
    found = {hit.film.slug for hit in search("мигрантов").hits}
    assert {MOSCOW, MEHRUBON, TVER, CRISIS} <= found


def test_a_title_match_outranks_a_caption_match(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        in_captions = film("caption-film", title_en="Road home")
        playable_video(in_captions, "tg", {"en": "Zarafshon valley, Zarafshon river, Zarafshon again"})
        in_synopsis = film("synopsis-film", title_en="River song", synopsis_en="A trip to Zarafshon.")
        in_title = film("title-film", title_en="Zarafshon")
    slugs = [hit.film.slug for hit in search("Zarafshon").hits]
    assert slugs == ["title-film", "synopsis-film", "caption-film"]
    assert {in_captions.pk, in_synopsis.pk, in_title.pk} == {h.film.pk for h in search("зарафшон").hits}


def test_a_theme_match_outranks_a_synopsis_match(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        theme = Theme.objects.create(key="remittances", name_en="Remittances")
        film("synopsis-film", title_en="Money", synopsis_en="About remittances.")
        tagged = film("theme-film", title_en="Family budget")
        tagged.themes.add(theme)
    assert [h.film.slug for h in search("remittance").hits] == ["theme-film", "synopsis-film"]


@pytest.mark.parametrize("status", [Status.DRAFT, Status.ARCHIVED, Status.UNLISTED])
def test_unlisted_films_are_never_found(db, status):
    film("hidden-film", status=status, title_en="Khatlon secret")
    film("shown-film", title_en="Khatlon open")
    reindex_all()
    assert [h.film.slug for h in search("Khatlon").hits] == ["shown-film"]
    assert [s["url"] for s in suggest("Khatlo")] == ["/en/films/shown-film/"]
    assert search("secret").total == 0


def test_hits_are_highlighted_in_the_viewers_language(indexed_demo):
    hit = search("мигрантов", language="ru").hits[0]
    assert hit.language == "ru"
    assert "<mark>мигрант" in hit.snippet
    english = search("migrants", language="en").hits[0]
    assert english.language == "en" and "<mark>migrant" in english.snippet


def test_a_snippet_comes_from_the_language_that_matched(indexed_demo):
    # "ВНМО" is Tajik only: on the English page the Tajik synopsis is the one that explains why.
    hit = search("ВНМО", language="en").hits[0]
    assert hit.language == "tg" and "<mark>ВНМО</mark>" in hit.snippet


def test_a_title_match_shows_the_viewers_synopsis_unmarked(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        film(
            "pamir",
            title_en="Roads of the Pamir",
            synopsis_en="Drivers and their trucks.",
            synopsis_ru="Водители и их грузовики.",
        )
    hit = search("Pamir", language="ru").hits[0]
    assert str(hit.title) == "Roads of the <mark>Pamir</mark>"
    assert (hit.language, str(hit.snippet)) == ("ru", "Водители и их грузовики.")


def test_markup_in_catalogue_text_is_escaped_in_highlights(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        film("xss", title_en="<b>Pamir</b>", synopsis_en='<script>alert("Pamir")</script> Pamir & co')
    hit = search("Pamir").hits[0]
    assert str(hit.title) == "&lt;b&gt;<mark>Pamir</mark>&lt;/b&gt;"
    assert "<script>" not in hit.snippet and "&lt;script&gt;" in hit.snippet and "&amp; co" in hit.snippet


def test_a_misspelt_word_shows_the_results_of_its_correction_in_the_script_typed(indexed_demo):
    corrected = search("migrnts")
    assert corrected.typed == "migrnts" and corrected.query in (
        "migrant",
        "migrants",
    )  # a word some film uses
    assert corrected.total == search(corrected.query).total > 0
    assert search("Mehrubn").query == "Mehrubon"  # capitalised as typed
    assert search("MEHRUBN").query == "MEHRUBON"
    assert search("мигрнты").query.startswith("мигрант")
    assert search("Mehrubon").typed is None
    nothing = search("qqqqqqqq zzzzzzzz")
    assert (nothing.total, nothing.did_you_mean, nothing.typed) == (0, None, None)


def test_the_literal_search_offers_the_correction_instead(indexed_demo):
    literal = search("мигрнты", correct=False)
    assert literal.total == 0 and literal.typed is None
    assert literal.did_you_mean.startswith("мигрант")


def test_suggest_completes_the_last_word(indexed_demo):
    assert [s["url"] for s in suggest("Mehru")] == [f"/en/films/{MEHRUBON}/"]
    assert [s["url"] for s in suggest("labour migrants Tve")] == [f"/en/films/{TVER}/"]
    # A finished word without a trailing space still reaches its stemmed form.
    assert f"/en/films/{TVER}/" in [s["url"] for s in suggest("мигранты")]
    assert suggest("M") == [] and suggest("") == [] and suggest("zzzzz") == []


def _all_hits(query, params=""):
    results = search(query, QueryDict(params), per_page=100)
    return results, Film.objects.filter(pk__in=[h.film.pk for h in results.hits])


def _facet_counts(results):
    return {f.name: {v.value: v.count for v in f.values} for f in results.facets}


def _orm_counts(films):
    playable = {"videos__current_encoding__isnull": False}
    themes = {t.key: films.filter(themes=t).count() for t in Theme.objects.all()}
    return {
        "theme": {k: n for k, n in themes.items() if n},
        "kind": {k: films.filter(kind=k).count() for k in Film.Kind.values if films.filter(kind=k).exists()},
        "year": {
            str(y): films.filter(year=y).count()
            for y in films.exclude(year=None).values_list("year", flat=True)
        },
        "spoken": {
            code: films.filter(videos__language=code, **playable).distinct().count()
            for code in ("tg", "ru", "en", "uz", "zxx")
            if films.filter(videos__language=code, **playable).exists()
        },
        "captions": {
            code: films.filter(
                videos__captions__language=code, videos__captions__kind="subtitles", **playable
            )
            .distinct()
            .count()
            for code in ("en", "ru", "tg")
            if films.filter(videos__captions__language=code, **playable).exists()
        },
        "collection": {
            c.slug: films.filter(collection=c).count() for c in {f.collection for f in films if f.collection}
        },
    }


@pytest.fixture
def faceted_demo(demo):
    films = {f.slug: f for f in Film.objects.all()}
    Film.objects.filter(slug__in=[MOSCOW, TVER]).update(kind="documentary", year=2012)
    Film.objects.filter(slug=MEHRUBON).update(kind="psa", year=2013)
    playable_video(films[MEHRUBON], "tg", {"ru": "Мехрубон едет", "en": "Mehrubon goes"})
    playable_video(films[MEHRUBON], "ru", {"tg": "Меҳрубон меравад"})
    playable_video(films[TVER], "ru", {"ru": "Тверь"})
    playable_video(films[CRISIS], "tg")
    reindex_all()


@pytest.mark.parametrize("query", ["migrants", "мигрант", "film", "Mehrubon"])
def test_facet_counts_equal_orm_counts(faceted_demo, query):
    results, films = _all_hits(query)
    assert results.total == films.count() > 0
    assert _facet_counts(results) == _orm_counts(films)


def test_facets_combine_and_count_the_other_facets_choices(faceted_demo):
    results, _films = _all_hits("migrants", "spoken=ru&spoken=tg&kind=documentary")
    assert {h.film.slug for h in results.hits} == {TVER}
    counts = _facet_counts(results)
    # Within a facet, values are alternatives: each kind counts with the spoken-language choice only.
    assert counts["kind"] == {"documentary": 1, "psa": 1}
    assert counts["spoken"] == {"ru": 1, "tg": 0}  # a chosen value stays on show, even at 0
    chosen = {(f.name, v.value) for f in results.facets for v in f.values if v.selected}
    assert chosen == {("spoken", "ru"), ("spoken", "tg"), ("kind", "documentary")}


def test_unknown_facet_values_are_ignored(faceted_demo):
    results = search("migrants", QueryDict("theme=<script>&year=abc&year=99999&kind=nope&collection=x"))
    assert results.total == search("migrants").total > 0


def test_facets_that_exclude_every_match_say_so(faceted_demo):
    results = search("Tver", QueryDict("kind=psa"))
    assert results.total == 0 and results.filtered_out and results.did_you_mean is None


def test_results_are_paged(indexed_demo):
    pages = [search("migrants", page=n, per_page=2) for n in (1, 2, 3)]
    assert [p.pages for p in pages] == [3, 3, 3] and pages[0].total == 5
    assert [len(p.hits) for p in pages] == [2, 2, 1]
    assert len({h.film.pk for p in pages for h in p.hits}) == 5
    assert search("migrants", page=99, per_page=2).page == 3
