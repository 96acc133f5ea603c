"""The film bitmaps of common terms (models.CommonTerm), of the films holding each and of those
holding it in their title: made by a full reindex, kept exact by every index write in its own
transaction, read by the search instead of asking the index.

A term counts as common from threshold() films on; below that, asking the index for its films
is as cheap as reading a bitmap (the point differs per back end: Backend.common_min_films). A term
that becomes common in a write gets its bitmap in that write; one that falls below keeps it (it
stays exact) until it is in no film at all.
"""

from __future__ import annotations

from collections.abc import Iterable

from gmpy2 import mpz

from .backends import Match, backend
from .masks import from_bytes, from_ids
from .models import CommonTerm, SearchTerm


def threshold() -> int:
    return backend().common_min_films


def from_index(term: str) -> mpz:
    """The term's films as a bitmap, asked of the index."""
    return _mask(backend().ids(Match.of(term)))


def titles_from_index(term: str) -> mpz:
    """The films holding the term in their title, asked of the index."""
    return _mask(backend().title_ids((term,)))


def _mask(ids: list[int]) -> mpz:
    return from_ids(ids, max(ids, default=-1) + 1)


def _made(terms: Iterable[str]) -> list[CommonTerm]:
    rows = []
    for term in terms:
        row = CommonTerm(term=term)
        row.mask = from_index(term)
        row.title_mask = titles_from_index(term)
        rows.append(row)
    return rows


def rebuild() -> int:
    """Bitmaps for every common term, from the index as it is now; returns how many."""
    CommonTerm.objects.all().delete()
    terms = SearchTerm.objects.filter(films__gte=threshold()).values_list("term", flat=True)
    rows = _made(terms.iterator())
    CommonTerm.objects.bulk_create(rows, batch_size=100)
    return len(rows)


def _patched(mask, gained: Iterable[int], lost: Iterable[int]):
    for pk in gained:
        mask |= 1 << pk
    for pk in lost:
        mask &= ~(1 << pk)
    return mask


def patch(terms: tuple[dict, dict], titles: tuple[dict, dict]) -> None:
    """Films that gained or lost a term in this write, anywhere (``terms``) and in their title
    (``titles``): each a pair of term -> films (the vocabulary already counts them)."""
    gains, losses = terms
    title_gains, title_losses = titles
    changed_terms = sorted(gains.keys() | losses.keys() | title_gains.keys() | title_losses.keys())
    if not changed_terms:
        return
    # Locked in one order: two writers patching the same bitmaps on PostgreSQL wait for each other
    # instead of one overwriting the other's bits (SQLite writes one transaction at a time anyway).
    rows = list(CommonTerm.objects.select_for_update().filter(term__in=changed_terms).order_by("term"))
    changed, emptied = [], []
    for row in rows:
        row.mask = _patched(row.mask, gains.get(row.term, ()), losses.get(row.term, ()))
        if row.title_films is not None:  # else unknown until the next reindex, and left so
            row.title_mask = _patched(
                row.title_mask, title_gains.get(row.term, ()), title_losses.get(row.term, ())
            )
        (changed if row.mask else emptied).append(row)
    if changed:
        CommonTerm.objects.bulk_update(changed, ["films", "title_films"], batch_size=100)
    if emptied:
        CommonTerm.objects.filter(term__in=[row.term for row in emptied]).delete()
    have = {row.term for row in rows}
    new = SearchTerm.objects.filter(term__in=[t for t in gains if t not in have], films__gte=threshold())
    CommonTerm.objects.bulk_create(_made(new.values_list("term", flat=True)), batch_size=100)


def films_of(term: str) -> mpz:
    """The term's films: its bitmap, or the index's answer for a term without one (not common, or
    an index written before the bitmaps were kept)."""
    stored = _stored(term, "films")
    return stored if stored is not None else from_index(term)


def title_films_of(term: str) -> mpz:
    """The films holding the term in their title, likewise (null titles: rows from before 0004)."""
    stored = _stored(term, "title_films")
    return stored if stored is not None else titles_from_index(term)


def _stored(term: str, column: str) -> mpz | None:
    bitmap = CommonTerm.objects.filter(term=term).values_list(column, flat=True).first()
    return from_bytes(bitmap) if bitmap is not None else None
