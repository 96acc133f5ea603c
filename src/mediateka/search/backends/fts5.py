"""SQLite FTS5 back end: the search_fts table (see the migration) ranked by bm25 with field weights.

The index table mirrors search_searchdocument through triggers, so writes need nothing here.
"""

from __future__ import annotations

from django.db import connection

from . import ALL, TITLE, WEIGHTS, Candidates, Match, phrase_terms, tiered

TEXT_COLUMNS = "{title meta synopsis captions}"
# bm25() takes one weight per column in table order; facets must not score.
_BM25 = "bm25(search_fts, {}, 0.0)".format(", ".join(str(w) for w in WEIGHTS.values()))


# Only constants go into the SQL text; the MATCH expression is a parameter.
_RANKED = f"SELECT rowid FROM search_fts WHERE search_fts MATCH %s ORDER BY {_BM25}, rowid LIMIT %s"  # noqa: S608


def _phrase(token: str) -> str:
    # Tokens are [a-z0-9]+ (checked by Match); quoting them still keeps words such as AND, OR,
    # NEAR or NOT from ever being read as operators.
    return f'"{token}"'


def _alternative(alternative: str) -> str:
    # A quoted string of several terms is an FTS5 phrase: the terms next to each other.
    quoted = _phrase(" ".join(phrase_terms(alternative)))
    return quoted + "*" if alternative.endswith("*") else quoted


def _group(group: tuple[str, ...]) -> str:
    return "(" + " OR ".join(_alternative(a) for a in group) + ")"


def _words(match: Match) -> str:
    return " AND ".join(_group(g) for g in match.groups)


def expression(match: Match, tier: str = ALL) -> str:
    words = _words(match)
    columns = "{title}" if tier == TITLE else TEXT_COLUMNS
    parts = [f"{columns}: ({words})"]
    for group in match.facet_groups:
        parts.append("{facets}: (" + " OR ".join(_phrase(t) for t in group) + ")")
    return " AND ".join(parts)


class Fts5Backend:
    vendor = "sqlite"
    # FTS5 walks its own doclists faster than it looks films up by rowid.
    ranks_among_candidates = False
    # FTS5 reads a term's films from its doclist without visiting rows: below 2,000 films that is
    # as quick as reading a bitmap.
    common_min_films = 2000

    def after_write(self, film_ids: list[int]) -> None:
        return None

    def ids(self, match: Match, limit: int | None = None) -> list[int]:
        if match.is_empty:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s LIMIT %s",
                [expression(match), limit or -1],
            )
            return [row[0] for row in cursor.fetchall()]

    def title_ids(self, group: tuple[str, ...]) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s",
                [expression(Match(groups=(group,)), TITLE)],
            )
            return [row[0] for row in cursor.fetchall()]

    def ranked(
        self, match: Match, limit: int, offset: int = 0, candidates: Candidates | None = None
    ) -> list[int]:
        if match.is_empty:
            return []
        return tiered(self._ranked_tier, match, limit, offset)

    def _ranked_tier(self, match: Match, tier: str, limit: int, candidates=None) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(_RANKED, [expression(match, tier), limit])
            return [row[0] for row in cursor.fetchall()]
