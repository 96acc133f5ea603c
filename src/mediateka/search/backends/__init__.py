"""One search interface, two index back ends, chosen by the database in use.

A back end only ever receives analysed terms and facet tokens, both ``[a-z0-9]+``; it checks
them again before building its query language (FTS5 MATCH, tsquery) so that no user text, and
so no operator, column filter or quote, can reach either parser. A query is a list of groups, one
per word of the query: a film matches a group when it holds one of the group's alternatives, which
are terms ("migrant0"), prefixes ("oila*", search-as-you-type) or phrases ("torgovl0 lyud0", a
synonym of several words, its terms next to each other).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from django.db import connection

_TOKEN = re.compile(r"[a-z0-9]{1,64}\Z")

# Field weights, title > themes/collection/project/organisations > synopsis > captions.
WEIGHTS = {"title": 10.0, "meta": 4.0, "synopsis": 2.0, "captions": 1.0}


def checked(tokens) -> list[str]:
    tokens = list(tokens)
    for token in tokens:
        if not _TOKEN.match(token):
            raise ValueError(f"not an index token: {token!r}")
    return tokens


def phrase_terms(alternative: str) -> list[str]:
    """The terms of one alternative of a group ("oila*" -> ["oila"], checked)."""
    return checked(alternative.removesuffix("*").split(" "))


@dataclass(frozen=True)
class Match:
    """One alternative of each of ``groups`` (see the module), within every facet group (a film
    must carry one of each facet group's tokens)."""

    groups: tuple[tuple[str, ...], ...] = ()
    facet_groups: tuple[tuple[str, ...], ...] = field(default=())

    def __post_init__(self):
        for group in self.groups:
            if not group:
                raise ValueError("a group of a query needs at least one alternative")
            for alternative in group:
                phrase_terms(alternative)
        for group in self.facet_groups:
            checked(group)

    @classmethod
    def of(cls, *terms: str, facet_groups=()) -> Match:
        """Every one of ``terms``."""
        return cls(groups=tuple((t,) for t in terms), facet_groups=facet_groups)

    @property
    def is_empty(self) -> bool:
        return not self.groups


# What tiered() ranks, in order: films with every word in the title, all the films that match.
TITLE, ALL = "title", "all"


class Candidates:
    """What the caller knows of the matching films, worked out only when a tier asks: all of them
    (``matching``), None when unknown or too many to hand over."""

    def __init__(self, matching: Callable[[], list[int] | None] = lambda: None):
        self._matching = matching

    @cached_property
    def matching(self) -> list[int] | None:
        return self._matching()


def tiered(
    rank_tier: Callable[[Match, str, int, Candidates], list[int]],
    match: Match,
    limit: int,
    offset: int,
    candidates: Candidates | None = None,
):
    """Films with every word in their title first, then the others, each tier in the back end's
    order of relevance (bm25 or ts_rank, field-weighted). A search of one word and suggest rank
    this way; a search of several words is ranked by search.partial.

    Besides being what a visitor expects, this keeps a broad word fast: the relevance function
    runs per matching film (microseconds each, more on PostgreSQL, which reads the film's whole
    vector), and a word in half of 100,000 films is in the titles of a tenth of them. The second
    tier is ranked only when the first does not fill the page; it then holds the films of the
    first (fewer than a page), which are skipped here rather than excluded in the index query.
    ``candidates`` are what the caller knows of the matching films (a back end may rank among
    them instead of asking its index again).
    """
    candidates = candidates or Candidates()
    shown: list[int] = []
    for tier in (TITLE, ALL):
        wanted = offset + limit - len(shown)
        seen = set(shown)
        found = rank_tier(match, tier, wanted + len(shown), candidates)
        shown += [pk for pk in found if pk not in seen][:wanted]
        if len(shown) >= offset + limit:
            break
    return shown[offset : offset + limit]


class Backend(Protocol):
    ranks_among_candidates: bool  # whether ranked() uses the matching films when it is given them
    # Films from which a term's film set is kept as a bitmap (common_terms) rather than asked of
    # the index: where reading the bitmap becomes cheaper than the index's answer.
    common_min_films: int

    def after_write(self, film_ids: list[int]) -> None:
        """Documents of these films were inserted or updated: bring the vendor index up to date."""

    def ids(self, match: Match, limit: int | None = None) -> list[int]:
        """Every film matching (or ``limit`` of them), in no particular order."""

    def title_ids(self, group: tuple[str, ...]) -> list[int]:
        """Every film holding one of ``group``'s alternatives in its title."""

    def ranked(
        self, match: Match, limit: int, offset: int = 0, candidates: Candidates | None = None
    ) -> list[int]:
        """Films matching, best first (see tiered)."""


def backend() -> Backend:
    if connection.vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    from .fts5 import Fts5Backend

    return Fts5Backend()
