"""`/healthz` for load balancers: is the database reachable and the media storage writable?

It answers before the host check and the HTTPS redirect (HealthCheckMiddleware comes first), since
load balancers probe a node by its address over plain HTTP; so does Prometheus's `/metrics`, which
guards itself (ops.metrics).
"""

import logging
import os
import socket
import time
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse

log = logging.getLogger(__name__)
PATH = "/healthz"


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _storage() -> None:
    # A file of its own per probe: probes from several nodes never race on one name.
    name = f"healthz/{socket.gethostname()[:40]}-{os.getpid()}-{uuid.uuid4().hex}.txt"
    saved = default_storage.save(name, ContentFile(b"ok"))
    default_storage.delete(saved)


CHECKS = {"database": _database, "storage": _storage}


def healthz(request):
    started = time.monotonic()
    results, healthy = {}, True
    for name, check in CHECKS.items():
        try:
            check()
            results[name] = "ok"
        except Exception as error:  # any failure means "take this node out"
            log.warning("health check %s failed: %s", name, error)
            results[name] = f"failed: {type(error).__name__}"
            healthy = False
    body = {
        "status": "ok" if healthy else "failed",
        "checks": results,
        "duration_ms": round((time.monotonic() - started) * 1000, 1),
    }
    response = JsonResponse(body, status=200 if healthy else 503)
    response["Cache-Control"] = "no-store"
    return response


class HealthCheckMiddleware:
    """Answers /healthz and /metrics before anything looks at the Host header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("GET", "HEAD") and request.path in (PATH, "/metrics"):
            from django.urls import resolve

            from mediateka.ops.metrics import metrics

            request.resolver_match = resolve(request.path_info)  # the route label of ops.metrics
            return healthz(request) if request.path == PATH else metrics(request)
        return self.get_response(request)
