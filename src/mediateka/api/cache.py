"""A server-side cache of API read responses, keyed by the catalogue's version.

The version is that of the catalogue (catalogue.CatalogueState, changed after every committed write
to what the API shows, an encoding's publication included: catalogue.changes) with that of the
search index (search.IndexState): two primary-key reads. A cached page therefore never outlives the data
it shows, and a film that leaves the public leaves every cached list at once. Entries also expire
after SECONDS, the time for which responses tell clients and proxies they may keep them, which
bounds what a change made without signals (a bulk UPDATE in a shell) can leave behind.
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import parse_http_date_safe

from mediateka.catalogue.models import CatalogueState
from mediateka.search.models import IndexState

from .language import requested_language
from .respond import MAX_AGE

SECONDS = MAX_AGE
KEPT_HEADERS = ("Content-Type", "Content-Language", "ETag", "Last-Modified", "Cache-Control")


def _version_sql() -> str:
    # One round trip for both rows; table names come from the models, quoted.
    quote = connection.ops.quote_name
    tables = [quote(model._meta.db_table) for model in (CatalogueState, IndexState)]
    return "SELECT " + ", ".join(f"(SELECT {quote('version')} FROM {t} WHERE id = 1)" for t in tables)  # noqa: S608


def catalogue_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute(_version_sql())
        return repr(cursor.fetchone())


def cached(view):
    """Serves a GET from the cache while the catalogue's version is unchanged; fills it on a miss."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not getattr(settings, "MEDIATEKA_API_CACHE", True):
            return view(request, *args, **kwargs)
        language = requested_language(request, request.GET.get("lang"))
        version = catalogue_version()
        key = "api:" + hashlib.sha256(f"{version}|{language}|{request.get_full_path()}".encode()).hexdigest()
        cache = caches["api"] if "api" in settings.CACHES else caches["default"]
        hit = cache.get(key)
        if hit is not None:
            body, headers = hit
            response = HttpResponse(body)
            for name, value in headers.items():
                response[name] = value
            patch_vary_headers(response, ["Accept-Language"])
            stamp = parse_http_date_safe(headers.get("Last-Modified", ""))
            return get_conditional_response(
                request, etag=headers.get("ETag"), last_modified=stamp, response=response
            )
        response = view(request, *args, **kwargs)
        if response.status_code == 200:
            cache.set(
                key, (response.content, {h: response[h] for h in KEPT_HEADERS if h in response}), SECONDS
            )
        return response

    return wrapper
