"""The order of a query of several words (search.partial): films holding more of the words first,
then rarer words before common ones, a word in the title before one elsewhere, and words next to
each other as they were typed before words apart."""

from mediateka.search.index import reindex_all
from mediateka.search.query import search

from .conftest import film


def slugs(results) -> list[str]:
    return [hit.film.slug for hit in results.hits]


def test_more_of_the_words_first_even_below_a_title_holding_one(db):
    film("three", title_en="Going alone", synopsis_en="Tajik women leave for Moscow")
    film("title", title_en="Letters from Moscow", synopsis_en="A boy writes to his father")
    for n in range(3):  # "tajik" is a common word here, "moscow" and "women" rarer
        film(f"tajik-{n}", title_en=f"Tajik songs {n}")
    reindex_all()
    found = slugs(search("Tajik women working in Moscow"))
    assert found[0] == "three"
    assert found.index("title") < min(found.index(f"tajik-{n}") for n in range(3))


def test_a_rarer_word_before_a_commoner_one(db):
    film("money", title_en="Harvest", synopsis_en="Money for the family")
    for n in range(4):
        film(f"home-{n}", title_en="Apricots", synopsis_en=f"Home village number {n}")
    reindex_all()
    assert slugs(search("send money home"))[0] == "money"


def test_the_same_words_in_the_title_before_the_synopsis(db):
    film("synopsis", title_en="Harvest", synopsis_en="The melons of Kulob, the melons of Kulob")
    film("title", title_en="Kulob melons")
    reindex_all()
    assert slugs(search("melons Kulob")) == ["title", "synopsis"]


def test_words_next_to_each_other_before_words_apart(db):
    film("apart", title_en="Harvest", synopsis_en="Families wait while migrants abroad earn their wages")
    film("together", title_en="Harvest", synopsis_en="Migrant families wait for the wages")
    reindex_all()
    assert slugs(search("families of migrants")) == ["together", "apart"]


def test_a_page_of_partial_matches_continues_on_the_next(db):
    film("all", title_en="Send money home")
    for n in range(5):
        film(f"one-{n}", title_en=f"Money matters {n}")
    reindex_all()
    whole = slugs(search("send money home", per_page=20))
    paged = [s for page in (1, 2, 3) for s in slugs(search("send money home", per_page=2, page=page))]
    assert whole[0] == "all" and len(whole) == 6
    assert paged == whole
