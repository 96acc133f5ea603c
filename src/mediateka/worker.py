"""`mediateka worker`: runs background jobs from the shared database queue, on any number of hosts.

One worker process runs jobs in lanes (threads): MEDIATEKA_ENCODES_PER_WORKER lanes take only
encodes, which are long and use every core, and MEDIATEKA_OTHER_JOBS_PER_WORKER lanes take all
other jobs, so a short job never waits behind an hour of encoding. A lane claims a job with
SELECT ... FOR UPDATE SKIP LOCKED (django-tasks-db), so two lanes, processes or machines never
claim the same job.

A worker killed mid-job (SIGKILL, power cut, a lost machine) leaves its job marked running
forever. Each worker names itself host:pid (its lanes host:pid:lane) and writes a heartbeat row
every MEDIATEKA_WORKER_HEARTBEAT seconds; a sweeper in every worker queues again the jobs of a
worker whose heartbeat is older than MEDIATEKA_WORKER_DEAD_AFTER (any host), or whose process no
longer exists on this host (found at once, without waiting for the heartbeat to age). Jobs are
idempotent, so running one twice is safe. A starting worker also removes the encode scratch folders
of this host's dead workers (video.scratch); their FFmpeg processes died with them (video.ladder).

The same heartbeat thread expires abandoned uploads now and then (video.intake.expire), at start
and every UPLOAD_SWEEP_SECONDS; any number of workers may do so at once.
"""

import argparse
import logging
import os
import signal
import socket
import sys
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import Q
from django.db.models.functions import Now
from django.db.utils import OperationalError
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from mediateka.ops.models import WorkerHeartbeat
from mediateka.video import intake, scratch

log = logging.getLogger(__name__)
UPLOAD_SWEEP_SECONDS = 300


def host() -> str:
    return (settings.MEDIATEKA_WORKER_HOST or socket.gethostname())[:40]


def worker_id() -> str:
    return f"{host()}:{os.getpid()}"


def _pid_namespace() -> str:
    # Two containers may share a host name but not a process table; the pid check needs both.
    try:
        return os.readlink("/proc/self/ns/pid")
    except OSError:
        return ""


def _process_of(owner: str) -> str:
    """host:pid of a job's worker id, which is host:pid or host:pid:lane."""
    return ":".join(owner.split(":")[:2])


def _local_pid(process: str, beat: WorkerHeartbeat | None) -> int | None:
    """The pid of a worker process of this very host (and process table), else None."""
    owner_host, _, pid = process.partition(":")
    if owner_host != host() or not pid.isdigit():
        return None
    if beat is not None and beat.pid_namespace != _pid_namespace():
        return None  # the same host name in another container: only its heartbeat can tell
    return int(pid)


def _requeue(job: DBTaskResult) -> bool:
    # Only if nobody has re-queued and claimed it meanwhile: started_at changes with every claim.
    return bool(
        DBTaskResult.objects.filter(pk=job.pk, status=TaskResultStatus.RUNNING, started_at=job.started_at)
        .exclude(started_at=None)
        .update(status=TaskResultStatus.READY, started_at=None)
    )


def requeue_orphans() -> int:
    """Queues again the jobs of vanished workers; forgets those workers. Returns the jobs re-queued.

    A worker of this host is vanished when its process is gone, which is known at once and for
    sure; a worker of another host when its heartbeat is older than MEDIATEKA_WORKER_DEAD_AFTER.
    """
    dead_after = settings.MEDIATEKA_WORKER_DEAD_AFTER
    beats = {beat.worker: beat for beat in WorkerHeartbeat.objects.all()}
    stale = set(WorkerHeartbeat.objects.stale(dead_after).values_list("worker", flat=True))

    def vanished(process: str) -> bool:
        pid = _local_pid(process, beats.get(process))
        return not scratch.alive(pid) if pid is not None else process in stale

    requeued = 0
    for job in DBTaskResult.objects.running().only("id", "worker_ids", "started_at", "task_path"):
        process = _process_of(job.worker_ids[-1] if job.worker_ids else "")
        if vanished(process) and _requeue(job):
            requeued += 1
            log.warning("re-queued job %s (%s) of vanished worker %s", job.pk, job.task_path, process)
    gone = {process for process in beats if vanished(process)}
    local = {process for process in gone if _local_pid(process, beats[process]) is not None}
    WorkerHeartbeat.objects.filter(worker__in=local).delete()
    # Stale again at the DELETE: a remote worker that beat meanwhile (a pause, not a death) stays.
    WorkerHeartbeat.objects.stale(dead_after).filter(worker__in=gone - local).delete()
    return requeued


@dataclass(frozen=True)
class Lane:
    name: str
    jobs: Q  # which jobs this lane may claim


def lanes() -> list[Lane]:
    encode = Q(task_path__in=settings.MEDIATEKA_ENCODE_TASKS)
    return [Lane(f"encode{n}", encode) for n in range(1, settings.MEDIATEKA_ENCODES_PER_WORKER + 1)] + [
        Lane(f"jobs{n}", ~encode) for n in range(1, settings.MEDIATEKA_OTHER_JOBS_PER_WORKER + 1)
    ]


