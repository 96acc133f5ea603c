"""JSON responses with validators: an ETag of the body and a Last-Modified, and 304 when they match.

The body is rendered through its schema first (which checks it), so the ETag is that of the exact
bytes sent: it changes whenever anything in the response does, even a renamed theme that no
timestamp records.
"""

import hashlib

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

MAX_AGE = 60


def json_response(
    request, schema, data, *, language: str, context=None, last_modified=None, status: int = 200
):
    """`context` is what the schema's resolvers are given (a Presenter's context)."""
    body = schema.model_validate(data, context=context).model_dump_json().encode("utf-8")
    response = HttpResponse(body, status=status, content_type="application/json")
    response["Content-Language"] = language
    patch_vary_headers(response, ["Accept-Language"])
    if status != 200 or request.method not in ("GET", "HEAD"):
        return response
    response["ETag"] = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    stamp = int(last_modified.timestamp()) if last_modified else None
    if stamp:
        response["Last-Modified"] = http_date(stamp)
    return get_conditional_response(request, etag=response["ETag"], last_modified=stamp, response=response)
