"""The search function: visitor text -> analysed terms -> back end -> ranked, highlighted films,
facet counts, and a "did you mean" when a word is in no film.

Visitor text never reaches a query language: only analyser terms (``[a-z0-9]+``) and facet
tokens built from known values do, so any input gives results or a plain "no results".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from gmpy2 import mpz

from mediateka.catalogue.models import Film
from mediateka.mission.translated import LANGUAGES, first_written, in_fallback_order

from . import common_terms, facets, highlight, masks, spelling
from .analyser import analyse_query, prefix_terms
from .backends import Candidates, Match, backend
from .facets import Facet
from .models import SearchDocument, SearchTerm

PER_PAGE = 20
MAX_QUERY_CHARS = 1000  # longer input is cut; the analyser keeps at most 64 terms anyway
SUGGEST_MIN_PREFIX = 2  # a one-letter prefix stands for a third of the catalogue
RANK_AMONG_MAX = 5000  # matching films handed to the back end's ranking by id (backends.tiered)


@dataclass
class Hit:
    film: Film
    title: SafeString
    snippet: SafeString
    language: str  # of the snippet, for its lang attribute


@dataclass
class Results:
    query: str
    terms: list[str] = field(default_factory=list)
    total: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: list[Facet] = field(default_factory=list)
    page: int = 1
    pages: int = 0
    did_you_mean: str | None = None
    # The words matched, but the chosen facets left nothing: the page offers to clear them.
    filtered_out: bool = False
    per_page: int = PER_PAGE

    @property
    def first_rank(self) -> int:
        return (self.page - 1) * self.per_page + 1

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _unique(terms: list[str]) -> list[str]:
    return list(dict.fromkeys(terms))


def _match_mask(terms: list[str], films_per_term: dict[str, int], current: masks.Masks):
    if min(films_per_term[t] for t in terms) < common_terms.threshold():
        # One AND query of every term: its result is no larger than the rarest term's films, and
        # the common terms' own (large) film sets are never fetched.
        return current.all & masks.from_ids(backend().ids(Match(terms=tuple(terms))), current.size)
    mask = current.all
    for term in terms:
        mask &= current.term(term, lambda term=term: common_terms.films_of(term))
    return mask


def _some_in_title(terms: list[str], found, current: masks.Masks) -> list[int] | None:
    """The matching films with some word of the query in their title, if few enough to look up."""
    titled = mpz(0)
    for term in terms:
        titled |= current.term(("title", term), lambda term=term: common_terms.title_films_of(term))
    some = found & titled
    return masks.to_ids(some) if some.bit_count() <= RANK_AMONG_MAX else None


def _text(film: Film, name: str, language: str) -> str:
    return getattr(film, f"{name}_{language}", "") or ""


def _hit(film: Film, marker: highlight.Marker, language: str) -> Hit:
    written = first_written(lambda code: _text(film, "title", code), language)
    title = marker.highlight(written.text, written.language)
    if film.title_is_devised:
        title = SafeString(f"[{title}]")
    # The viewer's language when its synopsis has a match (or when no synopsis has one). Most
    # films on a page match in their title alone: the index's synopsis terms say so without
    # looking at the words of all three synopses.
    with_text = [code for code in in_fallback_order(language) if _text(film, "synopsis", code)]
    indexed = film.indexed_synopsis
    may_match = indexed is None or not marker.terms.isdisjoint(indexed.split())
    chosen = next(
        (code for code in with_text if may_match and marker.matches(_text(film, "synopsis", code), code)),
        with_text[0] if with_text else language,
    )
    snippet = marker.snippet(_text(film, "synopsis", chosen), chosen, may_match=may_match)
    return Hit(film=film, title=title, snippet=snippet, language=chosen)


def _hits(ids: list[int], terms: list[str], language: str) -> list[Hit]:
    shown = [
        "slug",
        "kind",
        "year",
        "status",
        "title_is_devised",
        *(f"{n}_{c}" for n in ("title", "synopsis") for c in LANGUAGES),
    ]
    # By primary key alone: with a status condition in the query SQLite picks the status index and
    # walks every published film. The status is checked here instead, so that even an index that
    # missed an update never shows a draft.
    indexed = SearchDocument.objects.filter(film=OuterRef("pk")).values("synopsis")
    films = Film.objects.filter(pk__in=ids).order_by().only(*shown)
    films = {f.pk: f for f in films.annotate(indexed_synopsis=Subquery(indexed)) if f.is_listed}
    marker = highlight.Marker(terms)
    return [_hit(films[pk], marker, language) for pk in ids if pk in films]


def search(
    query: str, params=None, *, page: int = 1, per_page: int = PER_PAGE, language: str | None = None
) -> Results:
    """``params`` is the request's QueryDict (facet choices); ``page`` counts from 1."""
    query = query if isinstance(query, str) else ""
    language = (language or get_language() or "en")[:2]
    terms = _unique(analyse_query(query[:MAX_QUERY_CHARS]))
    results = Results(query=query, terms=terms, per_page=per_page)
    if not terms:
        return results
    films_per_term = dict(SearchTerm.objects.filter(term__in=terms).values_list("term", "films"))
    if len(films_per_term) < len(terms):
        results.did_you_mean = spelling.did_you_mean(query[:MAX_QUERY_CHARS], terms, set(films_per_term))
        return results
    current = masks.current()
    match = _match_mask(terms, films_per_term, current)
    chosen = facets.parse(params) if params is not None else {}
    results.facets = facets.build(facets.count(match, current, chosen), chosen, current)
    found = facets.restrict(match, current, facets.groups(chosen))
    results.total = found.bit_count()
    results.filtered_out = bool(match) and not results.total
    results.pages = math.ceil(results.total / per_page)
    results.page = min(max(page, 1), max(results.pages, 1))
    if results.total:
        wanted = Match(terms=tuple(terms), facet_groups=facets.groups(chosen))
        offset = (results.page - 1) * per_page
        total = results.total

        def rank() -> list[int]:
            index = backend()
            if not index.ranks_among_candidates:
                return index.ranked(wanted, limit=per_page, offset=offset)
            # A few thousand films are cheaper to look up by key than to find again in the index.
            candidates = Candidates(
                matching=lambda: masks.to_ids(found) if total <= RANK_AMONG_MAX else None,
                some_in_title=lambda: _some_in_title(terms, found, current),
            )
            return index.ranked(wanted, limit=per_page, offset=offset, candidates=candidates)

        ranked = current.ranking((wanted, per_page, offset), rank)
        results.hits = _hits(ranked, terms, language)
    return results


def suggest(text: str, *, limit: int = 8) -> list[dict[str, str]]:
    """Films for search-as-you-type (titles in the active language): every finished word, and
    the last one as a prefix."""
    if not isinstance(text, str):
        return []
    head, prefix = prefix_terms(text[:MAX_QUERY_CHARS])
    head = _unique(head)
    if prefix is not None and len(prefix) < SUGGEST_MIN_PREFIX:
        prefix = None
    if not head and not prefix:
        return []
    if head and SearchTerm.objects.filter(term__in=head).count() < len(head):
        return []
    ids = backend().ranked(Match(terms=tuple(head), prefix=prefix), limit=limit)
    films = {f.pk: f for f in Film.objects.filter(pk__in=ids).order_by() if f.is_listed}  # as in _hits
    return [
        {"title": films[pk].display_title, "url": films[pk].get_absolute_url()} for pk in ids if pk in films
    ]