class Pool:
    """The lanes of one worker process, its heartbeat and its sweeper."""

    def __init__(self, *, queues: list[str], interval: float, batch: bool, backend: str = "default"):
        self.queues = queues
        self.interval = interval
        self.batch = batch
        self.backend = backend
        self.lanes = lanes()
        self.stopping = threading.Event()  # finish the job at hand, claim no other
        self.drained = threading.Event()  # batch mode: nothing left for any lane
        self._lock = threading.Lock()
        self._busy = 0
        self._uploads_swept_at: float | None = None

    def _ready(self, jobs: Q):
        ready = DBTaskResult.objects.ready().filter(backend_name=self.backend).filter(jobs)
        return ready if "*" in self.queues else ready.filter(queue_name__in=self.queues)

    def _claim(self, lane: Lane, lane_id: str) -> DBTaskResult | None:
        with exclusive_transaction(DBTaskResult.objects.db):
            job = self._ready(lane.jobs).get_locked()
            if job is not None:
                job.claim(lane_id)
        return job

    def _nothing_left(self) -> bool:
        # Busy lanes may still queue follow-up jobs, so a batch ends only when all are idle.
        with self._lock:
            if self._busy == 0 and not self._ready(Q()).exists():
                self.drained.set()
        return self.drained.is_set()

    def _run_lane(self, lane: Lane) -> None:
        lane_id = f"{worker_id()}:{lane.name}"
        runner = Worker(
            queue_names=self.queues,
            interval=self.interval,
            batch=self.batch,
            backend_name=self.backend,
            startup_delay=False,
            max_tasks=None,
            worker_id=lane_id,
            excluded_queue_names=[],
        )
        try:
            while not (self.stopping.is_set() or self.drained.is_set()):
                close_old_connections()
                with self._lock:
                    self._busy += 1
                try:
                    job = self._claim(lane, lane_id)
                    if job is not None:
                        log.info("lane %s runs job %s (%s)", lane_id, job.pk, job.task_path)
                        runner.run_task(job)
                except OperationalError as error:
                    if not is_locked_database_exception(error):
                        log.exception("lane %s could not reach the queue", lane_id)
                    job = None
                finally:
                    with self._lock:
                        self._busy -= 1
                if job is None and not (self.batch and self._nothing_left()):
                    self.stopping.wait(self.interval)
        finally:
            connection.close()

    def _heartbeat(self) -> None:
        try:
            while not self.stopping.wait(settings.MEDIATEKA_WORKER_HEARTBEAT):
                try:
                    close_old_connections()
                    beat(self)
                    requeue_orphans()
                    self.expire_uploads()
                except Exception:
                    log.exception("heartbeat failed; trying again")
        finally:
            connection.close()

    def expire_uploads(self) -> None:
        """Expires abandoned uploads, at most every UPLOAD_SWEEP_SECONDS."""
        now = time.monotonic()
        if self._uploads_swept_at is not None and now - self._uploads_swept_at < UPLOAD_SWEEP_SECONDS:
            return
        self._uploads_swept_at = now
        removed = intake.expire()
        if any(removed.values()):
            log.info("uploads swept: %s", ", ".join(f"{k} {v}" for k, v in removed.items() if v))

    def run(self) -> None:
        threads = [
            threading.Thread(target=self._run_lane, args=(lane,), name=lane.name, daemon=True)
            for lane in self.lanes
        ]
        heart = threading.Thread(target=self._heartbeat, name="heartbeat", daemon=True)
        heart.start()
        for thread in threads:
            thread.start()
        # join() with a timeout, so that the main thread keeps handling signals.
        while any(thread.is_alive() for thread in threads):
            for thread in threads:
                thread.join(0.5)
        self.stopping.set()
        heart.join(5)


def beat(pool: Pool) -> None:
    """Says "alive" in the database, by the database's clock: the hosts' clocks may disagree."""
    if WorkerHeartbeat.objects.filter(worker=worker_id()).update(beat_at=Now()):
        return
    # The first beat, or a worker paused for so long that it was swept: (re-)register.
    WorkerHeartbeat.objects.update_or_create(
        worker=worker_id(),
        defaults={
            "host": host(),
            "pid": os.getpid(),
            "pid_namespace": _pid_namespace(),
            "lanes": ",".join(lane.name for lane in pool.lanes),
            "beat_at": Now(),
        },
    )


def _parse(extra: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="mediateka worker", description="Run background jobs.")
    parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls of an idle lane")
    parser.add_argument(
        "--queue-name", default="default", help="queues to take jobs from, comma-separated; * for all"
    )
    return parser.parse_args(extra)


def run(extra: list[str]) -> None:
    options = _parse(extra)
    pool = Pool(queues=options.queue_name.split(","), interval=options.interval, batch=options.batch)
    requeue_orphans()
    # A worker of this host killed mid-encode left its scratch folder (its FFmpeg died with it).
    scratch.sweep_dead()
    beat(pool)
    try:
        pool.expire_uploads()
    except Exception:  # the sweep is housekeeping: it must not keep the worker from its jobs
        log.exception("expiring uploads failed; trying again later")
    presses = []

    def stop(signum, frame):
        presses.append(signum)
        if len(presses) > 1:
            log.warning("second %s: leaving the running jobs to the sweeper", signal.strsignal(signum))
            os._exit(1)
        log.warning("%s: finishing the running jobs, then exiting", signal.strsignal(signum))
        pool.stopping.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stop)
    log.info(
        "worker %s: %s, queues %s",
        worker_id(),
        ", ".join(lane.name for lane in pool.lanes),
        options.queue_name,
    )
    try:
        pool.run()
    finally:
        WorkerHeartbeat.objects.filter(worker=worker_id()).delete()
    sys.stdout.flush()
