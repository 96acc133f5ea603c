"""Corrections for words in no film: the nearest indexed term in the same script (a letter
deleted, inserted, replaced or two swapped; one such edit in a short word, two in a long one),
written back the way a visitor would type it (a word the catalogue uses, in the visitor's script,
the nearest to what was typed).
Failing that, the nearest word of a synonym set (its words need be in no film), then an indexed
term the word starts or that starts with the word's stem.

Numbers, stop words and words under three letters are never corrected nor offered.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import OSA

from mediateka.catalogue.models import Film
from mediateka.mission.translated import LANGUAGES

from . import masks
from .analyser import CYRILLIC_MARK, NAME_MARK, QueryWord, is_stop_word, script_of
from .backends import Match, backend
from .highlight import word_terms
from .models import SearchTerm, SynonymSet
from .script import fold, to_latin

_WORD = re.compile(r"[^\W_]+")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
MAX_CANDIDATES = 5000
SURFACE_FILMS = 10
MIN_STEM, MAX_ENDING = 5, 5  # what _stem_of_start keeps of a word, and cuts off
MIN_LETTERS = 3
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def distance(a: str, b: str, limit: int) -> int:
    """Edits from one word to the other, or limit + 1 when there are more than ``limit``."""
    return OSA.distance(a, b, score_cutoff=limit)


def allowed_edits(bare: str) -> int:
    """How far a correction may be, relative to the word's length (0: none)."""
    if len(bare) < MIN_LETTERS or bare.isdigit():
        return 0
    return 1 if len(bare) < 8 else 2


def _split(term: str) -> tuple[str, str]:
    """(the letters, the script mark) of a term."""
    if term[-1:] in (CYRILLIC_MARK, NAME_MARK) and not term.isdigit():
        return term[:-1], term[-1]
    return term, ""


def _one_edit(bare: str) -> set[str]:
    splits = [(bare[:i], bare[i:]) for i in range(len(bare) + 1)]
    return (
        {a + b[1:] for a, b in splits if b}
        | {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
        | {a + c + b for a, b in splits for c in _ALPHABET}
        | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    ) - {bare}


def nearest(term: str) -> str | None:
    """The indexed term of the same script closest to ``term``, of three letters or more."""
    bare, mark = _split(term)
    edits = allowed_edits(bare)
    if not edits:
        return None
    script = script_of(term)
    # Candidates start with the same two letters (a few hundred terms, not thousands at 100,000
    # films); a term one edit away that does not, the edit being on those letters, is among the
    # few hundred looked up by key (all one-edit terms if the candidates were cut).
    start = bare[:2]
    rows = list(
        SearchTerm.objects.near_in_length(term, edits)
        .starting_with(start)
        .values_list("term", "films")[:MAX_CANDIDATES]
    )
    alike = [(t, films) for t, films in rows if script_of(t) == script]
    complete = len(rows) < MAX_CANDIDATES
    by_key = {t + mark for t in _one_edit(bare) if not complete or t[:2] != start}
    scored = [
        (1, t, films) for t, films in SearchTerm.objects.filter(term__in=by_key).values_list("term", "films")
    ]
    for t, films in alike:
        d = distance(bare, _split(t)[0], edits)
        if d <= edits:
            scored.append((d, t, films))
    # Never a term under three letters: one edit from a word of three is a different word ("ёлка",
    # stem елк, is not "эълон", stem эл).
    scored = [row for row in scored if len(_split(row[1])[0]) >= MIN_LETTERS]
    # On a tie in edits, the term that keeps more of the word's start: people slip at a word's end
    # and middle far more than at its first letters ("odm" is "odam", not "dom").
    best = min(scored, key=lambda row: (row[0], -_common_start(bare, row[1]), -row[2], row[1]), default=None)
    return best[1] if best else None


def _common_start(a: str, b: str) -> int:
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))


def _own_texts(film: Film):
    for language in LANGUAGES:
        for name in ("title", "synopsis"):
            yield getattr(film, f"{name}_{language}", "") or "", language


def _theme_texts(film: Film):
    for theme in film.themes.all():
        for language in LANGUAGES:
            yield getattr(theme, f"name_{language}", "") or "", language


