"""`mediateka worker`: the database task worker, after putting back jobs whose worker died.

A worker killed mid-job (SIGKILL, power cut) leaves its job marked running forever. Workers name
themselves host:pid, so a starting worker can tell which running jobs belong to a process of this
host that no longer exists, and queue them again; jobs are idempotent, so running one twice is safe.
"""

import logging
import os
import socket

from django.core.management import call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

log = logging.getLogger(__name__)


def worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def requeue_orphans() -> int:
    host = socket.gethostname()[:40]
    requeued = 0
    for result in DBTaskResult.objects.running():
        owner = result.worker_ids[-1] if result.worker_ids else ""
        owner_host, _, pid = owner.rpartition(":")
        if owner_host == host and pid.isdigit() and not _alive(int(pid)):
            DBTaskResult.objects.filter(pk=result.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.READY, started_at=None
            )
            log.warning("re-queued job %s (%s) of vanished worker %s", result.pk, result.task_path, owner)
            requeued += 1
    return requeued


def run(extra: list[str]) -> None:
    requeue_orphans()
    call_command("db_worker", "--worker-id", worker_id(), "--no-reload", *extra)
