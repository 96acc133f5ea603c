""" "Did you mean": the nearest indexed term to each word that is in no film, written back the
way a visitor would type it (a word the catalogue uses, in the script the visitor used)."""

from __future__ import annotations

import re

from rapidfuzz.distance import OSA

from mediateka.catalogue.models import Film
from mediateka.mission.translated import LANGUAGES

from .analyser import analyse_query
from .backends import Match, backend
from .highlight import word_terms
from .models import SearchTerm

_WORD = re.compile(r"[^\W_]+")
_CYRILLIC = re.compile("[\u0400-\u04ff]")
MAX_CANDIDATES = 5000


def distance(a: str, b: str, limit: int) -> int:
    """Edits from one word to the other (a letter deleted, inserted or replaced, or two neighbours
    swapped), or limit + 1 when there are more than ``limit``."""
    return OSA.distance(a, b, score_cutoff=limit)


_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def _one_edit(term: str) -> set[str]:
    splits = [(term[:i], term[i:]) for i in range(len(term) + 1)]
    return (
        {a + b[1:] for a, b in splits if b}
        | {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
        | {a + c + b for a, b in splits for c in _ALPHABET}
        | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    ) - {term}


def _commonest(candidates) -> str | None:
    best = max(candidates, key=lambda row: (row[1], row[0]), default=None)
    return best[0] if best else None


def nearest(term: str) -> str | None:
    """The indexed term closest to ``term``, the commoner on a tie: one edit away, else, for terms
    over four letters, two edits away among the terms of about the same length that start with
    the same letter."""
    alike = list(
        SearchTerm.objects.near_in_length(term, 2)
        .starting_with(term[0])
        .values_list("term", "films")[:MAX_CANDIDATES]
    )
    # A term one edit away starts with the same letter, and so is among ``alike``, unless the edit
    # is on the first letter: those few dozen are looked up by key (all of them if ``alike`` was cut).
    complete = len(alike) < MAX_CANDIDATES
    by_key = {t for t in _one_edit(term) if not complete or t[:1] != term[:1]}
    one_edit = list(SearchTerm.objects.filter(term__in=by_key).values_list("term", "films"))
    if complete:
        one_edit += [(c, films) for c, films in alike if distance(term, c, 1) <= 1]
    close = _commonest(one_edit)
    if close or len(term) <= 4:
        return close
    return _commonest((c, films) for c, films in alike if distance(term, c, 2) <= 2)


def _film_texts(film: Film):
    for language in LANGUAGES:
        for name in ("title", "synopsis"):
            yield getattr(film, f"{name}_{language}", "") or "", language
        for theme in film.themes.all():
            yield getattr(theme, f"name_{language}", "") or "", language


def surface(term: str, *, cyrillic: bool) -> str:
    """A word from a film holding ``term`` that analyses to it, in the wanted script if any."""
    ids = backend().ids(Match(terms=(term,)), limit=1)
    film = Film.objects.listed().prefetch_related("themes").filter(pk__in=ids).first()
    found = []
    for text, language in _film_texts(film) if film else ():
        for word in _WORD.findall(text):
            if term in word_terms(word, language):
                if bool(_CYRILLIC.search(word)) == cyrillic:
                    return word.lower()
                found.append(word.lower())
    return found[0] if found else term


def did_you_mean(query: str, terms: list[str], known: set[str]) -> str | None:
    """``query`` with each word that is in no film replaced by its nearest indexed word.

    ``terms`` are the query's terms and ``known`` those of them in the index; a word whose terms
    are not among ``terms`` was a stop word of the whole query and stays as typed.
    """
    words = []
    changed = meaningful = False
    for word in _WORD.findall(query):
        word_terms = [t for t in analyse_query(word) if t in terms]
        missing = [t for t in word_terms if t not in known]
        if not missing:
            words.append(word)
            meaningful = meaningful or bool(word_terms)
            continue
        changed = True
        correction = nearest(missing[0])
        if correction is None:
            continue  # a word with nothing near is dropped: the rest may still find films
        words.append(surface(correction, cyrillic=bool(_CYRILLIC.search(word))))
        meaningful = True
    # Only stop words left ("AND OR" from "title: AND OR") would find nothing either.
    return " ".join(words) if changed and meaningful else None
