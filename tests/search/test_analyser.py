"""The analyser is shared by index and query: most tests check that two spellings meet, and that
words of different languages which merely look alike never do."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mediateka.search.analyser import (
    MAX_QUERY_TERMS,
    MAX_TOKEN_LENGTH,
    analyse,
    analyse_query,
    prefix_words,
    query_terms,
    typed_forms,
)

TERM = re.compile(r"[a-z0-9]+")


def finds(query: str, text: str, language: str | None = None) -> bool:
    """Whether every word of ``query`` meets ``text`` (as the middle of a sentence), when the
    index holds nothing but ``text``."""
    known = set(analyse(text, language=language, sentence_start=False))
    words = analyse_query(query)
    return bool(words) and all(word.terms(known) for word in words)


@pytest.mark.parametrize(
    "spellings",
    [
        ["Mehrubon", "Меҳрубон", "Мехрубон", "МЕҲРУБОН", "mehrubon"],
        ["Moskva", "Москва", "Москве", "Москвы"],
        ["Hisor", "Khisor", "Ҳисор", "Хисор"],
        ["Sughd", "Суғд", "Сугд"],
        ["Kulob", "Кӯлоб", "Кулоб"],
        ["Ghafurov", "Ғафуров", "Гафуров"],
        ["Khujand", "Hujand", "Хуҷанд", "Хучанд", "Худжанд", "Хуҷанди"],
        ["Yoqubov", "Ёқубов", "Екубов"],
        ["Shchukin", "Щукин"],
        ["Tsvetkov", "Цветков"],
        ["Yevgeniy", "Евгений"],
        ["Fyodorov", "Фёдоров", "Федоров"],
        ["Dushanbe", "Душанбе"],
        ["Maskav", "Маскав", "Маскавро"],
    ],
)
def test_names_meet_across_scripts_and_tajik_letters(spellings):
    for query in spellings:
        for text in spellings:
            assert finds(query, "в " + text.capitalize()), (query, text)


@pytest.mark.parametrize(
    ("query", "text", "language"),
    [
        ("мехрубон", "меҳрубон", "tg"),  # typed on a Russian keyboard
        ("мигрантов", "мигранты", "ru"),
        ("трудовых", "трудовые", "ru"),
        ("trudovykh", "трудовые", "ru"),  # Russian typed in Latin letters
        ("muhojiron", "муҳоҷирон", "tg"),  # Tajik typed in Latin letters
        ("migrants", "migrant", "en"),
        ("елка", "ёлка", "ru"),
        ("зиндаги", "зиндагӣ", "tg"),
        ("кулоб", "кӯлоб", "tg"),
        ("муҳоҷир", "муҳоҷирон", "tg"),
        ("мухочирон", "муҳоҷир", "tg"),
        ("чавонон", "ҷавонон", "tg"),
        ("духтарон", "духтар", "tg"),
        ("оила", "оилаи", "tg"),
        ("мигра́нтов", "мигранты", "ru"),  # stress mark
        ("мигра\u00adнтов", "мигранты", "ru"),  # soft hyphen from a PDF
        ("ＭＩＧＲＡＮＴＳ", "migrant", "en"),  # NFKC
        ("fiancée", "FIANCEE", "en"),
        ("2014", "in 2014", "en"),
        ("aids", "HIV/AIDS", "en"),  # lower case finds the acronym
    ],
)
def test_query_finds_text(query, text, language):
    assert finds(query, text, language)


@pytest.mark.parametrize(
    ("query", "text", "language"),
    [
        # English words never go through a Cyrillic stemmer, nor Cyrillic ones through English.
        ("widows", "Они видят дорогу", "ru"),
        ("card", "Ӯ кор кард", "tg"),
        ("drugs", "для других людей", "ru"),
        ("snow", "Он снова уехал", "ru"),
        ("snow", "Он уехал. Снова в путь", "ru"),  # capitalised, but a sentence's first word: no name
        ("AIDS", "legal aid for migrants", "en"),  # an acronym is not stemmed
        ("remitances", "деньги семье", "ru"),
        ("drugs", "Других нет", "ru"),
        ("другие", "drugs and alcohol", "en"),
    ],
)
def test_words_that_only_look_alike_never_meet(query, text, language):
    assert not finds(query, text, language)


def test_a_latin_word_that_is_english_in_the_index_does_not_cross_scripts():
    (card,) = analyse_query("card")
    known = set(analyse("a bank card", language="en")) | set(analyse("Ӯ кор кард", language="tg"))
    assert card.terms(known) == ("card",)
    (moskva,) = analyse_query("Moskva")
    known = set(analyse("Они едут в Москву", language="ru"))
    assert moskva.terms(known)  # no English word "moskva": the name key and Russian stem meet


@pytest.mark.parametrize(
    ("word", "language", "term"),
    [
        ("мигрантов", "ru", "migrant0"),
        ("мигранты", None, "migrant0"),
        ("migrants", "en", "migrant"),
        ("migration", "en", "migrat"),
        ("муҳоҷирон", "tg", "muhochir0"),
        ("мухочирон", "tg", "muhochir0"),
        ("оила", "tg", "oila0"),
        ("оила", None, "oila0"),  # not the Russian stem "о"
        ("Тоҷикистон", "tg", "tochikiston0"),
        ("HIV", "en", "hiv"),
        ("AIDS", "en", "aids"),
        ("ВИЧ", "ru", "vich0"),
        ("2024", None, "2024"),
    ],
)
def test_words_stem_to_expected_terms(word, language, term):
    assert analyse(word, language=language) == [term]


def test_a_name_inside_a_sentence_adds_its_name_key():
    assert analyse("Помощь мигрантам в Москве", language="ru") == [
        "pomoshch0",
        "migrant0",
        "moskv0",
        "moskv1",
    ]
    assert analyse("Москва", language="ru") == ["moskv0"]  # the first word of a sentence


@pytest.mark.parametrize(
    ("text", "language", "terms"),
    [
        ("the film about migrants", "en", ["film", "migrant"]),
        ("фильм о мигрантах", "ru", ["film0", "migrant0"]),
        ("филм дар бораи муҳоҷирон", "tg", ["film0", "bora0", "muhochir0"]),
        # "дар" is "in" in Tajik but "gift" in Russian.
        ("дар", "ru", ["dar0"]),
        ("дар", "tg", []),
        ("дар", None, []),
        ("дар", "RU-ru", ["dar0"]),
    ],
)
def test_stop_words_follow_the_document_language(text, language, terms):
    assert analyse(text, language=language) == terms


@pytest.mark.parametrize(
    ("query", "kept"),
    [
        ("how to get a patent", ["patent"]),
        ("где получить патент", ["патент"]),
        ("чӣ тавр патент гирифтан", ["патент"]),
        ("what to do if my passport is taken", ["passport", "taken"]),
        ("куда обращаться", ["обращаться"]),
        ("что делать если не платят зарплату", ["платят", "зарплату"]),
        ("чӣ кор кунам", ["кор"]),  # "what shall I do": кор (work) is kept, the light verb is not
        ("the", ["the"]),  # nothing but stop words: they are kept
        ("Он ки", ["Он", "ки"]),
    ],
)
def test_query_drops_stop_and_question_words_unless_nothing_else_is_left(query, kept):
    assert [w.text for w in analyse_query(query)] == kept


HOSTILE = [
    "",
    " ",
    "\x00\x01\x02\x1b[31m\x7f",
    "!!! ... ??? ---",
    'title:"labour migration" AND mig* OR NEAR(hiv aids, 3) NOT ^start col:1',
    '"unbalanced',
    "-- '; DROP TABLE catalogue_film; --",
    "🙂🎬👨‍👩‍👧 ❤️",
    "東京 Москва مهاجرت Ελλάδα Mehrubon",
    "\ud800 lone surrogate \udfff",
    "\u202eright-to-left override\u200b\ufeff",
    "a" * 10240,
    "я " * 5000,
    "word " * 2000,
    "x" * (MAX_TOKEN_LENGTH + 1),
    "\u0301\u0301\u0301",
    "_ __ ___",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_query_never_raises_and_yields_plain_terms(text):
    assert len(analyse_query(text)) <= MAX_QUERY_TERMS
    assert all(TERM.fullmatch(t) for t in query_terms(text))
    head, prefixes, _last = prefix_words(text)
    assert all(TERM.fullmatch(t) for w in head for t in w.candidates)
    assert all(TERM.fullmatch(p) for p in prefixes)


@pytest.mark.parametrize("text", ["", "   ", "!!! ???", "🙂🎬", "東京", "_", "\x00"])
def test_query_with_nothing_searchable_is_empty(text):
    assert analyse_query(text) == []


def test_tokens_longer_than_the_limit_are_dropped():
    assert analyse("a" * (MAX_TOKEN_LENGTH + 1) + " film") == ["film"]
    assert analyse("b" * MAX_TOKEN_LENGTH) != []


def test_query_keeps_at_most_the_word_limit():
    assert len(analyse_query(" ".join(f"film{i}" for i in range(200)))) == MAX_QUERY_TERMS


def test_non_string_query_is_empty():
    assert analyse_query(None) == []  # type: ignore[arg-type]
    assert prefix_words(b"bytes") == ([], (), None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("typed", "head", "prefixes"),
    [
        ("", [], ()),
        ("мигр", [], ("migr",)),
        ("HIV mig", ["HIV"], ("mig",)),
        ("HIV ", ["HIV"], ()),
        ("the mig", [], ("mig",)),
        ("Меҳруб", [], ("mehrub",)),
        ("оила", [], ("oila",)),  # the whole of what was typed
        ("Mosc", [], ("mosc", "mosk")),  # English as typed, and through the Cyrillic skeleton
    ],
)
def test_prefix_words_keep_the_whole_typed_word(typed, head, prefixes):
    words, found, _last = prefix_words(typed)
    assert ([w.text for w in words], found) == (head, prefixes)


@pytest.mark.parametrize(
    ("typed", "word"),
    [("Мехруб", "Меҳрубон"), ("Mehr", "Меҳрубон"), ("Меҳ", "Mehrubon"), ("Mosk", "Москва"), ("оил", "оила")],
)
def test_the_typed_prefix_starts_the_typed_form_of_the_whole_word(typed, word):
    _head, prefixes, _last = prefix_words(typed)
    assert any(form.startswith(prefixes) for form in typed_forms(word))


ALPHABET = st.sampled_from(
    list("абвгдеёжзийклмнопрстуфхцчшщъыьэюяғӣқӯҳҷ ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz0123456789")
    + list(" .,;:!?\"'()[]{}*^-_/\\|&~@#$%+=<>\t\n\u0301\u00ad\u200b")
)


@settings(deadline=None, max_examples=300)
@given(st.one_of(st.text(), st.text(alphabet=ALPHABET, max_size=200)))
def test_analysis_never_raises_and_yields_only_ascii_alnum(text):
    assert all(TERM.fullmatch(t) for t in query_terms(text))
    assert all(TERM.fullmatch(t) for t in analyse(text))
    _head, prefixes, _last = prefix_words(text)
    assert all(TERM.fullmatch(p) for p in prefixes)


@settings(deadline=None, max_examples=300)
@given(st.text(alphabet=ALPHABET, max_size=200))
def test_every_query_word_meets_the_text_it_was_typed_from(text):
    known = set(analyse(text))
    if known:
        assert all(word.terms(known) for word in analyse_query(text) if not word.stop)
