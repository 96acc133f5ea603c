"""Public pages for visitors who are not signed in: kept rendered on the server, sent compressed.

A page is kept (ops.response_cache) under the version of what it shows, the active language (the
address's prefix), the whole address as the visitor asked for it (scheme, host, path, query
string: a page's alternate-language links are absolute), whether the client accepts gzip (the
compressed page is kept as such) and the request headers the page says it varies on. Only a GET
from someone not signed in, with no message waiting for them, is served from the cache or fills
it: an editor previewing a draft always gets a fresh page, which is never kept.

A page is not kept, nor compressed, when its rendering asked for a CSRF token (a form that posts)
or set a cookie, since the page would then hold a secret of that visitor; nor when the view says it
varies on a header the key does not cover (`vary` below), which would otherwise serve one
visitor's variant to another. The anonymous pages are compressed with Django's GZipMiddleware
for clients that accept gzip, once per cached entry (the random padding it adds against BREACH is
then that entry's): they reflect the visitor's query string, but hold no secret for BREACH to
recover. A signed-in visitor's page (a draft is the editor's secret) is sent as it is.

The session middleware adds `Vary: Cookie` to every page here (the signed-in check reads the
session), cached or not, so a shared cache in front still tells visitors apart.
"""

from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import cc_delim_re
from django.utils.translation import get_language

from mediateka.ops import response_cache

_gzip = GZipMiddleware(lambda request: None)


def _anonymous_and_nothing_waiting(request) -> bool:
    # A message waiting (in the session or its cookie) is not consumed by counting it.
    return not request.user.is_authenticated and not len(get_messages(request))


def _keepable(request, response, vary: tuple[str, ...]) -> bool:
    varies = {h.strip().lower() for h in cc_delim_re.split(response.get("Vary", "")) if h.strip()}
    return (
        not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not response.cookies
        and varies <= {h.lower() for h in vary}
    )


def _key(request, states, vary: tuple[str, ...]) -> str:
    return response_cache.key(
        "page",
        response_cache.version(states),
        get_language(),
        request.build_absolute_uri(),
        bool(re_accepts_gzip.search(request.headers.get("Accept-Encoding", ""))),
        *(request.headers.get(header, "") for header in vary),
    )


def public_page(*, vary: tuple[str, ...] = (), states=response_cache.CATALOGUE):
    """Caches a public page under the version of `states` (one-row version tables) and compresses it.

    `vary`: the request headers the view reads (and names in its Vary header), each part of the key.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method != "GET" or not _anonymous_and_nothing_waiting(request):
                return view(request, *args, **kwargs)
            key = _key(request, states, vary) if settings.MEDIATEKA_PAGE_CACHE else None
            response = response_cache.load(key) if key else None
            if response is None:
                response = view(request, *args, **kwargs)
                if not _keepable(request, response, vary):
                    return response
                response = _gzip.process_response(request, response)
                if key:  # compressed once, for every client that accepts gzip
                    response_cache.keep(key, response)
            return response

        return wrapper

    return decorate
