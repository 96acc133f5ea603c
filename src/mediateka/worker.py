"""`mediateka worker`: runs background jobs from the shared database queue, on any number of hosts.

Encodes (long, every core) have their own queue; other jobs are on "default". The worker forks, per
queue, the processes settings.MEDIATEKA_WORKER_QUEUES gives it, each running django-tasks-db's own
worker loop (as its db_worker command does), so a short job never waits behind an encode.

This process supervises them. It passes SIGTERM/SIGINT on (each finishes its job, then exits); a
second signal kills them and queues their jobs again. A process that dies is started again after
RESTART_PAUSE and its job queued again (in --batch mode the worker exits 1 once the others are
done). They die with it (PR_SET_PDEATHSIG), as FFmpeg dies with them (video.ladder_run). It also does
what the job library does not: heartbeat and re-queue the jobs of vanished workers (ops.vanished),
expire abandoned uploads, and at start remove the scratch folders of dead encodes (video.scratch).
"""

import argparse
import logging
import multiprocessing
import os
import signal
import sys
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import close_old_connections, connections
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from mediateka.ops import vanished
from mediateka.video import intake, scratch
from mediateka.video.ladder_run import die_with_parent

log = logging.getLogger(__name__)
UPLOAD_SWEEP_SECONDS = 300
RESTART_PAUSE = 5  # seconds: a process that keeps dying (a database out of reach) does not spin


@dataclass
class Slot:
    """One job process of this worker: its queue, its worker id and, while it runs, the process."""

    queue: str
    worker_id: str
    process: multiprocessing.Process | None = None
    restart_at: float = 0.0


class Supervisor:
    def __init__(self, *, queues: dict[str, int], interval: float, batch: bool):
        self.interval = interval
        self.batch = batch
        self.slots = [
            Slot(queue, f"{vanished.supervisor_id()}:{queue}{n}")
            for queue, count in queues.items()
            for n in range(1, count + 1)
        ]
        self.signals = 0
        self.forwarded = False
        self.crashed = False
        self._uploads_swept_at: float | None = None

    def _start(self, slot: Slot) -> None:
        connections.close_all()  # a forked process must not share this one's database connections
        slot.process = _FORK.Process(
            target=_run_jobs,
            args=(slot.queue, slot.worker_id, self.interval, self.batch, die_with_parent()),
            name=slot.worker_id,
        )
        slot.process.start()
        log.info("started %s (pid %s) on queue %s", slot.worker_id, slot.process.pid, slot.queue)

    def _reap(self, slot: Slot) -> None:
        code = slot.process.exitcode
        slot.process = None
        try:
            vanished.requeue_jobs_of(slot.worker_id)  # a job left running by a process that ended
        except Exception:  # the next worker to start, or ops.vanished's sweep, will do it
            log.exception("could not queue again the job of %s", slot.worker_id)
        if code != 0:
            log.error("%s ended with exit status %s", slot.worker_id, code)
            self.crashed |= self.batch
            slot.restart_at = time.monotonic() + RESTART_PAUSE

    def _ready(self, queue: str) -> bool:
        return DBTaskResult.objects.ready().filter(queue_name=queue).exists()

    def _may_start(self, slot: Slot) -> bool:
        if self.signals or self.crashed or time.monotonic() < slot.restart_at:
            return False
        # --batch: a process per queue while its queue has jobs; running jobs may queue more.
        return not self.batch or self._ready(slot.queue)

    def _running(self) -> list[Slot]:
        return [slot for slot in self.slots if slot.process is not None]

    def _stop(self, signum, frame) -> None:
        self.signals += 1  # acted on by the loop: a signal handler should not touch the database

    def expire_uploads(self) -> None:
        """Expires abandoned uploads, at most every UPLOAD_SWEEP_SECONDS."""
        now = time.monotonic()
        if self._uploads_swept_at is not None and now - self._uploads_swept_at < UPLOAD_SWEEP_SECONDS:
            return
        self._uploads_swept_at = now
        removed = intake.expire()
        if any(removed.values()):
            log.info("uploads swept: %s", ", ".join(f"{k} {v}" for k, v in removed.items() if v))

    def housekeeping(self) -> None:
        # Each step is housekeeping: none may keep the worker from supervising its jobs.
        for step in (vanished.beat, vanished.requeue_orphans, self.expire_uploads):
            try:
                close_old_connections()
                step()
            except Exception:
                log.exception("%s failed; trying again later", step.__name__)

    def run(self) -> int:
        """Runs the job processes until stopped (or, --batch, until the queues are empty); the exit status."""
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._stop)
        # A worker of this host killed mid-encode left its scratch folder (its FFmpeg died with it).
        scratch.sweep_dead()
        kept_at = -float("inf")
        try:
            while True:
                for slot in self._running():
                    if not slot.process.is_alive():
                        self._reap(slot)
                if self.signals > 1:
                    return self._kill()
                if self.signals and not self.forwarded:
                    log.warning("stopping: the running jobs finish first (a second signal stops them)")
                    for slot in self._running():
                        slot.process.terminate()  # SIGTERM
                    self.forwarded = True
                if time.monotonic() - kept_at >= settings.MEDIATEKA_WORKER_HEARTBEAT:
                    self.housekeeping()
                    kept_at = time.monotonic()
                for slot in self.slots:
                    if slot.process is None and self._may_start(slot):
                        self._start(slot)
                if not self._running() and (self.signals or self.crashed or self.batch):
                    return 1 if self.crashed else 0
                time.sleep(min(max(self.interval, 0.05), 1.0))
        finally:
            vanished.sign_off()

    def _kill(self) -> int:
        log.warning("second signal: stopping the running jobs now; they will run again")
        for slot in self._running():
            slot.process.kill()
        for slot in self._running():
            slot.process.join()
            self._reap(slot)
        return 1


