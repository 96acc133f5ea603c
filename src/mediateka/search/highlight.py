"""Highlighted titles and snippets, built from escaped pieces so that no catalogue text is ever
trusted as HTML: only the <mark> tags added here are markup."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from django.utils.safestring import SafeString, mark_safe

from .analyser import analyse

# The analyser's own token pattern: a highlighted word is exactly a word the index saw.
_WORD = re.compile(r"[^\W_]+")
SNIPPET_WORDS = 28


@lru_cache(maxsize=65536)
def word_terms(word: str, language: str | None) -> frozenset[str]:
    return frozenset(analyse(word, language=language))


def _is_match(word: str, terms: frozenset[str], language: str | None) -> bool:
    return not word_terms(word, language).isdisjoint(terms)


def matches(text: str, terms: frozenset[str], language: str | None) -> bool:
    return any(not word_terms(word, language).isdisjoint(terms) for word in _WORD.findall(text))


def _html(
    text: str, words: list[re.Match], terms: frozenset[str], language: str | None, start: int, stop: int
) -> str:
    """text[start:stop] escaped, with the matching words among ``words`` in <mark>."""
    out = []
    end = start
    for word in words:
        if word.start() < start or word.end() > stop:
            continue
        if _is_match(word.group(), terms, language):
            out.append(html.escape(text[end : word.start()]))
            out.append(f"<mark>{html.escape(word.group())}</mark>")
            end = word.end()
    out.append(html.escape(text[end:stop]))
    return "".join(out)


def highlight(text: str, terms: frozenset[str], language: str | None) -> SafeString:
    words = list(_WORD.finditer(text))
    return mark_safe(_html(text, words, terms, language, 0, len(text)))  # noqa: S308 - escaped pieces


def snippet(text: str, terms: frozenset[str], language: str | None, words: int = SNIPPET_WORDS) -> SafeString:
    """About ``words`` words of ``text`` around its first match, with ellipses where it was cut."""
    found = list(_WORD.finditer(text))
    if len(found) <= words:
        return highlight(text, terms, language)
    first = next((n for n, w in enumerate(found) if _is_match(w.group(), terms, language)), 0)
    start = max(0, min(first - words // 4, len(found) - words))
    stop = start + words
    chosen = found[start:stop]
    body = _html(text, chosen, terms, language, chosen[0].start(), chosen[-1].end())
    prefix = "… " if start > 0 else ""
    suffix = " …" if stop < len(found) else ""
    return mark_safe(f"{prefix}{body}{suffix}")  # noqa: S308 - built from escaped pieces
