"""The jobs of vanished workers, which django-tasks-db leaves marked running (its open issue).

A job names the process that claimed it host:pid:slot, host:pid being its `mediateka worker`
(mediateka.worker). Its job is queued again once that worker is gone: on the same host (and
process table) the process check says so at once; of another host, only silence can tell, so each
worker writes a heartbeat row every MEDIATEKA_WORKER_HEARTBEAT seconds and is gone when silent for
MEDIATEKA_WORKER_DEAD_AFTER. A worker re-queues the job of its own process that died itself
(requeue_jobs_of). Jobs are idempotent, so running one twice is safe.
"""

import logging
import os
import socket

from django.conf import settings
from django.db.models.functions import Now
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from mediateka.ops.models import WorkerHeartbeat
from mediateka.video import scratch

log = logging.getLogger(__name__)


def host() -> str:
    return (settings.MEDIATEKA_WORKER_HOST or socket.gethostname())[:40]


def supervisor_id() -> str:
    """host:pid of this `mediateka worker`: the key of its heartbeat, the start of its jobs' worker ids."""
    return f"{host()}:{os.getpid()}"


def pid_namespace() -> str:
    # Two containers may share a host name but not a process table; the pid check needs both.
    try:
        return os.readlink("/proc/self/ns/pid")
    except OSError:
        return ""


def supervisor_of(worker_id: str) -> str:
    """host:pid of a job's worker id, host:pid:slot."""
    return ":".join(worker_id.split(":")[:2])


def _local_pid(supervisor: str, beat: WorkerHeartbeat | None) -> int | None:
    """The pid of a supervisor of this very host (and process table), else None."""
    owner_host, _, pid = supervisor.partition(":")
    if owner_host != host() or not pid.isdigit():
        return None
    if beat is not None and beat.pid_namespace != pid_namespace():
        return None  # the same host name in another container: only its heartbeat can tell
    return int(pid)


def _requeue(job: DBTaskResult) -> bool:
    # Only if nobody has re-queued and claimed it meanwhile: started_at changes with every claim.
    return bool(
        DBTaskResult.objects.filter(pk=job.pk, status=TaskResultStatus.RUNNING, started_at=job.started_at)
        .exclude(started_at=None)
        .update(status=TaskResultStatus.READY, started_at=None)
    )


def _running_jobs():
    return DBTaskResult.objects.running().only("id", "worker_ids", "started_at", "task_path")


def requeue_jobs_of(worker_id: str) -> int:
    """Queues again the running jobs of one process known to have ended; returns how many."""
    requeued = 0
    for job in _running_jobs():
        if job.worker_ids[-1:] == [worker_id] and _requeue(job):
            requeued += 1
            log.warning("re-queued job %s (%s) of ended worker process %s", job.pk, job.task_path, worker_id)
    return requeued


def requeue_orphans() -> int:
    """Queues again the jobs of vanished workers and forgets those workers; returns the jobs re-queued."""
    dead_after = settings.MEDIATEKA_WORKER_DEAD_AFTER
    beats = {beat.worker: beat for beat in WorkerHeartbeat.objects.all()}
    stale = set(WorkerHeartbeat.objects.stale(dead_after).values_list("worker", flat=True))

    def vanished(supervisor: str) -> bool:
        pid = _local_pid(supervisor, beats.get(supervisor))
        return not scratch.alive(pid) if pid is not None else supervisor in stale

    requeued = 0
    for job in _running_jobs():
        supervisor = supervisor_of(job.worker_ids[-1] if job.worker_ids else "")
        if vanished(supervisor) and _requeue(job):
            requeued += 1
            log.warning("re-queued job %s (%s) of vanished worker %s", job.pk, job.task_path, supervisor)
    gone = {supervisor for supervisor in beats if vanished(supervisor)}
    local = {supervisor for supervisor in gone if _local_pid(supervisor, beats[supervisor]) is not None}
    WorkerHeartbeat.objects.filter(worker__in=local).delete()
    # Stale again at the DELETE: a remote worker that beat meanwhile (a pause, not a death) stays.
    WorkerHeartbeat.objects.stale(dead_after).filter(worker__in=gone - local).delete()
    return requeued


def beat() -> None:
    """Says "alive" in the database, by the database's clock: the hosts' clocks may disagree."""
    if WorkerHeartbeat.objects.filter(worker=supervisor_id()).update(beat_at=Now()):
        return
    # The first beat, or a worker paused for so long that it was swept: (re-)register.
    WorkerHeartbeat.objects.update_or_create(
        worker=supervisor_id(),
        defaults={
            "host": host(),
            "pid": os.getpid(),
            "pid_namespace": pid_namespace(),
            "beat_at": Now(),
        },
    )


def sign_off() -> None:
    WorkerHeartbeat.objects.filter(worker=supervisor_id()).delete()
