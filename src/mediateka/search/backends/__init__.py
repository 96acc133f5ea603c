"""One search interface, two index back ends, chosen by the database in use.

A back end only ever receives analysed terms and facet tokens, both ``[a-z0-9]+``; it checks
them again before building its query language (FTS5 MATCH, tsquery) so that no user text, and
so no operator, column filter or quote, can reach either parser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class Match:
    """All of ``terms`` (and the ``prefix`` as the start of a term), within every facet group (a
    film must carry one of each group's tokens)."""

    terms: tuple[str, ...] = ()
    prefix: str | None = None
    facet_groups: tuple[tuple[str, ...], ...] = field(default=())

    def __post_init__(self):
        checked(self.terms)
        checked([self.prefix] if self.prefix else [])
        for group in self.facet_groups:
            checked(group)

    @property
    def is_empty(self) -> bool:
        return not self.terms and not self.prefix


class Backend(Protocol):
    def after_write(self, film_ids: list[int]) -> None:
        """Documents of these films were inserted or updated: bring the vendor index up to date."""

    def ids(self, match: Match, limit: int | None = None) -> list[int]:
        """Every film matching (or ``limit`` of them), in no particular order."""

    def ranked(self, match: Match, limit: int, offset: int = 0) -> list[int]:
        """Films matching, best first."""


def backend() -> Backend:
    if connection.vendor == "postgresql":
        from .postgres import PostgresBackend

        return PostgresBackend()
    from .fts5 import Fts5Backend

    return Fts5Backend()
