"""Common terms' film bitmaps stay exact through every index write, and a query's pages follow
without gaps or repeats."""

import pytest

from mediateka.catalogue.models import Status
from mediateka.search import common_terms
from mediateka.search.analyser import query_terms
from mediateka.search.backends import Match, backend
from mediateka.search.index import reindex_all
from mediateka.search.models import CommonTerm, SearchTerm
from mediateka.search.query import search

from .conftest import film


@pytest.fixture(autouse=True)
def _two_films_make_a_term_common(monkeypatch):
    monkeypatch.setattr(common_terms, "threshold", lambda: 2)


def _films_of(term: str) -> set[int]:
    return set(backend().ids(Match.of(term)))


def _members(mask: int) -> set[int]:
    return {pk for pk in range(mask.bit_length()) if mask >> pk & 1}


def _bitmap_films(term: str) -> set[int]:
    return _members(CommonTerm.objects.get(term=term).mask)


def _assert_exact() -> None:
    """Every term in two or more films has a bitmap, and each bitmap (of the films holding the
    term, and of those holding it in their title) is the index's own answer."""
    for term in SearchTerm.objects.filter(films__gte=2).values_list("term", flat=True):
        assert _bitmap_films(term) == _films_of(term), term
    for row in CommonTerm.objects.all():
        assert _bitmap_films(row.term) == _films_of(row.term), row.term
        assert _members(row.title_mask) == set(backend().title_ids((row.term,))), row.term


def test_bitmaps_follow_publishing_edits_and_deletions(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        one = film("one", title_en="Pamir road", synopsis_en="Trucks on the Pamir highway")
        two = film("two", title_en="Pamir school")
        three = film("three", title_en="Khujand market", status=Status.DRAFT)
    assert _bitmap_films("pamir") == {one.pk, two.pk}
    _assert_exact()
    with django_capture_on_commit_callbacks(execute=True):
        three.status = Status.PUBLISHED
        three.title_en = "Pamir market"  # becomes the term's third film, and "market" stays rare
        three.save()
        two.title_en = "Village school"  # loses the term
        two.save()
    assert _bitmap_films("pamir") == {one.pk, three.pk}
    _assert_exact()
    with django_capture_on_commit_callbacks(execute=True):
        one.delete()
        three.status = Status.DRAFT
        three.save()
    assert not CommonTerm.objects.filter(term="pamir").exists()  # in no film any more
    _assert_exact()


def test_a_term_becoming_common_gets_its_bitmap_in_the_same_write(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        film("one", title_en="Sarband dam")
    assert not CommonTerm.objects.filter(term="sarband").exists()
    with django_capture_on_commit_callbacks(execute=True):
        second = film("two", title_en="Sarband fields")
    assert second.pk in _bitmap_films("sarband")
    _assert_exact()


def test_reindex_rebuilds_the_bitmaps_and_search_uses_them(db):
    for n in range(5):
        film(f"film-{n}", title_en=f"Vakhsh river {n}", synopsis_en="Water for the valley")
    CommonTerm.objects.all().delete()
    reindex_all()
    _assert_exact()
    (term,) = set(SearchTerm.objects.filter(films=5).values_list("term", flat=True)) & set(
        query_terms("Vakhsh")
    )
    assert CommonTerm.objects.filter(term=term).update(films=b"\x00") == 1  # a bitmap saying "no film"
    assert search("Vakhsh").total == 0  # proof that the search reads the bitmap
    reindex_all()
    assert search("Vakhsh").total == 5


def test_tiers_page_without_gaps_or_repeats(db):
    # Three films hold every word in their titles; four more hold them only in their synopses.
    for n in range(3):
        film(f"titled-{n}", title_en=f"Kulob melons {n}")
    for n in range(4):
        film(f"elsewhere-{n}", title_en=f"Harvest {n}", synopsis_en="Kulob melons " * (n + 1))
    reindex_all()
    everything = [hit.film.slug for hit in search("Kulob melons", per_page=20).hits]
    assert sorted(everything[:3]) == ["titled-0", "titled-1", "titled-2"]
    # Then by relevance: the most mentions first.
    assert everything[3:] == ["elsewhere-3", "elsewhere-2", "elsewhere-1", "elsewhere-0"]
    paged = []
    for page in (1, 2, 3, 4):
        paged += [hit.film.slug for hit in search("Kulob melons", per_page=2, page=page).hits]
    assert paged == everything


def test_films_with_some_word_in_their_title_come_next(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        film("both", title_en="Kulob melons")
        film("kulob", title_en="Kulob bazaar", synopsis_en="Melons and more")
        film("melons", title_en="Sweet melons", synopsis_en="Grown in Kulob")
        film("neither", title_en="Harvest", synopsis_en="Melons from the valleys around Kulob")
    _assert_exact()  # the title bitmaps, patched by those writes
    slugs = [hit.film.slug for hit in search("Kulob melons").hits]
    assert slugs[0] == "both" and sorted(slugs[1:3]) == ["kulob", "melons"] and slugs[3] == "neither"
    assert [hit.film.slug for hit in search("Kulob melons", per_page=1, page=4).hits] == ["neither"]


def test_titles_written_before_they_were_kept_are_asked_of_the_index(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        film("one", title_en="Rasht valley")
        film("two", title_en="Rasht river", synopsis_en="Valley")
        film("three", title_en="Apricots", synopsis_en="Valley orchards above Rasht")
    CommonTerm.objects.update(title_films=None)  # as the migration leaves the rows it finds
    with django_capture_on_commit_callbacks(execute=True):
        film("four", title_en="Rasht roads")
    assert not CommonTerm.objects.exclude(title_films=None).exists()  # patched, still unknown
    slugs = [hit.film.slug for hit in search("Rasht valley").hits]
    assert slugs[0] == "one" and slugs[1] == "two" and slugs[2] == "three"
    reindex_all()
    _assert_exact()


def test_postgresql_ranks_the_first_tier_from_the_narrow_title_table(db, django_capture_on_commit_callbacks):
    from django.db import connection

    from mediateka.search.models import SearchDocument, SearchTitle

    with django_capture_on_commit_callbacks(execute=True):
        kept = film("kept", title_en="Isfara apricots")
        gone = film("gone", title_en="Isfara cherries")
    with django_capture_on_commit_callbacks(execute=True):
        gone.delete()
    if connection.vendor != "postgresql":
        assert not SearchTitle.objects.exists()  # SQLite ranks titles in its FTS5 table
        return
    assert list(SearchTitle.objects.values_list("document_id", flat=True)) == [kept.pk]
    assert SearchDocument.objects.count() == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT document_id FROM search_searchtitle WHERE vector @@ 'isfara'::tsquery")
        assert cursor.fetchall() == [(kept.pk,)]
