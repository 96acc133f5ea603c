"""The nearest indexed term for "did you mean": edits anywhere in the word; on a tie the term that
keeps more of the word's start, then the commoner; and a nearer term before a commoner one."""

import pytest

from mediateka.search import spelling
from mediateka.search.models import SearchTerm


@pytest.fixture
def vocabulary(db):
    def add(**films):
        SearchTerm.objects.bulk_create(SearchTerm(term=t, length=len(t), films=n) for t, n in films.items())

    return add


@pytest.mark.parametrize(
    "typed",
    [
        "xigrant",  # the first letter replaced
        "imgrant",  # the first two letters swapped
        "igrant",  # the first letter lost
        "amigrant",  # a letter before the first
        "mirgant",  # two letters swapped inside
        "migrnt",  # a letter lost inside
    ],
)
def test_one_edit_anywhere_finds_the_term(vocabulary, typed):
    vocabulary(migrant=40, madrasa=3, ignore=5)
    assert spelling.nearest(typed) == "migrant"


def test_two_edits_only_for_longer_words_and_after_one_edit(vocabulary):
    vocabulary(migrant=40, migrants=1, migrations=5)
    assert spelling.nearest("migrnts") == "migrants"  # one edit from the rarer word wins
    assert spelling.nearest("migrnat") == "migrant"  # one edit (two letters swapped)
    assert spelling.nearest("migrtons") == "migrations"  # two edits for a word of eight letters or more
    # ... after the first two letters: one edit there is looked for by key, two are not.
    assert spelling.nearest("mgratons") is None
    assert spelling.nearest("mgrnat") is None  # two edits away, but a six-letter word
    assert spelling.nearest("mgrt") is None
    assert spelling.nearest("zzzzzzz") is None


def test_the_commoner_term_wins_a_tie(vocabulary):
    vocabulary(kabul=3, kobul=30)
    assert spelling.nearest("kibul") == "kobul"


def test_on_a_tie_the_term_keeping_the_start_wins_over_a_commoner_one(vocabulary):
    # Tajik "одмон" stems to "одм": one edit from "одам" (people, a letter lost) and from the far
    # commoner Russian "дом" (home, two letters swapped at the start). People slip at the start least.
    vocabulary(dom=300, odam=8)
    assert spelling.nearest("odm") == "odam"
    vocabulary(kabu=3, akbu=30)
    assert spelling.nearest("kbu") == "kabu"


def test_a_term_under_three_letters_is_never_the_correction(vocabulary):
    vocabulary(el=50, ela=3)
    assert spelling.nearest("elk") == "ela"  # one edit from both: the commoner "el" is too short
    vocabulary(ab=80)
    assert spelling.nearest("abz") is None


def test_a_long_list_of_alike_terms_still_finds_one_edit_by_key(vocabulary, monkeypatch):
    vocabulary(migrant=40, **{f"m{n:05}": 1 for n in range(30)})
    monkeypatch.setattr(spelling, "MAX_CANDIDATES", 10)  # "m…" terms of about the length, cut
    assert spelling.nearest("migrabt") == "migrant"
