"""Text analyser shared by indexing and querying, so that both sides meet.

Each word is analysed as the language it is written in, never through a second language:

- a Latin word is English: Snowball English stem (migrants → ``migrant``), or the word whole when
  it is an acronym in capitals (AIDS → ``aids``, never ``aid``);
- a Cyrillic word is Russian or Tajik: in a Tajik field, or with Tajik letters, the Tajik stemmer
  (search.tajik: муҳоҷирон → ``muhochir0``); otherwise Snowball Russian (мигрантов → ``migrant0``).
  Tajik letters fold onto Russian ones first, so чавонон typed on a Russian keyboard meets ҷавонон.

Terms are ASCII ``[a-z0-9]+`` (what both index back ends take). Cyrillic stems are romanised and
end in ``0``, so that an English stem and a romanised Cyrillic one can never be the same term
(drug/других, card/кард); numbers carry no mark and are one term in every language (2014).

Names cross scripts. A capitalised word inside a sentence (Москва, Mehrubon, Khujand) also gets a
*name key*: its Cyrillic skeleton (Latin words transliterated) with Tajik then Russian endings taken
off, romanised, ending in ``1``. A query word is looked up under its own term(s) and its name key,
so "Moskva" finds "в Москве" and "Меҳрубон" finds "the NGO Mehrubon", while "widows" never meets
"видят", which is not a name. A query word none of whose own terms is in the index is also tried
as the other script's words (trudovykh → трудовых); query.py decides that with the vocabulary.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import snowballstemmer

from . import tajik
from .script import CYRILLIC, TAJIK_LETTERS, fold, to_cyrillic, to_latin

__all__ = [
    "MAX_QUERY_TERMS",
    "MAX_TOKEN_LENGTH",
    "QueryWord",
    "analyse",
    "analyse_query",
    "is_stop_word",
    "prefix_words",
    "query_terms",
    "script_of",
    "typed_forms",
]

MAX_TOKEN_LENGTH = 64
MAX_QUERY_TERMS = 64
CYRILLIC_MARK = "0"
NAME_MARK = "1"
# Letters that no romanisation of Russian or Tajik writes: a c outside "ch", w, x.
_NOT_ROMANISED = re.compile(r"c(?!h)|[wx]")
ACRONYM_MAX = 5  # AIDS, UNHCR, ВНМО; a longer word in capitals is a title set in capitals

_TOKEN = re.compile(r"[^\W_]+")
# Stress marks (мигра́нтов) and soft hyphens / zero-width characters pasted from PDFs would
# otherwise split one word into two tokens.
_INVISIBLE = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u00ad\u200b-\u200d\u2060\ufeff]"
)
_SENTENCE_END = re.compile(r"[.!?…]")
# Letters Tajik does not write: a word with one is Russian.
_RUSSIAN_ONLY = frozenset("ыщьц")

# Besides the usual function words, the words of a question that name no subject ("how to get a
# patent", "как получить патент", "чӣ тавр патент гирам", "что делать", "чӣ кор кунам"): a film
# holding them is no answer.
# Numbers from two to ten name no subject either, and Russian семь (seven) stems as семья
# (family) does. (Панҷ, five, is also a river and a district: kept.)
_STOP_WORDS_RAW = {
    "en": "a an the and or not no of in on at to for with by from as is are was were be been"
    " it its this that these those about among into than then there their they he she"
    " we you i his her our them us him me my your how what where when why who which do does can"
    " could should would will if get got without has have had am much many whose"
    " two three four five six seven eight nine ten",
    "ru": "и в во не что он она оно они на я с со как а то все так его её но да ты к у же"
    " вы за бы по только мне было вот от меня ещё нет о об из ему для при это или до"
    " их мы ли если уже где куда когда почему зачем кто чем мой моя мои свой можно нужно надо"
    " получить без который которая которое которые которого которой которых которым чтобы чтоб"
    " этот эта эти тот та те такой себя тоже также очень был была были быть есть какой какая"
    " какие каким сколько делать сделать два две три четыре пять шесть семь восемь девять десять",
    "tg": "ва дар ба аз бо ки ин он барои то ҳам низ мо шумо ман ӯ онҳо ҳар чӣ агар аммо бе на не ё"
    " куҷо тавр кай чаро кӣ гирам гирифтан метавонам лозим чист чанд кадом кунам кунем кунад"
    " ду се чор шаш ҳафт ҳашт нӯҳ даҳ",
}
_STOP_WORDS = {lang: frozenset(fold(w) for w in words.split()) for lang, words in _STOP_WORDS_RAW.items()}
_ALL_STOP_WORDS = frozenset().union(*_STOP_WORDS.values())

# Snowball stemmer objects keep per-call state (as do PyStemmer's, which snowballstemmer hands out
# when installed), so each thread gets its own.
_local = threading.local()


def _stemmers() -> tuple[Any, Any]:
    if not hasattr(_local, "stemmers"):
        _local.stemmers = (snowballstemmer.stemmer("english"), snowballstemmer.stemmer("russian"))
    return _local.stemmers


def _cyrillic_term(stem: str) -> str:
    return to_latin(stem) + CYRILLIC_MARK if stem else ""


# Plurals Snowball cannot know: the people this catalogue is about.
_ENGLISH_IRREGULAR = {
    "women": "woman",
    "men": "man",
    "children": "child",
    "wives": "wife",
    "lives": "life",
    "people": "person",
    "persons": "person",
}


@lru_cache(maxsize=65536)
def english(key: str) -> str:
    return _stemmers()[0].stemWord(_ENGLISH_IRREGULAR.get(key, key))


@lru_cache(maxsize=65536)
def russian(key: str) -> str:
    stem = _stemmers()[1].stemWord(key)
    # A stem much shorter than the word is a word of another language (Tajik оила is not "о").
    return _cyrillic_term(stem if len(stem) >= min(3, len(key)) else key)


@lru_cache(maxsize=65536)
def tajik_term(key: str) -> str:
    return _cyrillic_term(tajik.stem(key))


@lru_cache(maxsize=65536)
def name_key(key: str) -> str:
    """The script-neutral key of a name: Cyrillic skeleton, Tajik then Russian endings off."""
    skeleton = key if CYRILLIC.search(key) else to_cyrillic(key)
    stem = _stemmers()[1].stemWord(tajik.stem(skeleton))
    return to_latin(stem) + NAME_MARK if stem else ""


def script_of(term: str) -> str:
    """ "latin", "cyrillic", "name" or "number": the analysis a term came from."""
    if term.isdigit():
        return "number"
    return {CYRILLIC_MARK: "cyrillic", NAME_MARK: "name"}.get(term[-1:], "latin")


def _normalise(text: str) -> str:
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))


def _lower(token: str) -> str:
    return unicodedata.normalize("NFKC", token.casefold())


def _language(language: str | None) -> str | None:
    # "ru-RU" and "TG" are what Django and content editors actually pass.
    code = (language or "").lower().replace("_", "-").split("-")[0]
    return code if code in _STOP_WORDS else None


def _acronym(token: str) -> bool:
    return token.isupper() and 2 <= len(token) <= ACRONYM_MAX


def _is_name(token: str) -> bool:
    return token[:1].isupper() and not token.isupper()


def _own_term(token: str, key: str, language: str | None) -> str:
    """The term of one word in its own language (``language``: the text's, if known)."""
    if key.isdigit():
        return key
    if not CYRILLIC.search(key):
        return key if _acronym(token) else english(key)
    if _acronym(token):
        return _cyrillic_term(key)
    if language == "tg" or not TAJIK_LETTERS.isdisjoint(token.lower()):
        return tajik_term(key)
    return russian(key)


def _tokens(text: str, sentence_start: bool) -> Iterator[tuple[str, str, bool]]:
    """(token as written, its key, whether it starts a sentence) for each usable token."""
    end = 0
    for match in _TOKEN.finditer(_normalise(text)):
        starts = sentence_start if end == 0 else bool(_SENTENCE_END.search(text, end, match.start()))
        end = match.end()
        token = match.group()
        if len(token) > MAX_TOKEN_LENGTH:
            continue
        key = fold(_lower(token))
        if key:
            yield token, key, starts


def analyse(text: str, *, language: str | None = None, sentence_start: bool = True) -> list[str]:
    """Index terms of ``text`` in order, duplicates kept, stop words of ``language`` (every
    language's when unknown) removed; a name inside a sentence adds its name key after its term.

    ``sentence_start`` says whether ``text`` begins a sentence (its first word then is no name
    because it is capitalised); pass False for a piece from the middle of a text.
    """
    lang = _language(language)
    stop = _STOP_WORDS[lang] if lang else _ALL_STOP_WORDS
    terms = []
    for token, key, starts in _tokens(text, sentence_start):
        if key in stop:
            continue
        term = _own_term(token, key, lang)
        if term:
            terms.append(term)
        if not starts and _is_name(token) and not key.isdigit():
            name = name_key(key)
            if name:
                terms.append(name)
    return terms


@dataclass(frozen=True)
class QueryWord:
    """One word of a query and the terms it may stand for in the index.

    ``own``: its own script's terms (English: the word whole then its stem, the first in the index
    wins, so that lower-case "aids" is AIDS when the index has the acronym; Cyrillic: its Russian
    and Tajik stems, each in the index counts). ``name``: its name key. ``other``: the other
    script's terms, used when none of ``own`` is in the index (for a Latin word, only one that a
    romanisation could have written).
    """

    text: str
    own: tuple[str, ...]
    name: str
    other: tuple[str, ...]
    latin: bool
    stop: bool = False

    @property
    def candidates(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t for t in (*self.own, self.name, *self.other) if t))

    def terms(self, known) -> tuple[str, ...]:
        """The terms this word matches, given the set of terms in the index."""
        if self.latin:
            own = next(([t] for t in self.own if t in known), [])
        else:
            own = [t for t in self.own if t in known]
        chosen = own + ([self.name] if self.name in known else [])
        if not own:
            chosen += [t for t in self.other if t in known]
        return tuple(dict.fromkeys(chosen))


