"""The order of a query of several words: films holding more of the words first; among those
holding as many, the sum of each word's weight (a rare word more than a common one) times how
much the film says it (the title counting 1, mentions elsewhere up to 0.9, saturating), and a
bonus when two of the words stand next to each other in a field as they were typed.

A long question ("Tajik women working in Moscow") rarely has a film holding every word; the film
a person wants holds most of them, and the rarest. Each group of the query (a word with its
forms, synonyms and other scripts) has a mask of the films holding it (search.masks), so the
films holding exactly k groups are a few mask operations away, without looking at a film. Each
such level is then ordered by reading its films' fields (by_fields, about 0.1 ms a film): at
most REFINE_MAX of them. A level larger than that (a common word at 100,000 films) is cut to the
films of the best combinations of "in the title / elsewhere" per group, worked out on the masks
of the films holding each group in their title, again without reading a film.
"""

from __future__ import annotations

import math
from itertools import product

from . import common_terms, masks
from .backends import backend
from .models import SearchDocument

TITLE_WEIGHT = 1.0  # a word in the title, for choosing among combinations (and in by_fields)
OTHER_WEIGHT = 0.7  # a word in the themes, collection, synopsis or captions only
# Above this many groups a word's place (title or not) is not told apart: 3**n combinations
# would cost more than they bring.
PLACED_GROUPS_MAX = 6
GROUPS_MAX = 10  # the weightiest groups of a longer query choose a large level's films
# The films holding as many groups are ordered by the fields holding each word (by_fields): at most
# this many of them, from the best combinations, are read (a page needs 20; a word in the titles of
# thousands of films leaves thousands tied, and reading them all would cost more than it tells).
REFINE_MAX = 50
OTHER_MAX = 0.9  # a word's mentions outside the title count up to this
SATURATION = 0.5  # weighted mentions at which they count half of it
# A mention's weight by its field, for by_fields: the themes and collection name what many films
# are about, so a synopsis telling of the word says more. Captions are left out: they are long to
# read, and repeat what the synopsis tells.
FIELD_WEIGHTS = {"title": 1.0, "synopsis": 0.7, "meta": 0.5}


def title_mask(group: tuple[str, ...], counts: dict[str, int], current: masks.Masks):
    """The films holding one of the group's alternatives in their title."""
    mask = current.all & 0
    rare = []
    for alternative in group:
        if " " not in alternative and counts.get(alternative, 0) >= common_terms.threshold():
            mask |= current.term(("title", alternative), lambda a=alternative: common_terms.title_films_of(a))
        else:
            rare.append(alternative)
    if rare:
        mask |= masks.from_ids(backend().title_ids(tuple(rare)), current.size)
    return current.all & mask


def weight(films: int, total: int) -> float:
    """A group's weight: the information its presence carries (inverse document frequency)."""
    return math.log(1 + total / max(films, 1))


def _starts(groups) -> dict[str, list[tuple[int, list[str]]]]:
    """first term of an alternative -> (its group, the alternative's other terms)."""
    starts: dict[str, list[tuple[int, list[str]]]] = {}
    for g, group in enumerate(groups):
        for alternative in group:
            first, *rest = alternative.removesuffix("*").split()
            starts.setdefault(first, []).append((g, rest))
    return starts


def _places(terms: list[str], present: set[str], starts, count: int) -> list[list[int]]:
    """Per group, where in a field's terms one of its alternatives starts."""
    places: list[list[int]] = [[] for _ in range(count)]
    for at, term in enumerate(terms):
        if term in present:
            for g, rest in starts[term]:
                if not rest or terms[at + 1 : at + 1 + len(rest)] == rest:
                    places[g].append(at)
    return places


