"""The search function: visitor text -> analysed words -> groups of index terms -> back end ->
ranked, highlighted films, facet counts, and corrections.

How a query is read (search.plan turns words into groups):
- each word becomes a group of the terms it may stand for (its own language's, its name key);
- a word in no film is corrected when a close word of the same script is (spelling); the page
  then says "Showing results for X — search instead for Y", whose link turns correction off;
- words spelling a member of a synonym set also match the set's other members, ranked after the
  films that hold what was typed;
- when the films holding every word do not fill a page, films holding most of them follow, those
  holding more words, and rarer ones, first.

Visitor text never reaches a query language: only analyser terms (``[a-z0-9]+``) and facet tokens
built from known values do, so any input gives results or a plain "no results".
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from mediateka.catalogue.models import Film
from mediateka.mission.translated import LANGUAGES, first_written, in_fallback_order

from . import facets, highlight, masks, partial, plan, spelling
from .analyser import analyse_query, prefix_words, typed_forms
from .backends import Candidates, Match, backend
from .facets import Facet
from .models import SearchDocument

PER_PAGE = 20
MAX_QUERY_CHARS = 1000  # longer input is cut; the analyser keeps at most 64 words anyway
SUGGEST_MIN_PREFIX = 2  # a one-letter prefix stands for a third of the catalogue
RANK_AMONG_MAX = 5000  # matching films handed to the back end's ranking by id (backends.tiered)
_WORD = re.compile(r"[^\W_]+")


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
    # The results are those of ``query``, a correction of what was typed (``typed``).
    typed: str | None = None
    # The words matched, but the chosen facets left nothing: the page offers to clear them.
    filtered_out: bool = False
    per_page: int = PER_PAGE

    @property
    def corrected(self) -> bool:
        return self.typed is not None

    @property
    def corrected_query(self) -> str | None:
        """The query searched instead of the one typed, if any."""
        return self.query if self.corrected else None

    @property
    def first_rank(self) -> int:
        return (self.page - 1) * self.per_page + 1

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def _text(film: Film, name: str, language: str) -> str:
    return getattr(film, f"{name}_{language}", "") or ""


def _hit(film: Film, marker: highlight.Marker, typed: highlight.Marker, language: str) -> Hit:
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
    # The words as typed choose the language before their synonyms do.
    chosen = next(
        (
            code
            for words in ((typed, marker) if typed.terms != marker.terms else (marker,))
            for code in with_text
            if may_match and words.matches(_text(film, "synopsis", code), code)
        ),
        with_text[0] if with_text else language,
    )
    snippet = marker.snippet(_text(film, "synopsis", chosen), chosen, may_match=may_match)
    return Hit(film=film, title=title, snippet=snippet, language=chosen)


def _hits(ids: list[int], read: plan.Reading, language: str) -> list[Hit]:
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
    marker, typed = highlight.Marker(read.terms), highlight.Marker(read.typed_terms)
    return [_hit(films[pk], marker, typed, language) for pk in ids if pk in films]


def _ranked(tiers: list[Match], limit: int, offset: int, full, full_match: Match, found) -> list[int]:
    """The films of ``tiers`` in order, each tier in the back end's order of relevance, a film
    only at its first tier and only if among ``found``. A tier is asked only when those before it
    do not fill the page. ``full`` are the films of ``full_match``, which a back end may rank by
    key."""
    index = backend()
    shown: list[int] = []
    total = full.bit_count()
    for match in tiers:
        wanted = offset + limit - len(shown)
        seen = set(shown)
        if index.ranks_among_candidates and match == full_match:
            # A few thousand films are cheaper to look up by key than to find again in the index.
            candidates = Candidates(matching=lambda: masks.to_ids(full) if total <= RANK_AMONG_MAX else None)
            ranked = index.ranked(match, limit=wanted + len(shown), candidates=candidates)
        else:
            ranked = index.ranked(match, limit=wanted + len(shown))
        shown += [pk for pk in ranked if pk not in seen and (found >> pk) & 1][:wanted]
        if len(shown) >= offset + limit:
            break
    return shown


def _ranked_page(read: plan.Reading, current, groups, limit: int, offset: int, found) -> list[int]:
    """A page of films. One word: the back end's tiers (search.backends.tiered). Several: the
    films holding every word as typed, then with their synonyms, then those holding only some
    of the words, each set in the order of search.partial (more words, rarer, in the title)."""
    want = offset + limit
    full = facets.restrict(read.full, current, groups)
    if len(read.groups) < 2:
        shown = _ranked(read.tiers(groups), limit, offset, full, Match(tuple(read.groups), groups), found)
        return shown[offset:want]
    titles = lambda: [partial.title_mask(g, read.counts, current) for g in read.groups]  # noqa: E731
    weights = read.weights(current)
    sets, rest = [], found
    if read.exact != read.groups:
        exact = read.films_of_exact(current) & rest
        sets.append((exact, None))
        rest &= ~exact
    sets.append((rest & full, None))
    if read.partial:
        sets.append((rest & ~full, read.group_masks))
    shown: list[int] = []
    for among, group_masks in sets:
        if len(shown) >= want:
            break
        shown += partial.ranked(read.groups, weights, among, want - len(shown), group_masks, titles)
    return shown[offset:want]


def search(
    query: str,
    params=None,
    *,
    page: int = 1,
    per_page: int = PER_PAGE,
    language: str | None = None,
    correct: bool = True,
) -> Results:
    """``params`` is the request's QueryDict (facet choices); ``page`` counts from 1; ``correct``
    False searches the words as typed, each required (the "search instead for" link)."""
    query = query[:MAX_QUERY_CHARS] if isinstance(query, str) else ""
    language = (language or get_language() or "en")[:2]
    results = Results(query=query, per_page=per_page)
    words = analyse_query(query)
    if not words:
        return results
    current = masks.current()
    read = plan.read(words, current)
    if read.unknown:
        fixes = {
            w.text: fix for w in read.unknown if (fix := spelling.correction(w)) and fix != w.text.lower()
        }
        fixed = spelling.corrected(query, fixes) if fixes else None
        fixed_read = plan.read(analyse_query(fixed), current) if fixed else None
        if correct and fixed_read and fixed_read.groups:
            again = _found(
                Results(query=fixed, typed=query, per_page=per_page),
                fixed_read,
                params,
                page,
                language,
                current,
            )
            if again.total or again.filtered_out:
                return again
        if not correct or not read.groups:
            # Every word as typed is required, and one is in no film: offer the correction if it
            # finds films.
            if fixed_read and fixed_read.groups and fixed_read.films(current, fill=1):
                results.did_you_mean = fixed
            return results
    return _found(results, read, params, page, language, current)


def _found(results: Results, read: plan.Reading, params, page: int, language: str, current) -> Results:
    """``results`` filled with the films of ``read`` (its known words) on ``page``."""
    per_page = results.per_page
    results.terms = read.terms
    chosen = facets.parse(params) if params is not None else {}
    match = read.films(current, fill=per_page * max(page, 1))
    results.facets = facets.build(facets.count(match, current, chosen), chosen, current)
    found = facets.restrict(match, current, facets.groups(chosen))
    results.total = found.bit_count()
    results.filtered_out = bool(match) and not results.total
    results.pages = math.ceil(results.total / per_page)
    results.page = min(max(page, 1), max(results.pages, 1))
    if results.total:
        groups = facets.groups(chosen)
        offset = (results.page - 1) * per_page
        ranked = _ranked_page(read, current, groups, per_page, offset, found)
        results.hits = _hits(ranked, read, language)
    return results


def _page_language_first(ids: list[int], films: dict[int, Film], prefixes, language: str) -> list[int]:
    """Films whose title in the page's language has a word starting with what was typed first."""

    def in_language(pk: int) -> bool:
        forms = (f for w in _WORD.findall(_text(films[pk], "title", language)) for f in typed_forms(w))
        return any(form.startswith(prefixes) for form in forms)

    return sorted(ids, key=lambda pk: not in_language(pk))


