"""gunicorn's settings for `mediateka run` (`--config python:mediateka.ops.gunicorn_config`).

Read from the environment like the Django settings, so that one EnvironmentFile tunes both.
gthread workers: each process serves MEDIATEKA_WEB_THREADS requests at once and keeps idle
keep-alive connections aside without tying up a thread, which suits many slow phone connections
fetching small segments.
"""

import os

from mediateka.env import env_bool, env_choice, env_int

workers = env_int("MEDIATEKA_WEB_WORKERS", min(4, (os.cpu_count() or 1) * 2), minimum=1)
threads = env_int("MEDIATEKA_WEB_THREADS", 8, minimum=1)
worker_class = "gthread"
keepalive = env_int("MEDIATEKA_WEB_KEEPALIVE", 15, minimum=0)
timeout = 120  # an upload chunk over a slow link; media bytes go through nginx in production
graceful_timeout = 30
# Recycle a worker now and then, so that slow leaks never build up; the jitter staggers them.
max_requests = env_int("MEDIATEKA_WEB_MAX_REQUESTS", 20_000, minimum=0)
max_requests_jitter = max_requests // 10
accesslog = "-" if env_bool("MEDIATEKA_ACCESS_LOG", True) else None
# The request and user ids are put in the WSGI environ by ops.logs.RequestIdMiddleware.
access_log_format = (
    '%(h)s "%(r)s" %(s)s %(B)s %(D)sus "%(a)s" '
    "request_id=%({mediateka.request_id}e)s user_id=%({mediateka.user_id}e)s"
)

if env_choice("LOG_FORMAT", "plain", ["plain", "json"]) == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "mediateka.ops.logs.JsonFormatter"}},
        "handlers": {
            "stdout": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stdout"}
        },
        # gunicorn merges this over its defaults key by key, so "root" must name our handler too.
        "root": {"handlers": ["stdout"], "level": "INFO"},
        "loggers": {
            "gunicorn.error": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        },
    }


def child_exit(server, worker):
    # Request latency is summed over the web processes' files; a dead process's gauges must go.
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def post_fork(server, worker):
    import gc

    # The app is loaded: move its objects out of the collector's reach, so that the collections
    # that happen in the middle of requests are short.
    gc.freeze()
