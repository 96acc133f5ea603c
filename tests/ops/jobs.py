"""Tiny background jobs for the worker tests: each records that it ran, where and when.

They write to a table made by `make_log_table` rather than to a model, so that the application
needs no test-only model; the worker processes import this module as `tests.ops.jobs`.
"""

import time

from django.db import connection
from django_tasks import task

TABLE = "ops_test_job_runs"


def make_log_table() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} "
            "(n integer, kind varchar(20), worker varchar(80), started double precision, "
            "finished double precision)"
        )


def clear_log() -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")  # noqa: S608 - a constant name


def _record(context, n: int, kind: str, seconds: float) -> None:
    started = time.time()
    time.sleep(seconds)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} VALUES (%s, %s, %s, %s, %s)",  # noqa: S608
            [n, kind, context.task_result.worker_ids[-1], started, time.time()],
        )


@task(takes_context=True)
def append_row(context, n: int, seconds: float = 0.1) -> int:
    _record(context, n, "row", seconds)
    return n


@task(takes_context=True, queue_name="encodes")
def fake_encode(context, n: int, seconds: float = 0.6) -> int:
    """Stands in for an encode: on the encodes queue, as video.tasks.process_video."""
    _record(context, n, "encode", seconds)
    return n


@task(takes_context=True)
def slow_the_first_time(context, n: int, seconds: float = 60) -> int:
    """Runs long on its first claim (to be killed meanwhile), quickly on the next one."""
    _record(context, n, "slow", seconds if len(context.task_result.worker_ids) == 1 else 0)
    return n
