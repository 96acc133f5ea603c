"""Which language a translated field is actually shown in.

modeltranslation falls back silently; pages must say when a text is not in the reader's language,
so they ask here which language the shown text came from.
"""

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


def shown(obj, field: str, language: str | None = None) -> Shown:
    requested = (language or get_language() or settings.LANGUAGE_CODE)[:2]
    order = [requested, *(lang for lang in settings.MODELTRANSLATION_FALLBACK_LANGUAGES if lang != requested)]
    for lang in order:
        value = getattr(obj, f"{field}_{lang}", "") or ""
        if value.strip():
            return Shown(value, lang, requested)
    return Shown("", requested, requested)
