"""Which language a translated field is actually shown in.

modeltranslation falls back silently; pages must say when a text is not in the reader's language,
so they ask here which language the shown text came from.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language

# The languages every translated text is kept in (`title_en`, `title_ru`...), in the settings' order.
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


@dataclass(frozen=True)
class Shown:
    text: str
    language: str
    requested: str

    @property
    def is_fallback(self) -> bool:
        return bool(self.text) and self.language != self.requested

    def __str__(self) -> str:
        return self.text


def in_fallback_order(requested: str) -> tuple[str, ...]:
    """`requested`, then the other languages in the order a missing text falls back to them."""
    return (requested, *(lang for lang in settings.MODELTRANSLATION_FALLBACK_LANGUAGES if lang != requested))


def first_written(text_in: Callable[[str], str | None], requested: str) -> Shown:
    """The text in `requested`, else in the first fallback language that has more than blanks."""
    for lang in in_fallback_order(requested):
        value = text_in(lang) or ""
        if value.strip():
            return Shown(value, lang, requested)
    return Shown("", requested, requested)


def shown(obj, field: str, language: str | None = None) -> Shown:
    requested = (language or get_language() or settings.LANGUAGE_CODE)[:2]
    return first_written(lambda lang: getattr(obj, f"{field}_{lang}", ""), requested)
