"""Rendered responses kept on the server, keyed by the version of the records they show.

A version is a random value in a one-row table that every committed write to those records
changes: the catalogue's (catalogue.CatalogueState, bumped by catalogue.changes on each write to
what the catalogue shows, an encoding's publication included), the search index's
(search.IndexState) and, for the reach pages, the outreach figures' (outreach.ReachState). The
versions a response depends on are read in one query of primary-key reads, and are part of its
key: a cached response therefore never outlives the data it shows, and a film that leaves the
public leaves every cached page and list at once. Entries also expire after SECONDS, the time for
which responses tell clients and proxies they may keep them, which bounds what a change made
without signals (a bulk UPDATE in a shell) can leave behind, and what depends on the date.

Used by the API (api.cache) and by the public pages (ops.page_cache); each decides what may be
kept and what the key is made of.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse

from mediateka.catalogue.models import CatalogueState
from mediateka.search.models import IndexState

SECONDS = 60
CATALOGUE = (CatalogueState, IndexState)


def version(states=CATALOGUE) -> str:
    """The versions of these one-row tables, in one round trip."""
    quote = connection.ops.quote_name
    tables = [quote(model._meta.db_table) for model in states]
    # Table names come from the models, quoted.
    sql = "SELECT " + ", ".join(f"(SELECT {quote('version')} FROM {t} WHERE id = 1)" for t in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return repr(cursor.fetchone())


def key(kind: str, *parts) -> str:
    return f"{kind}:" + hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def _store():
    # One store for every worker process of the server (files in the data dir, see settings.CACHES).
    return caches["responses"] if "responses" in settings.CACHES else caches["default"]


def load(found_key: str) -> HttpResponse | None:
    hit = _store().get(found_key)
    if hit is None:
        return None
    body, headers = hit
    response = HttpResponse(body)
    for name, value in headers.items():
        response[name] = value
    return response


def keep(found_key: str, response: HttpResponse) -> None:
    """Keeps a 200's body and headers (a response's cookies are not among its headers: none is kept)."""
    if response.status_code == 200 and not response.streaming:
        _store().set(found_key, (response.content, dict(response.headers)), SECONDS)
