"""PostgreSQL back end: a weighted tsvector per document (title A, meta B, synopsis C, captions D),
matched through its GIN index and ranked with ts_rank.

The 'simple' configuration is right here: the terms are already analysed (stemmed, folded,
transliterated) in Python, so PostgreSQL must take them as they are.
"""

from __future__ import annotations

from django.db import connection

from . import WEIGHTS, Match

# Facet lexemes carry a "~", which no analysed term can, so a facet never meets a word.
_VECTOR = """
    setweight(to_tsvector('simple', title), 'A') || setweight(to_tsvector('simple', meta), 'B')
    || setweight(to_tsvector('simple', synopsis), 'C') || setweight(to_tsvector('simple', captions), 'D')
    || array_to_tsvector(ARRAY(
        SELECT '~' || token FROM unnest(string_to_array(facets, ' ')) AS token WHERE token <> ''))
"""
# ts_rank's weights array runs {D, C, B, A}; scaled so that the title counts 1.
_RANK_WEIGHTS = (
    "{"
    + ", ".join(str(WEIGHTS[f] / WEIGHTS["title"]) for f in ("captions", "synopsis", "meta", "title"))
    + "}"
)


def _lexeme(token: str) -> str:
    return f"'{token}'"  # tokens are checked [a-z0-9~]+: nothing to escape


def text_query(match: Match) -> str:
    parts = [_lexeme(t) for t in match.terms]
    if match.prefix:
        parts.append(_lexeme(match.prefix) + ":*")
    return " & ".join(parts)


def full_query(match: Match) -> str:
    parts = [f"({text_query(match)})"]
    for group in match.facet_groups:
        parts.append("(" + " | ".join(_lexeme("~" + t) for t in group) + ")")
    return " & ".join(parts)


class PostgresBackend:
    vendor = "postgresql"

    def after_write(self, film_ids: list[int]) -> None:
        if not film_ids:
            return
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE search_searchdocument SET vector = {_VECTOR} WHERE film_id = ANY(%s)",  # noqa: S608 - constants
                [list(film_ids)],
            )

    def ids(self, match: Match, limit: int | None = None) -> list[int]:
        if match.is_empty:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT film_id FROM search_searchdocument WHERE vector @@ %s::tsquery LIMIT %s",
                [full_query(match), limit],  # LIMIT NULL is no limit
            )
            return [row[0] for row in cursor.fetchall()]

    def ranked(self, match: Match, limit: int, offset: int = 0) -> list[int]:
        if match.is_empty:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT film_id FROM search_searchdocument WHERE vector @@ %s::tsquery"
                " ORDER BY ts_rank(%s::float4[], vector, %s::tsquery) DESC, film_id LIMIT %s OFFSET %s",
                [full_query(match), _RANK_WEIGHTS, text_query(match), limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]
