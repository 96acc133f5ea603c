"""The language an API response is written in: `?lang=` first, else the Accept-Language header.

Every translated text in a response says which language it is really in and whether that is a
fallback, because modeltranslation falls back silently and a partner site must be able to tell.
The language cookie of the web pages is not consulted: a response then depends only on its
address and Accept-Language, which is what `Vary` can tell a cache.
"""

from django.conf import settings

from mediateka.mission.translated import LANGUAGES, Shown, first_written, shown


def _accepted(header: str) -> list[str]:
    """Language ranges of an Accept-Language header, best first (RFC 9110 §12.5.4)."""
    ranked = []
    for position, item in enumerate(header.split(",")):
        tag, _, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, position, tag.strip().lower()))
    return [tag for _q, _p, tag in sorted(ranked)]


def requested_language(request, lang: str | None = None) -> str:
    if lang and lang[:2].lower() in LANGUAGES:
        return lang[:2].lower()
    for tag in _accepted(request.headers.get("Accept-Language", "")[:500]):
        if tag[:2] in LANGUAGES:
            return tag[:2]
    return settings.LANGUAGE_CODE


def text(source, field: str, language: str) -> dict:
    """`field` of a model object or a row's namespace, or of a row of values (a dict)."""
    if isinstance(source, dict):
        return described(first_written(lambda code: source.get(f"{field}_{code}"), language))
    return described(shown(source, field, language))


def described(found: Shown) -> dict:
    return {"text": found.text, "language": found.language, "fallback": found.is_fallback}