def _romanisable(key: str) -> bool:
    return key.isascii() and not _NOT_ROMANISED.search(key)


def _cyrillic_stems(token: str, key: str) -> list[str]:
    if _acronym(token):
        return [_cyrillic_term(key)]
    lowered = token.lower()
    if not TAJIK_LETTERS.isdisjoint(lowered):
        stems = [tajik_term(key)]
    elif not _RUSSIAN_ONLY.isdisjoint(lowered):
        stems = [russian(key)]
    else:
        stems = [russian(key), tajik_term(key)]
    return list(dict.fromkeys(stems))


def _query_word(token: str, key: str) -> QueryWord:
    if key.isdigit():
        return QueryWord(token, (key,), "", (), latin=True)
    name = name_key(key)
    if CYRILLIC.search(key):
        return QueryWord(
            token, tuple(_cyrillic_stems(token, key)), name, (english(to_latin(key)),), latin=False
        )
    own = (key,) if _acronym(token) else tuple(dict.fromkeys((key, english(key))))
    skeleton = to_cyrillic(key)
    # Russian or Tajik typed in Latin letters (trudovykh, oila): only a word that romanisation
    # could have written, so that English card and snow never meet Tajik кард and Russian снова.
    other = (russian(skeleton), tajik_term(skeleton)) if _romanisable(key) else ()
    return QueryWord(token, own, name, tuple(dict.fromkeys(other)), latin=True)