def _score(fields: list[str], groups, weights: list[float], starts) -> float:
    """Each group's weight times how much the film says it: 1 for the title holding it, and up to
    OTHER_MAX more for its mentions elsewhere, each by its field's weight, saturating (a film
    mentioning a word in its three synopses is about it; the tenth mention adds little, and no
    number of them outweighs the title). Two groups next to each other in a field (a word between
    at most: "семьи мигрантов", "families of migrants") add half their weights again, as the
    phrase they were typed as."""
    near = 0.0
    titled = [False] * len(groups)
    said = [0.0] * len(groups)
    for (name, field_weight), text in zip(FIELD_WEIGHTS.items(), fields, strict=True):
        terms = text.split()
        present = starts.keys() & set(terms)
        if not present:
            continue
        places = _places(terms, present, starts, len(groups))
        for g, at in enumerate(places):
            if name == "title":
                titled[g] = titled[g] or bool(at)
            else:
                said[g] += field_weight * len(at)
        held = [g for g, at in enumerate(places) if at]
        for i, g in enumerate(held):
            for h in held[i + 1 :]:
                if any(abs(a - b) <= 2 for a in places[g] for b in places[h]):
                    near = max(near, 0.5 * field_weight * (weights[g] + weights[h]))
    return near + sum(
        w * (TITLE_WEIGHT * t + OTHER_MAX * x / (x + SATURATION))
        for w, t, x in zip(weights, titled, said, strict=True)
    )


def by_fields(ids: list[int], groups, weights: list[float]) -> list[int]:
    """``ids`` ordered by _score, best first."""
    rows = SearchDocument.objects.filter(film_id__in=ids).values_list("film_id", *FIELD_WEIGHTS)
    starts = _starts(groups)
    scores = {pk: _score(fields, groups, weights, starts) for pk, *fields in rows}
    return sorted(ids, key=lambda pk: (-scores.get(pk, 0), pk))


def _exactly(group_masks, among) -> list:
    """exactly[k]: the films of ``among`` holding exactly k of the groups."""
    at_least = [among] + [among & 0] * len(group_masks)
    for mask in group_masks:
        for k in range(len(group_masks), 0, -1):
            at_least[k] |= at_least[k - 1] & mask
    return [at_least[k] & ~at_least[k + 1] for k in range(len(group_masks))] + [at_least[-1]]


def _combinations(order, weights, placed: bool) -> list[tuple[int, ...]]:
    """Every combination of a state per group of ``order`` (2: in the title, 1: elsewhere only,
    0: absent; without ``placed``, 1: anywhere), best first."""
    states = (2, 1, 0) if placed else (1, 0)
    scored = []
    for states_of in product(states, repeat=len(order)):
        score = sum(
            weights[g] * (TITLE_WEIGHT if s == 2 else OTHER_WEIGHT if placed else 1.0)
            for g, s in zip(order, states_of, strict=True)
            if s
        )
        scored.append((-score, states_of))
    return [states_of for _score, states_of in sorted(scored)]


def _best_of(level, order, combinations, group_masks, title_masks, placed: bool, cap: int) -> list[int]:
    """Up to ``cap`` films of a level too large to read whole: the best combinations' first."""
    found: list[int] = []
    for states_of in combinations:
        films = level
        for g, s in zip(order, states_of, strict=True):
            if s == 2:
                films &= title_masks[g]
            elif s == 1:
                films &= group_masks[g] & ~title_masks[g] if placed else group_masks[g]
            else:
                films &= ~group_masks[g]
            if not films:
                break
        if films:
            found += masks.first_ids(films, cap - len(found))
            if len(found) >= cap:
                break
    return found


def ranked(groups, weights, among, want: int, group_masks=None, title_masks=lambda: None) -> list[int]:
    """Up to ``want`` films of ``among``, best first (see the module): the films holding the most
    groups first, each such level ordered by by_fields. ``group_masks`` None: every film of
    ``among`` holds every group. ``title_masks`` (a function giving each group's title mask) is
    asked only when a level has more films than by_fields reads."""
    if group_masks is None:
        group_masks = [among] * len(groups)
    exactly = _exactly(group_masks, among)
    shown: list[int] = []
    for held in range(len(group_masks), 0, -1):
        level = exactly[held]
        if not level:
            continue
        cap = max(REFINE_MAX, want - len(shown))
        if level.bit_count() <= cap:
            films = masks.first_ids(level, cap)
        else:
            order = sorted(range(len(group_masks)), key=lambda g: -weights[g])[:GROUPS_MAX]
            placed = len(order) <= PLACED_GROUPS_MAX
            titles = title_masks() if placed else None
            films = _best_of(
                level, order, _combinations(order, weights, placed), group_masks, titles, placed, cap
            )
        if len(films) > 1:
            films = by_fields(films, groups, weights)
        shown += films[: want - len(shown)]
        if len(shown) >= want:
            break
    return shown
