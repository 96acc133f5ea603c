"""Folding and transliteration between the Latin and Cyrillic scripts, shared by the analyser.

Tajik letters fold onto their Russian look-alikes (people type Tajik on Russian keyboards); Latin
words map into the same Cyrillic skeleton (Moskva → москва, Mehrubon → мехрубон, Khujand and
Hujand → хучанд) and Cyrillic stems romanise back into ASCII terms (BGN/PCGN, with х as "h").
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["CYRILLIC", "TAJIK_LETTERS", "cyr_fold", "fold", "to_cyrillic", "to_latin"]


def _table(spec: str) -> dict[str, str]:
    return dict(pair.split(":") for pair in spec.split())


CYRILLIC = re.compile("[\u0400-\u04ff]")
_ALL_CYRILLIC = re.compile("[\u0400-\u04ff]+\\Z")
TAJIK_LETTERS = frozenset("ғӣқӯҳҷ")

# A few neighbouring Central Asian letters come along with the Tajik ones.
_CYR_FOLD = str.maketrans("ғӣқӯҳҷёіїєґўөүңәұһ", "гикухчеииегуоунаух")
# The Latin side of the same fold: Tajik romanisation writes ҳ as "h" and х as "kh"; since ҳ folds
# onto х, both must land on х. Likewise ҷ is "j" in Latin and "дж" in Russian spellings of Tajik
# names (Джамшед, Худжанд), so j, dzh and дж all become ч. ғ is "gh", қ is "q".
_LAT_TO_CYR = _table(
    "shch:щ sh:ш ch:ч zh:ж kh:х gh:г ts:ц yu:ю ya:я a:а b:б c:к d:д e:е f:ф g:г h:х i:и j:ч"
    " k:к l:л m:м n:н o:о p:п q:к r:р s:с t:т u:у v:в w:в x:кс z:з"
)
_LAT_PIECE = re.compile("shch|sh|ch|zh|kh|gh|ts|yu|ya|ye|yo|.", re.S)
# BGN spells ы, й, е (word-initially, as "ye") and ё with a "y"; the letter before tells them
# apart: (after a consonant, after anything else, initial).
_Y_PIECES = {"y": ("ы", "й", "й"), "ye": ("ые", "е", "е"), "yo": ("е", "йо", "е")}
_CONSONANTS = frozenset("бвгджзйклмнпрстфхцчшщ")
# х is written "h", not BGN's "kh": both inputs already meet on х, and "h" keeps English words
# (hiv, health) readable in the index.
_CYR_TO_LAT = _table(
    "а:a б:b в:v г:g д:d е:e ж:zh з:z и:i й:y к:k л:l м:m н:n о:o п:p р:r с:s т:t у:u"
    " ф:f х:h ц:ts ч:ch ш:sh щ:shch ъ: ы:y ь: э:e ю:yu я:ya"
)
_CYR_TO_LAT_TABLE = str.maketrans(_CYR_TO_LAT)
# Latin letters NFKD cannot take apart.
_LATIN_EXTRA = {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ı": "i", "þ": "th", "ð": "d"}


def cyr_fold(s: str) -> str:
    return s.translate(_CYR_FOLD).replace("дж", "ч")


def to_cyrillic(s: str) -> str:
    """The folded Cyrillic skeleton of a Latin word."""
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
    return cyr_fold("".join(out))


def to_latin(s: str) -> str:
    # str.translate does the common case (Cyrillic letters and digits) in C; a result page
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


def fold(token: str) -> str:
    """A lower-case token's unstemmed key: ASCII for Latin tokens, folded Cyrillic otherwise."""
    if token.isascii():
        return token
    if _ALL_CYRILLIC.match(token):
        return cyr_fold(token)
    if not CYRILLIC.search(token):
        return "".join(_ascii(c) for c in token)
    return to_cyrillic("".join(c if CYRILLIC.match(c) else _ascii(c) for c in token))
