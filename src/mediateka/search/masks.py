"""Film sets as bit masks (bit n = film n), held per process and per index version.

Facet counts are the reason: counting every facet value over a match set of tens of thousands
of films with GROUP BY costs tens of milliseconds on either database, whereas AND and
bit_count() over 100,000-bit integers take microseconds. The masks of facet values, and of the
terms that are in many films, are built once per index version and reused; any index write
bumps the version (models.IndexState), so a process never counts with stale masks.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable

from .models import IndexState, SearchDocument

# Terms in at least this many films keep their mask: below it, fetching the ids is as cheap.
CACHED_TERM_MIN_FILMS = 2000
CACHED_TERMS = 256
_TO_DIGITS = bytes.maketrans(b"\x00\x01", b"01")


def from_ids(ids: Iterable[int], size: int) -> int:
    """The mask of ``ids`` (ids at or past ``size`` are left out)."""
    flags = bytearray(size)
    for pk in ids:
        if pk < size:
            flags[pk] = 1
    if not size:
        return 0
    # One byte per film, turned into binary digits and read as one integer: linear, and far
    # faster than setting bits one by one on a Python int.
    return int(flags.translate(_TO_DIGITS)[::-1], 2)


def to_ids(mask: int) -> list[int]:
    digits = bin(mask)[:1:-1]
    return [pk for pk, digit in enumerate(digits) if digit == "1"]


class Masks:
    def __init__(self, version: int):
        self.version = version
        rows = list(SearchDocument.objects.values_list("film_id", "facets"))
        self.size = max((pk for pk, _facets in rows), default=0) + 1
        members: dict[str, list[int]] = {}
        for pk, facets in rows:
            for token in facets.split():
                members.setdefault(token, []).append(pk)
        self.all = from_ids((pk for pk, _facets in rows), self.size)
        self.facets = {token: from_ids(ids, self.size) for token, ids in members.items()}
        self.by_prefix: dict[str, list[str]] = {}
        for token in sorted(self.facets):
            self.by_prefix.setdefault(token[0], []).append(token)
        self._terms: OrderedDict[str, int] = OrderedDict()
        self._memo: dict = {}
        self._lock = threading.Lock()

    def memo(self, key, make: Callable[[], object]):
        """A value derived from the index that lives as long as this index version."""
        with self._lock:
            if key in self._memo:
                return self._memo[key]
        value = make()
        with self._lock:
            self._memo[key] = value
        return value

    def facet(self, token: str) -> int:
        return self.facets.get(token, 0)

    def term(self, term: str, fetch: Callable[[], list[int]]) -> int:
        with self._lock:
            if term in self._terms:
                self._terms.move_to_end(term)
                return self._terms[term]
        mask = from_ids(fetch(), self.size)
        with self._lock:
            self._terms[term] = mask
            while len(self._terms) > CACHED_TERMS:
                self._terms.popitem(last=False)
        return mask


_current: Masks | None = None
_build_lock = threading.Lock()


def current() -> Masks:
    """The masks for the index as it is now; rebuilt by the first search after a write."""
    global _current
    version = IndexState.objects.current_version()
    masks = _current
    if masks is not None and masks.version == version:
        return masks
    with _build_lock:
        if _current is None or _current.version != version:
            _current = Masks(version)
        return _current
