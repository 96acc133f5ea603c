"""A light Tajik stemmer: the inflections a search must see through, and nothing derivational.

Tajik nouns take a plural (-он for people, -ҳо for anything, -ён after a vowel, -гон after -а),
the izofat -и that links a noun to what follows it (оилаи муҳоҷир, "a migrant's family"), the
object marker -ро, and the indefinite -е; adjectives are made with -ӣ (меҳнатӣ, "of labour").
They stack (муҳоҷиронро, духтарони), so endings are taken off one at a time from the end.

The stemmer works on *folded* words (see analyser: ҳ→х, ҷ→ч, ӣ→и, қ→к, ғ→г, ӯ→у), because people
type Tajik on Russian keyboards; a word typed either way gets the same stem.

-он is the dangerous one: many stems simply end in it (забон "language", меҳрубон "kind",
Тоҷикистон, замон "time"). Those are listed below, with two patterns (-истон "land of", -бон
"keeper of") that are never plurals; a stem reached by stripping stops there. The figures that
chose this over the `tajiknlp` package are in tests/search/test_tajik_stemmer.py.
"""

from __future__ import annotations

from functools import lru_cache

__all__ = ["stem"]


def _fold(word: str) -> str:
    return word.lower().translate(str.maketrans("ғӣқӯҳҷё", "гикухче"))


# Stems ending in what looks like a plural, folded (the analyser folds before it stems).
_PROTECTED_WORDS = """
    забон меҳрубон ҷавон замон ҳамзамон инсон имкон майдон зиндон деҳқон мусулмон арзон гарон равон
    пинҳон вайрон ҳайрон ҷаҳон осмон дӯкон ҳайвон девон қурбон Эрон Хатлон Бадахшон Ҳамадон
    ҷараён миён зиён баён аён ҷон нон хон Вахён
"""
PROTECTED = frozenset(_fold(w) for w in _PROTECTED_WORDS.split())
PROTECTED_ENDINGS = ("истон", "бон")

# One ending at a time, from the end of the word (муҳоҷиронро: -ро, then -он), so that a protected
# stem is seen before its last letters are mistaken for an ending (забонро: -ро, then забон).
_SUFFIXES = ("хо", "ро", "гон", "он", "ен", "и", "е")
MIN_STEM = 3  # letters left after a strip: нон, Эрон, осон stay whole
MAX_STRIPS = 3  # муҳоҷиронро: -ро, then -он


def _protected(word: str) -> bool:
    return word in PROTECTED or word.endswith(PROTECTED_ENDINGS)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The stem of a folded, lower-case Tajik word."""
    for _ in range(MAX_STRIPS):
        if _protected(word):
            return word
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
                rest = word[: -len(suffix)]
                # -гон is the plural only after a stem in -а (бача → бачагон); elsewhere it is -он.
                if suffix == "гон" and not rest.endswith("а"):
                    continue
                word = rest
                break
        else:
            return word
    return word
