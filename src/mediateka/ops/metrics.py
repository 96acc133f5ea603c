"""Prometheus metrics at `/metrics`: request latency, the job queue, encodes, live workers.

Request latency is measured in every web process. gunicorn runs several, so prometheus-client's
multiprocess mode (PROMETHEUS_MULTIPROC_DIR, set by `mediateka run`) adds them up at scrape time.
The queue, the encodes and the workers are read from the database at scrape time: the database is
shared by every node, so any web node gives the whole picture.

Access: with MEDIATEKA_METRICS_TOKEN set, a scrape must send `Authorization: Bearer <token>`;
without it, only direct requests (no X-Forwarded-* header, so not through the proxy) from
MEDIATEKA_METRICS_NETWORKS are answered.
"""

import ipaddress
import os
import time
from collections import Counter

from django.conf import settings
from django.db.models import Count
from django.http import HttpResponse, HttpResponseForbidden
from django.utils.crypto import constant_time_compare
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

REQUEST_LATENCY = Histogram(
    "mediateka_http_request_duration_seconds",
    "Time to answer an HTTP request, by route and status class.",
    ["route", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


# A failed video's reason (video.pipeline's message, in English) by how it begins: few label values,
# each calling for its own action. "refused" is the file itself (not a video, too long, an FFmpeg
# error on it): the editor's business; the others are the operator's.
_REASON_STARTS = {
    "ffmpeg_missing": ("FFmpeg could not be started",),
    "ffmpeg_stopped": ("FFmpeg was stopped",),
    "refused": ("FFmpeg could not encode",),
    "storage": ("Reading the uploaded file failed", "Storing the encoding failed"),
    "worker_lost": ("The encode was started",),
    "no_file": ("There is no uploaded file",),
    "other": ("Preparing the encode failed", "Publishing the encoding failed", "Encoding failed"),
}
FAILURE_REASONS = tuple(_REASON_STARTS)


def failure_reason(error: str) -> str:
    for reason, starts in _REASON_STARTS.items():
        if error.startswith(starts):
            return reason
    return "refused"  # the probe's refusals, each worded for the editor


class DatabaseCollector:
    """Gauges read from the shared database at each scrape."""

    def collect(self):
        from django_tasks_db.models import DBTaskResult

        from mediateka.ops.models import WorkerHeartbeat
        from mediateka.video.models import Video
        from mediateka.video.tasks import process_video

        queue = GaugeMetricFamily(
            "mediateka_queue_jobs", "Background jobs by queue and status.", labels=["queue", "status"]
        )
        for row in DBTaskResult.objects.values("queue_name", "status").annotate(n=Count("id")).order_by():
            queue.add_metric([row["queue_name"], row["status"].lower()], row["n"])
        yield queue

        encodes = GaugeMetricFamily(
            "mediateka_encode_jobs",
            "Encode jobs kept in the task results, by outcome (done, failed, running, ready).",
            labels=["outcome"],
        )
        outcomes = {"SUCCESSFUL": "done", "FAILED": "failed", "RUNNING": "running", "READY": "ready"}
        counts = dict(
            DBTaskResult.objects.filter(task_path=process_video.module_path)
            .values_list("status")
            .annotate(n=Count("id"))
            .order_by()
        )
        for status, outcome in outcomes.items():
            encodes.add_metric([outcome], counts.get(status, 0))
        yield encodes

        videos = GaugeMetricFamily("mediateka_videos", "Videos by pipeline status.", labels=["status"])
        by_status = dict(Video.objects.values_list("status").annotate(n=Count("id")).order_by())
        for status in Video.Status.values:
            videos.add_metric([status], by_status.get(status, 0))
        yield videos

        failed = GaugeMetricFamily(
            "mediateka_failed_videos",
            "Videos whose last encode failed, by reason (see failure_reason).",
            labels=["reason"],
        )
        errors = Video.objects.filter(status=Video.Status.FAILED).values_list("error", flat=True)
        by_reason = Counter(failure_reason(error) for error in errors.iterator())
        for reason in FAILURE_REASONS:
            failed.add_metric([reason], by_reason.get(reason, 0))
        yield failed

        workers = GaugeMetricFamily(
            "mediateka_workers_alive", "Worker processes whose heartbeat is fresh, on all hosts."
        )
        workers.add_metric([], WorkerHeartbeat.objects.alive(settings.MEDIATEKA_WORKER_DEAD_AFTER).count())
        yield workers


def _registry() -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUEST_LATENCY)
    registry.register(DatabaseCollector())
    return registry


def _allowed(request) -> bool:
    token = settings.MEDIATEKA_METRICS_TOKEN
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        return scheme.lower() == "bearer" and constant_time_compare(given.strip(), token)
    if any(h in request.headers for h in ("X-Forwarded-For", "X-Forwarded-Proto", "X-Real-Ip")):
        return False
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(net) for net in settings.MEDIATEKA_METRICS_NETWORKS)


def metrics(request):
    if not _allowed(request):
        return HttpResponseForbidden("metrics are for the monitoring system\n", content_type="text/plain")
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)


def _route(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "unmatched"
    return match.view_name or "unnamed"


_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


class RequestLatencyMiddleware:
    """Times every request; the route label is the URL pattern's name, so its values are few."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in _METHODS else "other"  # a label has few values
        REQUEST_LATENCY.labels(
            route=_route(request), method=method, status=f"{response.status_code // 100}xx"
        ).observe(time.perf_counter() - started)
        return response
