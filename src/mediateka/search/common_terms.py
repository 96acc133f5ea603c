"""The film bitmaps of common terms (models.CommonTerm): made by a full reindex, kept exact by
every index write in its own transaction, read by the search instead of asking the index.

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
    ids = backend().ids(Match(terms=(term,)))
    return from_ids(ids, max(ids, default=-1) + 1)


def _made(terms: Iterable[str]) -> list[CommonTerm]:
    rows = []
    for term in terms:
        row = CommonTerm(term=term)
        row.mask = from_index(term)
        rows.append(row)
    return rows


def rebuild() -> int:
    """Bitmaps for every common term, from the index as it is now; returns how many."""
    CommonTerm.objects.all().delete()
    terms = SearchTerm.objects.filter(films__gte=threshold()).values_list("term", flat=True)
    rows = _made(terms.iterator())
    CommonTerm.objects.bulk_create(rows, batch_size=100)
    return len(rows)


def patch(gains: dict[str, set[int]], losses: dict[str, set[int]]) -> None:
    """Films that gained or lost a term in this write (the vocabulary already counts them)."""
    terms = sorted(gains.keys() | losses.keys())
    if not terms:
        return
    # Locked in one order: two writers patching the same bitmaps on PostgreSQL wait for each other
    # instead of one overwriting the other's bits (SQLite writes one transaction at a time anyway).
    rows = list(CommonTerm.objects.select_for_update().filter(term__in=terms).order_by("term"))
    changed, emptied = [], []
    for row in rows:
        mask = row.mask
        for pk in gains.get(row.term, ()):
            mask |= 1 << pk
        for pk in losses.get(row.term, ()):
            mask &= ~(1 << pk)
        row.mask = mask
        (changed if mask else emptied).append(row)
    if changed:
        CommonTerm.objects.bulk_update(changed, ["films"], batch_size=100)
    if emptied:
        CommonTerm.objects.filter(term__in=[row.term for row in emptied]).delete()
    have = {row.term for row in rows}
    new = SearchTerm.objects.filter(term__in=[t for t in gains if t not in have], films__gte=threshold())
    CommonTerm.objects.bulk_create(_made(new.values_list("term", flat=True)), batch_size=100)


def stored_mask(term: str) -> mpz | None:
    films = CommonTerm.objects.filter(term=term).values_list("films", flat=True).first()
    return from_bytes(films) if films is not None else None
