"""How a query's words become index groups (backends.Match), which films they match, and the
order in which ranked tiers of films are asked of the back end.

A word's group holds the terms it stands for in the index (analyser.QueryWord.terms); a word in
no film has none and is left to spelling. Words spelling a synonym set's member share one group
with the set's other members. The films of a group are a bit mask (search.masks): a common term's
from its stored bitmap, the others from the index.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import common_terms, masks, partial, synonyms
from .analyser import QueryWord
from .backends import Match, backend
from .models import SearchTerm


def _counts(terms) -> dict[str, int]:
    return dict(SearchTerm.objects.filter(term__in=list(terms)).values_list("term", "films"))


@dataclass
class Reading:
    words: list[QueryWord]
    per_word: list[tuple[str, ...]]  # the terms of each word (empty: in no film)
    counts: dict[str, int]
    groups: list[tuple[str, ...]] = field(default_factory=list)  # synonyms merged in
    exact: list[tuple[str, ...]] = field(default_factory=list)  # the same groups without synonyms
    partial: bool = False  # whether films() added films holding only some of the words
    group_masks: list = field(default_factory=list)  # the films of each group (when partial)
    _masks: dict = field(default_factory=dict)  # group -> its films, made once per search
    full: object = None  # the films matching every group (after films())
    covered: set[int] = field(default_factory=set)  # words a synonym set stands for

    @property
    def unknown(self) -> list[QueryWord]:
        """Words in no film that no synonym stands for: the ones to correct."""
        return [
            w
            for n, (w, terms) in enumerate(zip(self.words, self.per_word, strict=True))
            if not terms and n not in self.covered
        ]

    @property
    def terms(self) -> list[str]:
        """Every term the query matches with, for highlighting."""
        return list(dict.fromkeys(t for g in self.groups for a in g for t in a.removesuffix("*").split()))

    @property
    def typed_terms(self) -> list[str]:
        """The terms of the words as typed, without synonyms."""
        return list(dict.fromkeys(t for g in self.exact for a in g for t in a.removesuffix("*").split()))

    def word_terms(self, word: QueryWord) -> tuple[str, ...]:
        return self.per_word[self.words.index(word)]

    def _films_estimate(self, group: tuple[str, ...]) -> int:
        # A phrase is in no more films than its rarest term.
        return sum(min(self.counts.get(t, 0) for t in a.split()) for a in group)

    def _group_mask(self, group: tuple[str, ...], current: masks.Masks):
        if group not in self._masks:
            self._masks[group] = self._made_group_mask(group, current)
        return self._masks[group]

    def _made_group_mask(self, group: tuple[str, ...], current: masks.Masks):
        common, rare = [], []
        for alternative in group:
            films = self.counts.get(alternative, 0)
            (common if " " not in alternative and films >= common_terms.threshold() else rare).append(
                alternative
            )
        mask = current.all & 0
        for term in common:
            mask |= current.term(term, lambda term=term: common_terms.films_of(term))
        if rare:
            mask |= masks.from_ids(backend().ids(Match(groups=(tuple(rare),))), current.size)
        return current.all & mask

    def films(self, current: masks.Masks, fill: int):
        """The films matching every group (kept as ``full``); when they do not reach ``fill``, with
        the films matching most of the groups (one of two, two of more)."""
        self.partial, self.group_masks = False, []
        estimates = [self._films_estimate(g) for g in self.groups]
        group_masks = None
        if min(estimates) < common_terms.threshold():
            # One query of every group: no larger than the rarest group's films, and the common
            # terms' own (large) film sets are never fetched.
            ids = backend().ids(Match(groups=tuple(self.groups)))
            full = current.all & masks.from_ids(ids, current.size)
        else:
            group_masks = [self._group_mask(g, current) for g in self.groups]
            full = current.all
            for mask in group_masks:
                full &= mask
        self.full = full
        if len(self.groups) < 2 or full.bit_count() >= fill:
            return full
        group_masks = group_masks or [self._group_mask(g, current) for g in self.groups]
        self.group_masks = group_masks
        # at_least[k]: films in k or more groups, counted one group at a time.
        at_least = [current.all] + [current.all & 0] * len(self.groups)
        for mask in group_masks:
            for k in range(len(self.groups), 0, -1):
                at_least[k] |= at_least[k - 1] & mask
        # Most of the words while they fill the page, else fewer, down to one: the films holding
        # fewer words come after (partial.ranked), so they only lengthen a short list.
        least = next((k for k in range(len(self.groups) - 1, 1, -1) if at_least[k].bit_count() >= fill), 1)
        self.partial = True
        return at_least[least]

    def weights(self, current: masks.Masks) -> list[float]:
        """Each group's weight (partial.weight): from its films when films() counted them, else
        from the vocabulary's counts (a phrase in no more films than its rarest term)."""
        total = current.all.bit_count()
        if self.group_masks:
            return [partial.weight(m.bit_count(), total) for m in self.group_masks]
        return [partial.weight(self._films_estimate(g), total) for g in self.groups]

    def films_of_exact(self, current: masks.Masks):
        """The films holding every word as typed (no synonyms)."""
        films = current.all
        for group in self.exact:
            films &= self._group_mask(group, current)
        return films

    def tiers(self, facet_groups) -> list[Match]:
        """What the back end ranks, in order, among the films holding every word: those holding
        the words as typed, then those holding them or their synonyms. The films holding only
        some of the words (films() added them) follow, ranked by partial.ranked."""
        full = Match(groups=tuple(self.groups), facet_groups=facet_groups)
        exact = Match(groups=tuple(self.exact), facet_groups=facet_groups)
        tiers = [exact, full] if len(self.exact) == len(self.groups) else [full]
        return list(dict.fromkeys(tiers))


def read(words: list[QueryWord], current: masks.Masks, *, synonyms_on: bool = True) -> Reading:
    counts = _counts({t for w in words for t in w.candidates})
    per_word = [w.terms(counts) for w in words]
    reading = Reading(words=words, per_word=per_word, counts=counts)
    groups = [[terms, terms] for terms in per_word]  # (with synonyms, without) per word or span
    if synonyms_on:
        spans = synonyms.spans(words, current.memo("synonyms", synonyms.load))
        if spans:
            counts.update(_counts(synonyms.candidates(spans)))
        for span in reversed(spans):
            typed = per_word[span.start : span.stop]
            # A member of several words: the typed words next to each other.
            phrase = (" ".join(t[0] for t in typed),) if all(typed) else ()
            exact = typed[0] if len(typed) == 1 else phrase
            merged = [*exact, *(a for member in span.others for a in synonyms.alternative(member, counts))]
            groups[span.start : span.stop] = [[tuple(dict.fromkeys(merged)), exact]]
            if merged:
                reading.covered |= set(range(span.start, span.stop))
    # A word typed twice is one group (and one word of "most of the words").
    kept = list(dict.fromkeys((tuple(g), tuple(e)) for g, e in groups if g))
    reading.groups = [g for g, _e in kept]
    # A synonym may stand for a word in no film: then no tier of exact words is ranked.
    reading.exact = [e for _g, e in kept if e]
    return reading
