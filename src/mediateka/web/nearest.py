"""A browser asking only for a language we lack gets the nearest one its people read.

In Central Asia a reader of Uzbek, Kyrgyz, Kazakh, Turkmen or Azerbaijani nearly always reads
Russian, and a reader of Persian or Dari reads Tajik (the same language in another script); the
site default would serve them English. Each such range in Accept-Language is followed by its
nearest language at the same quality, before Django (pages) or the API reads the header, so a
language the browser also names at a higher quality still wins.
"""

from django.utils.translation.trans_real import parse_accept_lang_header

NEAREST = {"uz": "ru", "ky": "ru", "kk": "ru", "tk": "ru", "az": "ru", "fa": "tg", "prs": "tg"}


def with_nearest(header: str) -> str:
    ranges = []
    for tag, quality in parse_accept_lang_header(header):
        ranges.append(f"{tag};q={quality:g}")
        nearest = NEAREST.get(tag.split("-")[0])
        if nearest:
            ranges.append(f"{nearest};q={quality:g}")
    return ",".join(ranges)


class NearestLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
        if any(tag.split("-")[0] in NEAREST for tag in header.lower().replace(";", ",").split(",")):
            request.META["HTTP_ACCEPT_LANGUAGE"] = with_nearest(header)
            # request.headers is read from META once and kept: a middleware before this one (the
            # request id's) may have read it already, and the API reads the header from it.
            request.__dict__.pop("headers", None)
        return self.get_response(request)