def is_stop_word(word: str) -> bool:
    return fold(_lower(word)) in _ALL_STOP_WORDS


def _query_words(text: str) -> list[QueryWord]:
    words = []
    for token, key, _starts in _tokens(text, True):
        word = _query_word(token, key)
        words.append(replace(word, stop=key in _ALL_STOP_WORDS))
        if len(words) >= MAX_QUERY_TERMS * 4:
            break
    return words


def analyse_query(text: str) -> list[QueryWord]:
    """The words of a query, stop words of every language dropped (the index dropped at most its
    own language's, so a word removed at index time is never required here); a query of nothing
    but stop words ("To be or not to be", "Он ки") keeps them. Never raises."""
    if not isinstance(text, str):
        return []
    words = _query_words(text)
    kept = [w for w in words if not w.stop] or words
    return kept[:MAX_QUERY_TERMS]


def query_terms(text: str) -> list[str]:
    """Every term the words of a query may stand for, in order (for tests and diagnostics)."""
    return list(dict.fromkeys(t for word in analyse_query(text) for t in word.candidates))


def prefix_words(text: str) -> tuple[list[QueryWord], tuple[str, ...], QueryWord | None]:
    """Split search-as-you-type input into finished words and the last word being typed.

    Returns the finished words, the prefixes to expand (the last word whole, so that every letter
    typed counts: "оила" looks for terms starting "oila"; see typed_forms), and the last word itself
    (a finished word typed without a space must still find its own terms). There are no prefixes
    when the input ends in anything but a letter (space, punctuation).
    """
    if not isinstance(text, str):
        return [], (), None
    norm = _normalise(text)
    words = _query_words(norm)
    if not words or not norm[-1:].isalnum():
        kept = [w for w in words if not w.stop] or words
        return kept[:MAX_QUERY_TERMS], (), None
    *head, last = words
    head = [w for w in head if not w.stop][:MAX_QUERY_TERMS]
    return head, typed_forms(last.text), last


def typed_forms(word: str) -> tuple[str, ...]:
    """A word as search-as-you-type compares it, unstemmed: romanised Cyrillic; a Latin word as
    typed (English terms) and through the Cyrillic skeleton (romanised Cyrillic terms)."""
    key = fold(_lower(word))
    if not key:
        return ()
    if CYRILLIC.search(key):
        return (to_latin(key),)
    return tuple(dict.fromkeys(f for f in (key, to_latin(to_cyrillic(key))) if f))
