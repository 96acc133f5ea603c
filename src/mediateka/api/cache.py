"""The API's read responses, kept on the server while the catalogue's version is unchanged
(ops.response_cache says how). Keyed by the language the response is written in and the address;
a hit still answers a conditional request with 304."""

from functools import wraps

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe

from mediateka.ops import response_cache

from .language import requested_language


def cached(view):
    """Serves a GET from the cache while the catalogue's version is unchanged; fills it on a miss."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not getattr(settings, "MEDIATEKA_API_CACHE", True):
            return view(request, *args, **kwargs)
        language = requested_language(request, request.GET.get("lang"))
        key = response_cache.key("api", response_cache.version(), language, request.get_full_path())
        response = response_cache.load(key)
        if response is not None:
            patch_vary_headers(response, ["Accept-Language"])
            stamp = parse_http_date_safe(response.get("Last-Modified", ""))
            return get_conditional_response(
                request, etag=response.get("ETag"), last_modified=stamp, response=response
            )
        response = view(request, *args, **kwargs)
        response_cache.keep(key, response)
        return response

    return wrapper
