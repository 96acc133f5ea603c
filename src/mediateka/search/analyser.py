"""Text analyser shared by indexing and querying, so that both sides meet.

Canonical terms are ASCII ``[a-z0-9]+``: the BGN/PCGN-style romanisation of a
folded, stemmed *Cyrillic* form.  Cyrillic tokens are folded (Tajik letters,
ё, дж) and stemmed with Russian Snowball before romanisation.  Latin tokens
are stemmed with English Snowball, mapped back into the same Cyrillic skeleton
and Russian-stemmed too; that round trip is what lets "Moskva" meet "Москва"
(both end up "moskv") and "Mehrubon" meet "Меҳрубон".  English words are
stemmed twice, which only matters when two of them collide (data/date);
the query side goes through the same path, so nothing is lost.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import snowballstemmer

__all__ = ["MAX_QUERY_TERMS", "MAX_TOKEN_LENGTH", "analyse", "analyse_query", "prefix_terms"]

MAX_TOKEN_LENGTH = 64
MAX_QUERY_TERMS = 64


def _table(spec: str) -> dict[str, str]:
    return dict(pair.split(":") for pair in spec.split())


_TOKEN = re.compile(r"[^\W_]+")
# Stress marks (мигра́нтов) and soft hyphens / zero-width characters pasted
# from PDFs would otherwise split one word into two tokens.
_INVISIBLE = re.compile(
    "[\u0300-\u036f\u0483-\u0489\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f\u00ad\u200b-\u200d\u2060\ufeff]"
)
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_ALL_CYRILLIC = re.compile("[\u0400-\u04ff]+\\Z")
_TAJIK_LETTERS = frozenset("ғӣқӯҳҷ")

# Tajik letters fold onto their Russian look-alikes because people type Tajik
# on Russian keyboards; a few neighbouring Central Asian letters come along.
_CYR_FOLD = str.maketrans("ғӣқӯҳҷёіїєґўөүңәұһ", "гикухчеииегуоунаух")
# The Latin side of the same fold: Tajik romanisation writes ҳ as "h" and х as
# "kh"; since ҳ folds onto х, both must land on х.  Likewise ҷ is "j" in Latin
# and "дж" in Russian spellings of Tajik names (Джамшед, Худжанд), so j, dzh
# and дж all become ч.  ғ is "gh", қ is "q".
_LAT_TO_CYR = _table(
    "shch:щ sh:ш ch:ч zh:ж kh:х gh:г ts:ц yu:ю ya:я a:а b:б c:к d:д e:е f:ф g:г h:х i:и j:ч"
    " k:к l:л m:м n:н o:о p:п q:к r:р s:с t:т u:у v:в w:в x:кс z:з"
)
_LAT_PIECE = re.compile("shch|sh|ch|zh|kh|gh|ts|yu|ya|ye|yo|.", re.S)
# BGN spells ы, й, е (word-initially, as "ye") and ё with a "y"; the letter
# before tells them apart: (after a consonant, after anything else, initial).
_Y_PIECES = {"y": ("ы", "й", "й"), "ye": ("ые", "е", "е"), "yo": ("е", "йо", "е")}
_CONSONANTS = frozenset("бвгджзйклмнпрстфхцчшщ")
# х is written "h", not BGN's "kh": both inputs already meet on х, and "h"
# keeps English words (hiv, health) readable in the index.
_CYR_TO_LAT = _table(
    "а:a б:b в:v г:g д:d е:e ж:zh з:z и:i й:y к:k л:l м:m н:n о:o п:p р:r с:s т:t у:u"
    " ф:f х:h ц:ts ч:ch ш:sh щ:shch ъ: ы:y ь: э:e ю:yu я:ya"
)
# Latin letters NFKD cannot take apart.
_LATIN_EXTRA = {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ı": "i", "þ": "th", "ð": "d"}

# Conservative on purpose: -он (plural) is left alone because it ends too many
# stems (Тоҷикистон, меҳрубон, забон), and stripping it would stop "мехрубон"
# typed without Tajik letters from meeting "Меҳрубон".  Izofat -и and
# indefinite -е are removed by the Russian stemmer that runs afterwards, on
# both spellings alike.
_TAJIK_SUFFIXES = ("хоро", "хои", "хо", "ро")
_MIN_TAJIK_STEM = 3

_STOP_WORDS_RAW = {
    "en": "a an the and or not no of in on at to for with by from as is are was were be been"
    " it its this that these those about among into than then there their they he she"
    " we you i his her our",
    "ru": "и в во не что он она оно они на я с со как а то все так его её но да ты к у же"
    " вы за бы по только мне было вот от меня ещё нет о об из ему для при это или до"
    " их мы ли если уже",
    "tg": "ва дар ба аз бо ки ин он барои то ҳам низ мо шумо ман ӯ онҳо ҳар чӣ агар аммо бе на не ё",
}


def _cyr_fold(s: str) -> str:
    return s.translate(_CYR_FOLD).replace("дж", "ч")


def _to_cyrillic(s: str) -> str:
    out: list[str] = []
    for piece in _LAT_PIECE.findall(s):
        if piece in _Y_PIECES:
            after_consonant, after_other, initial = _Y_PIECES[piece]
            if not out:
                out.append(initial)
            else:
                out.append(after_consonant if out[-1][-1] in _CONSONANTS else after_other)
        else:
            out.append(_LAT_TO_CYR.get(piece, piece))
    return _cyr_fold("".join(out))


_CYR_TO_LAT_TABLE = str.maketrans(_CYR_TO_LAT)


def _to_latin(s: str) -> str:
    # str.translate does the common case (Cyrillic letters and digits) in C; a search result page
    # highlights thousands of words, each through here once.
    out = s.translate(_CYR_TO_LAT_TABLE)
    if out.isascii() and out.isalnum():
        return out
    return "".join(_CYR_TO_LAT.get(c, c if c.isascii() and c.isalnum() else "") for c in s)


def _ascii(c: str) -> str:
    if c.isascii():
        return c
    if c.isdecimal():
        return str(unicodedata.decimal(c))
    if c in _LATIN_EXTRA:
        return _LATIN_EXTRA[c]
    return "".join(ch for ch in unicodedata.normalize("NFKD", c) if ch.isascii() and ch.isalnum())


def _fold(token: str) -> str:
    """Unstemmed key: ASCII for Latin tokens, folded Cyrillic otherwise."""
    # The two common cases first, without a loop in Python: plain ASCII, and Cyrillic alone (which
    # _to_cyrillic would hand back unchanged but folded).
    if token.isascii():
        return token
    if _ALL_CYRILLIC.match(token):
        return _cyr_fold(token)
    if not _CYRILLIC.search(token):
        return "".join(_ascii(c) for c in token)
    return _to_cyrillic("".join(c if _CYRILLIC.match(c) else _ascii(c) for c in token))


_STOP_WORDS = {lang: frozenset(_fold(w) for w in words.split()) for lang, words in _STOP_WORDS_RAW.items()}
_ALL_STOP_WORDS = frozenset().union(*_STOP_WORDS.values())

# Snowball stemmer objects keep per-call state (as do PyStemmer's, which
# snowballstemmer hands out when installed), so each thread gets its own.
_local = threading.local()


def _stemmers() -> tuple[Any, Any]:
    if not hasattr(_local, "stemmers"):
        _local.stemmers = (snowballstemmer.stemmer("english"), snowballstemmer.stemmer("russian"))
    return _local.stemmers


def _strip_tajik(word: str) -> str:
    for suffix in _TAJIK_SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_TAJIK_STEM:
            return word[: -len(suffix)]
    return word


@lru_cache(maxsize=65536)
def _stem(key: str, tajik: bool) -> str:
    english, russian = _stemmers()
    if _CYRILLIC.search(key):
        if tajik:
            key = _strip_tajik(key)
    else:
        key = _to_cyrillic(english.stemWord(key))
    return _to_latin(russian.stemWord(key))


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return _INVISIBLE.sub("", text)


def _language(language: str | None) -> str | None:
    # "ru-RU" and "TG" are what Django and content editors actually pass.
    code = (language or "").lower().replace("_", "-").split("-")[0]
    return code if code in _STOP_WORDS else None


def _terms(tokens: list[str], tajik_language: bool) -> Iterator[tuple[str, str]]:
    """Yield (term, key) per usable token; key is what stop lists are matched on."""
    for token in tokens:
        if len(token) > MAX_TOKEN_LENGTH:
            continue
        key = _fold(token)
        if not key:
            continue
        tajik = _CYRILLIC.search(key) is not None and (tajik_language or not _TAJIK_LETTERS.isdisjoint(token))
        term = _stem(key, tajik)
        if term:
            yield term, key


def analyse(text: str, *, language: str | None = None) -> list[str]:
    """Index terms of ``text`` in order, duplicates kept, stop words removed.

    ``language`` picks the stop list (all lists when unknown) and, for "tg",
    applies Tajik suffix stripping to Cyrillic words without Tajik letters.
    """
    lang = _language(language)
    stop = _STOP_WORDS[lang] if lang else _ALL_STOP_WORDS
    tokens = _TOKEN.findall(_normalise(text))
    return [term for term, key in _terms(tokens, lang == "tg") if key not in stop]


def _query_terms(tokens: list[str], *, fallback: bool) -> list[str]:
    # Queries drop every language's stop words: the index dropped at most its
    # own language's, so a term removed at index time is never required here.
    kept: list[str] = []
    stopped: list[str] = []
    for term, key in _terms(tokens, False):
        (stopped if key in _ALL_STOP_WORDS else kept).append(term)
        if len(kept) >= MAX_QUERY_TERMS:
            break
    # A query of nothing but stop words ("To be or not to be", "Он ки") keeps
    # them: an empty result would silently show nothing, whereas the terms can
    # still match documents whose own language does not count them as stop words.
    if not kept and fallback:
        return stopped[:MAX_QUERY_TERMS]
    return kept


def analyse_query(text: str) -> list[str]:
    """Query terms, language unknown; never raises, [] when nothing is left."""
    if not isinstance(text, str):
        return []
    return _query_terms(_TOKEN.findall(_normalise(text)), fallback=True)


def prefix_terms(text: str) -> tuple[list[str], str | None]:
    """Split search-as-you-type input into full terms and a prefix to expand.

    The prefix is None when the input ends in anything but a word character
    (space, punctuation): the last word is then complete.
    """
    if not isinstance(text, str):
        return [], None
    norm = _normalise(text)
    matches = list(_TOKEN.finditer(norm))
    if not matches or matches[-1].end() != len(norm):
        return _query_terms([m.group() for m in matches], fallback=True), None
    head = _query_terms([m.group() for m in matches[:-1]], fallback=False)
    last = matches[-1].group()
    key = _fold(last) if len(last) <= MAX_TOKEN_LENGTH else ""
    folded = _to_latin(key if _CYRILLIC.search(key) else _to_cyrillic(key))
    if not folded:
        return head, None
    # A finished word typed without a trailing space ("мигранты") must still
    # reach its stemmed index term ("migrant"), so cut the folded form back to
    # where it agrees with the full term.
    full = _stem(key, not _TAJIK_LETTERS.isdisjoint(last))
    agree = 0
    while agree < min(len(folded), len(full)) and folded[agree] == full[agree]:
        agree += 1
    return head, folded[:agree] or folded