_FORK = multiprocessing.get_context("fork")


def _run_jobs(queue: str, worker_id: str, interval: float, batch: bool, die_with_parent) -> None:
    """A job process: django-tasks-db's worker loop on one queue, as its db_worker command runs it."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_DFL)  # not the supervisor's, until the worker loop's own
    if die_with_parent is not None:
        die_with_parent()  # killed with the supervisor, even by SIGKILL (and then its FFmpeg too)
    # Its own process group: a Ctrl-C at the terminal reaches the supervisor, which passes it on
    # once; this process would otherwise count it twice and stop its job mid-way.
    os.setpgid(0, 0)
    worker = Worker(
        queue_names=[queue],
        interval=interval,
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    worker.configure_signals()
    worker.run()


def _parse(extra: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="mediateka worker", description="Run background jobs.")
    parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls of an idle queue")
    parser.add_argument(
        "--queue-name",
        default="*",
        help=f"queues to take jobs from, comma-separated, of {', '.join(settings.MEDIATEKA_WORKER_QUEUES)}; "
        "* for all (default)",
    )
    options = parser.parse_args(extra)
    known = settings.MEDIATEKA_WORKER_QUEUES
    names = list(known) if options.queue_name == "*" else options.queue_name.split(",")
    unknown = [name for name in names if name not in known]
    if unknown:
        parser.error(f"no such queue: {', '.join(unknown)} (the queues are {', '.join(known)})")
    options.queues = {name: known[name] for name in names}
    if not any(options.queues.values()):
        parser.error(
            f"no process to run on {', '.join(names)}: "
            "see MEDIATEKA_ENCODES_PER_WORKER and MEDIATEKA_OTHER_JOBS_PER_WORKER"
        )
    return options


def run(extra: list[str]) -> None:
    options = _parse(extra)
    supervisor = Supervisor(queues=options.queues, interval=options.interval, batch=options.batch)
    log.info(
        "worker %s: %s", vanished.supervisor_id(), ", ".join(slot.worker_id for slot in supervisor.slots)
    )
    status = supervisor.run()
    sys.stdout.flush()
    if status:
        sys.exit(status)
