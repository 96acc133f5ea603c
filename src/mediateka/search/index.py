"""Index upkeep: write the documents of changed films, drop those no longer listed, rebuild it all.

Only listed (published) films have a document, so a draft, unlisted or archived film is absent
from the index itself, not merely filtered out of results.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable

from django.db import connection, transaction

from mediateka.catalogue.models import Film
from mediateka.ops.planner import refresh_statistics

from . import common_terms, document
from .backends import backend
from .models import IndexState, SearchDocument, SearchTerm

_DOCUMENT_FIELDS = ["title", "meta", "synopsis", "captions", "facets"]


def _write(documents: list[document.Document]) -> None:
    SearchDocument.objects.bulk_create(
        [d.as_model() for d in documents],
        update_conflicts=True,
        unique_fields=["film"],
        update_fields=[*_DOCUMENT_FIELDS, "indexed_at"],
    )
    backend().after_write([d.film_id for d in documents])


def _add_to_vocabulary(delta: Counter) -> None:
    """Adds each term's change in document count; terms left in no document are dropped."""
    table = SearchTerm._meta.db_table
    added = [(term, len(term), change) for term, change in delta.items() if change > 0]
    removed = [(-change, term) for term, change in delta.items() if change < 0]
    with connection.cursor() as cursor:
        if added:
            # The same upsert syntax on SQLite and PostgreSQL.
            cursor.executemany(
                f"INSERT INTO {table} (term, length, films) VALUES (%s, %s, %s)"  # noqa: S608 - model table
                f" ON CONFLICT (term) DO UPDATE SET films = {table}.films + excluded.films",
                added,
            )
        if removed:
            # CASE keeps the count from going below zero (and failing its CHECK) should two
            # writers ever race on one film: the vocabulary only guides suggestions.
            cursor.executemany(
                f"UPDATE {table} SET films = CASE WHEN films > %s THEN films - %s ELSE 0 END WHERE term = %s",  # noqa: S608
                [(n, n, term) for n, term in removed],
            )
    if removed:
        SearchTerm.objects.filter(term__in=[term for _n, term in removed], films=0).delete()


def _differences(
    before: dict[int, set[str]], after: dict[int, set[str]], film_ids: Iterable[int]
) -> tuple[dict[str, set[int]], dict[str, set[int]]]:
    """term -> films that gained it, term -> films that lost it."""
    gains: dict[str, set[int]] = defaultdict(set)
    losses: dict[str, set[int]] = defaultdict(set)
    for film_id in film_ids:
        old, new = before.get(film_id, set()), after.get(film_id, set())
        for term in new - old:
            gains[term].add(film_id)
        for term in old - new:
            losses[term].add(film_id)
    return gains, losses


def index_films(film_ids: Iterable[int]) -> None:
    """Brings the documents of these films in line with the catalogue (run after commit)."""
    ids = set(film_ids)
    if not ids:
        return
    with transaction.atomic():
        old = list(SearchDocument.objects.filter(film_id__in=ids))
        new = [document.build(film) for film in document.films_to_index(ids)]
        gone = ids - {d.film_id for d in new}
        if gone:
            SearchDocument.objects.filter(film_id__in=gone).delete()
        if new:
            _write(new)
        terms = _differences({d.film_id: d.terms for d in old}, {d.film_id: d.terms for d in new}, ids)
        titles = _differences(
            {d.film_id: d.title_terms for d in old}, {d.film_id: d.title_terms for d in new}, ids
        )
        _record_changes(terms, titles, ids)


def _record_changes(terms, titles, film_ids: set[int]) -> None:
    """The vocabulary's counts and the common terms' bitmaps follow the films that gained or lost
    each term (``terms``, and ``titles`` for the terms of titles: each a (gains, losses) pair of
    term -> films); the version bump, naming the films written, tells every process its masks
    are stale."""
    gains, losses = terms
    delta = Counter({term: len(films) for term, films in gains.items()})
    delta.subtract({term: len(films) for term, films in losses.items()})
    _add_to_vocabulary(delta)
    common_terms.patch(terms, titles)
    IndexState.objects.bump(film_ids)


def forget(film_ids: Iterable[int]) -> None:
    """Drops the documents of films being deleted, with their terms' share of the vocabulary."""
    documents = list(SearchDocument.objects.filter(film_id__in=list(film_ids)))
    if documents:
        ids = {d.film_id for d in documents}
        SearchDocument.objects.filter(film_id__in=ids).delete()
        terms = _differences({d.film_id: d.terms for d in documents}, {}, ids)
        titles = _differences({d.film_id: d.title_terms for d in documents}, {}, ids)
        _record_changes(terms, titles, ids)


def reindex_all(batch_size: int = 500, progress: Callable[[int, int], None] | None = None) -> int:
    """Rebuilds the whole index from the catalogue; returns the number of films indexed."""
    ids = list(Film.objects.listed().order_by("pk").values_list("pk", flat=True))
    vocabulary: Counter = Counter()
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        SearchTerm.objects.all().delete()
        for start in range(0, len(ids), batch_size):
            batch = ids[start : start + batch_size]
            documents = [document.build(film) for film in document.films_to_index(batch)]
            _write(documents)
            for doc in documents:
                vocabulary.update(doc.terms)
            if progress:
                progress(min(start + batch_size, len(ids)), len(ids))
        SearchTerm.objects.bulk_create(
            (SearchTerm(term=term, length=len(term), films=count) for term, count in vocabulary.items()),
            batch_size=5000,
        )
        common_terms.rebuild()
        IndexState.objects.bump()
    refresh_statistics()
    return len(ids)
