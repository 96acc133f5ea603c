"""Highlighted titles and snippets, built from escaped pieces so that no catalogue text is ever
trusted as HTML: only the <mark> tags added here are markup."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache

from django.utils.safestring import SafeString, mark_safe

from .analyser import analyse

# The analyser's own token pattern: a highlighted word is exactly a word the index saw.
_WORD = re.compile(r"[^\W_]+")
SNIPPET_WORDS = 28


@lru_cache(maxsize=65536)
def word_terms(word: str, language: str | None) -> tuple[str, ...]:
    # A tuple of strings, which the garbage collector stops visiting after its first pass, where a
    # set would be visited in every full collection for as long as the cache holds it.
    # Read as a word inside a sentence, so that a name also gives its name key.
    return tuple(analyse(word, language=language, sentence_start=False))


class Marker:
    """The words of catalogue text that carry a query's terms.

    A page of results shows twenty titles and synopses in up to three languages, a few thousand
    words that repeat a lot; each distinct word is looked at once per query (and analysed once per
    process, word_terms), the rest is set arithmetic.
    """

    def __init__(self, terms: Iterable[str]):
        self.terms = frozenset(terms)
        self._decided: dict[str | None, tuple[set[str], set[str]]] = {}  # language -> (marked, seen)

    def is_marked(self, word: str, language: str | None) -> bool:
        marked, seen = self._decided.setdefault(language, (set(), set()))
        if word not in seen:
            seen.add(word)
            if not self.terms.isdisjoint(word_terms(word, language)):
                marked.add(word)
        return word in marked

    def marked(self, words: set[str], language: str | None) -> set[str]:
        """Those of ``words`` that match."""
        return {word for word in words if self.is_marked(word, language)}

    def matches(self, text: str, language: str | None) -> bool:
        # Stops at the first match: the words after it need not be analysed to know.
        return any(self.is_marked(word, language) for word in _WORD.findall(text))

    def highlight(self, text: str, language: str | None) -> SafeString:
        words = list(_WORD.finditer(text))
        marked = self.marked({w.group() for w in words}, language)
        return mark_safe(_html(text, words, marked, 0, len(text)))  # noqa: S308 - escaped pieces

    def snippet(
        self, text: str, language: str | None, words: int = SNIPPET_WORDS, *, may_match: bool = True
    ) -> SafeString:
        """About ``words`` words of ``text`` around its first match, with ellipses where it was cut
        (its first words when ``may_match`` is false: the caller knows it holds no term)."""
        found = list(_WORD.finditer(text))
        if len(found) <= words:
            marked = self.marked({w.group() for w in found}, language) if may_match else set()
            return mark_safe(_html(text, found, marked, 0, len(text)))  # noqa: S308 - escaped pieces
        # Only the words up to the first match, and those shown around it, are analysed.
        first = (
            next((n for n, w in enumerate(found) if self.is_marked(w.group(), language)), 0)
            if may_match
            else 0
        )
        start = max(0, min(first - words // 4, len(found) - words))
        stop = start + words
        chosen = found[start:stop]
        marked = self.marked({w.group() for w in chosen}, language) if may_match else set()
        body = _html(text, chosen, marked, chosen[0].start(), chosen[-1].end())
        prefix = "… " if start > 0 else ""
        suffix = " …" if stop < len(found) else ""
        return mark_safe(f"{prefix}{body}{suffix}")  # noqa: S308 - built from escaped pieces


def _html(text: str, words: list[re.Match], marked: set[str], start: int, stop: int) -> str:
    """text[start:stop] escaped, with the words among ``words`` that are ``marked`` in <mark>."""
    out = []
    end = start
    for word in words:
        if word.group() in marked and start <= word.start() and word.end() <= stop:
            out.append(html.escape(text[end : word.start()]))
            out.append(f"<mark>{html.escape(word.group())}</mark>")
            end = word.end()
    out.append(html.escape(text[end:stop]))
    return "".join(out)