def suggest(text: str, *, limit: int = 8, language: str | None = None) -> list[dict[str, str]]:
    """Films for search-as-you-type: every finished word, and the last one as typed so far (the
    whole of it, as a prefix, or as the word it already is); titles in the page's language first."""
    if not isinstance(text, str):
        return []
    language = (language or get_language() or "en")[:2]
    head, prefixes, last = prefix_words(text[:MAX_QUERY_CHARS])
    if any(len(p) < SUGGEST_MIN_PREFIX for p in prefixes):
        prefixes, last = (), None
    if not head and not prefixes:
        return []
    current = masks.current()
    read = plan.read([*head, *([last] if last else [])], current, synonyms_on=False)
    if head and any(w in read.unknown for w in head):
        return []
    groups = list(read.per_word[: len(head)])
    if prefixes:
        groups.append((*read.per_word[-1], *(p + "*" for p in prefixes)))
    ids = backend().ranked(Match(groups=tuple(groups)), limit=limit * 3)
    films = {f.pk: f for f in Film.objects.filter(pk__in=ids).order_by() if f.is_listed}  # as in _hits
    ids = [pk for pk in ids if pk in films]
    if prefixes:
        ids = _page_language_first(ids, films, prefixes, language)
    return [{"title": films[pk].display_title, "url": films[pk].get_absolute_url()} for pk in ids[:limit]]