def surface(term: str, typed: QueryWord) -> str | None:
    """A word from a film holding ``term`` that analyses to it, in the script typed if any, and of
    those the nearest to what was typed ("famillies" shows "families", not "family"). A term may
    come from a film's captions or credits alone: a few films are looked at."""
    ids = backend().ids(Match.of(term), limit=SURFACE_FILMS)
    films = list(Film.objects.listed().filter(pk__in=ids).order_by("pk"))
    key = fold(typed.text.casefold())
    close_enough = allowed_edits(key)
    best: tuple[int, str] | None = None
    other_script = None
    # The films' own texts first: fetching ten films' themes costs more than reading those.
    for texts in (_own_texts, _theme_texts):
        for film in films:
            for text, language in texts(film):
                for written in _WORD.findall(text):
                    word = written.lower()
                    edits = OSA.distance(key, fold(word))
                    # Measuring is cheap, analysing is not: a word no nearer than the best is skipped.
                    if best and edits >= best[0]:
                        continue
                    if term not in word_terms(written, language) or is_stop_word(written):
                        continue
                    if bool(_CYRILLIC.search(word)) != (not typed.latin):
                        other_script = other_script or word
                    elif edits <= close_enough:
                        return word
                    else:
                        best = (edits, word)
        if best:
            return best[1]
    return other_script


def _stem_of_start(word: QueryWord) -> str | None:
    """The longest indexed term that starts the word typed, when the word is longer by a few
    letters: a slip in an ending ("deportaton" holds "deport", the stem of "deportation")."""
    key = fold(word.text.casefold())
    if allowed_edits(key) < 2:
        return None
    bare = key if word.latin else to_latin(key)
    mark = "" if word.latin else CYRILLIC_MARK
    starts = [bare[:n] + mark for n in range(len(bare) - 1, max(MIN_STEM, len(bare) - MAX_ENDING) - 1, -1)]
    found = dict(SearchTerm.objects.filter(term__in=starts).values_list("term", "films"))
    return next((term for term in starts if term in found), None)


def _term_it_starts(word: QueryWord) -> str | None:
    """The commonest indexed term of the same script that starts with the word's stem, when no
    term is near it: a root the films only use in a longer word ("fraud" in "fraudsters")."""
    for term in word.own:
        bare, mark = _split(term)
        if len(bare) < MIN_STEM:
            continue
        longer = SearchTerm.objects.starting_with(bare).exclude(term=term).order_by("-films", "term")
        found = next((t for t in longer.values_list("term", flat=True) if _split(t)[1] == mark), None)
        if found:
            return found
    return None


def _synonym_words() -> dict[str, str]:
    """Every word of the editors' synonym sets: its unstemmed key → the word as written."""
    return {
        fold(w.casefold()): w.lower()
        for row in SynonymSet.objects.all()
        for member in row.member_list
        for w in _WORD.findall(member)
        if not is_stop_word(w)
    }


def _synonym_word(word: QueryWord) -> str | None:
    """The word of a synonym set nearest to ``word``, within the edits its length allows. A set's
    words need be in no film (трафикинг stands for торговля людьми, which the films say), so the
    index's terms alone would leave a slip in one of them uncorrected ("трафикинк")."""
    typed = fold(word.text.casefold())
    edits = allowed_edits(typed)
    if not edits:
        return None
    known = masks.current().memo("synonym words", _synonym_words)
    near = [
        (distance(typed, key, edits), written)
        for key, written in known.items()
        if key.isascii() == typed.isascii()  # the same script
    ]
    best = min((n for n in near if n[0] <= edits), default=None)
    return best[1] if best else None


def correction(word: QueryWord) -> str | None:
    """The word a visitor probably meant by ``word`` (in no film), or None."""
    if word.stop:
        return None
    # The stem first: English "trafficing" → traffic; Cyrillic its Russian, then Tajik, stem.
    for term in word.own[::-1] if word.latin else word.own:
        close = nearest(term)
        if close:
            return surface(close, word)
    if synonym := _synonym_word(word):
        return synonym
    close = _stem_of_start(word) or _term_it_starts(word)
    return surface(close, word) if close else None


def corrected(query: str, corrections: dict[str, str]) -> str:
    """``query`` with each word in ``corrections`` (as typed) replaced, capitalised as typed, the
    rest as typed: "Mehrubn" is shown as "Mehrubon", "MIGRNTS" as "MIGRANTS", "Алма-Ата" as
    "Алматы-Ата"."""

    def replace(match: re.Match) -> str:
        typed = match.group()
        fix = corrections.get(typed, typed)
        if len(typed) > 1 and typed.isupper():
            return fix.upper()
        return fix[:1].upper() + fix[1:] if typed[:1].isupper() else fix

    return _WORD.sub(replace, query)
