"""Synonym sets (models.SynonymSet) applied to a query: the words of the query that spell one
member of a set become one group whose alternatives are every member of the set.

The sets are read once per index version (saving or deleting a set makes a new one, see models),
so the next search after an editor's change uses it, in every process.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .analyser import QueryWord, analyse_query
from .models import SynonymSet

MAX_MEMBER_WORDS = 6


@dataclass(frozen=True)
class Span:
    """Query words ``start`` to ``stop`` (exclusive) spell a member of a set; ``others`` are the
    other members, each a list of analysed words."""

    start: int
    stop: int
    others: tuple[tuple[QueryWord, ...], ...]


@lru_cache(maxsize=4096)
def _analysed(member: str) -> tuple[QueryWord, ...]:
    return tuple(w for w in analyse_query(member) if not w.stop)[:MAX_MEMBER_WORDS]


def load() -> list[list[tuple[QueryWord, ...]]]:
    """Every set, as its members' analysed words (members with no searchable word left out)."""
    sets = []
    for row in SynonymSet.objects.all():
        members = [m for m in (_analysed(text) for text in row.member_list) if m]
        if len(members) > 1:
            sets.append(members)
    return sets


def _same(typed: QueryWord, member: QueryWord) -> bool:
    return not set(typed.own).isdisjoint(member.own)


def _spells(words: list[QueryWord], at: int, member: tuple[QueryWord, ...]) -> bool:
    return at + len(member) <= len(words) and all(_same(words[at + i], m) for i, m in enumerate(member))


def spans(words: list[QueryWord], sets: list[list[tuple[QueryWord, ...]]]) -> list[Span]:
    """The members spelt by the query, left to right, the longest first where several start at
    the same word; they never overlap. A member in several sets stands for the others of all of them."""
    found: list[Span] = []
    at = 0
    while at < len(words):
        best: Span | None = None
        for members in sets:
            for member in members:
                if not _spells(words, at, member):
                    continue
                others = tuple(m for m in members if m is not member)
                if best is None or at + len(member) > best.stop:
                    best = Span(at, at + len(member), others)
                elif at + len(member) == best.stop:
                    best = Span(at, best.stop, tuple(dict.fromkeys(best.others + others)))
        if best:
            found.append(best)
            at = best.stop
        else:
            at += 1
    return found


def candidates(found: list[Span]) -> set[str]:
    """The terms to look up in the vocabulary for these spans' other members."""
    return {t for span in found for member in span.others for word in member for t in word.candidates}


def alternative(member: tuple[QueryWord, ...], known: set[str]) -> list[str]:
    """A member as alternatives of a group: its terms (one word) or a phrase of its words' first
    terms (several); nothing when a word of it is in no film."""
    chosen = [word.terms(known) for word in member]
    if not all(chosen):
        return []
    if len(chosen) == 1:
        return list(chosen[0])
    return [" ".join(terms[0] for terms in chosen)]
