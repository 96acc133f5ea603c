"""Many workers on one queue: real worker processes, each job done once, vanished workers' jobs redone."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from mediateka import worker
from mediateka.ops.models import WorkerHeartbeat
from tests.live import django_script, mediateka, process_env
from tests.ops import jobs

RESET = """
from django_tasks_db.models import DBTaskResult
from mediateka.ops.models import WorkerHeartbeat
from tests.ops import jobs
jobs.make_log_table()
jobs.clear_log()
DBTaskResult.objects.all().delete()
WorkerHeartbeat.objects.all().delete()
"""


def _query(env, sql: str) -> list[tuple]:
    """Rows straight from the workers' database: starting Python with Django costs seconds."""
    url = env.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        with psycopg.connect(url) as conn:
            return list(conn.execute(sql))
    with sqlite3.connect(Path(env["MEDIATEKA_DATA_DIR"]) / "mediateka.sqlite3", timeout=20) as conn:
        return list(conn.execute(sql))


def _results(env) -> dict:
    runs = _query(env, f"SELECT n, kind, worker, started, finished FROM {jobs.TABLE} ORDER BY started")  # noqa: S608
    results = _query(env, "SELECT status, worker_ids, task_path FROM django_tasks_database_dbtaskresult")
    return {
        "runs": [dict(zip(("n", "kind", "worker", "started", "finished"), row, strict=True)) for row in runs],
        "jobs": [
            {"status": status, "workers": json.loads(ids) if isinstance(ids, str) else ids, "task": task}
            for status, ids, task in results
        ],
        "heartbeats": [row[0] for row in _query(env, "SELECT worker FROM ops_workerheartbeat")],
    }


def _statuses(env) -> list[str]:
    return [job["status"] for job in _results(env)["jobs"]]


def _worker(env, *args: str, **extra_env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "mediateka", "worker", "--interval", "0.05", *args],
        env={**env, **extra_env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # so that a test can kill the worker with everything it started
    )


def _wait(processes, timeout: float = 90) -> None:
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise
        assert process.returncode == 0, process.stderr.read()[-3000:]


@pytest.fixture(scope="module")
def migrated_env(tmp_path_factory):
    # One database for the module: migrating a fresh one costs more than the tests themselves.
    env = process_env(tmp_path_factory.mktemp("queue") / "data")
    done = mediateka(env, "manage", "migrate", "--verbosity", "0")
    assert done.returncode == 0, done.stderr
    return env


def _enqueue(env, code: str) -> None:
    """Empties the queue, the heartbeats and the job log, then runs code to queue the test's jobs."""
    django_script(env, RESET + code)


def test_three_workers_run_twenty_jobs_each_exactly_once(migrated_env):
    queue_env = migrated_env
    _enqueue(queue_env, "for n in range(20): jobs.append_row.enqueue(n)")
    # Two lanes per process: six claimers in three processes race for every job.
    workers = [_worker(queue_env, "--batch", MEDIATEKA_OTHER_JOBS_PER_WORKER="2") for _ in range(3)]
    _wait(workers)
    state = _results(queue_env)
    assert sorted(run["n"] for run in state["runs"]) == list(range(20))  # each once, none lost
    assert all(job["status"] == TaskResultStatus.SUCCESSFUL for job in state["jobs"])
    assert all(len(job["workers"]) == 1 for job in state["jobs"])  # nobody claimed a job twice
    processes = {worker._process_of(run["worker"]) for run in state["runs"]}
    assert len(processes) >= 2, processes  # the work really was shared
    assert state["heartbeats"] == []  # each worker signed off on the way out


def test_encodes_per_worker_are_limited_and_other_jobs_do_not_wait_behind_them(migrated_env):
    queue_env = migrated_env
    _enqueue(
        queue_env,
        "for n in range(5): jobs.fake_encode.enqueue(n)\n"
        "for n in range(4): jobs.append_row.enqueue(100 + n, seconds=0.02)\n",
    )
    one = _worker(
        queue_env,
        "--batch",
        MEDIATEKA_ENCODE_TASKS="tests.ops.jobs.fake_encode",
        MEDIATEKA_ENCODES_PER_WORKER="2",
        MEDIATEKA_OTHER_JOBS_PER_WORKER="1",
    )
    _wait([one])
    runs = _results(queue_env)["runs"]
    encodes = [run for run in runs if run["kind"] == "encode"]
    others = [run for run in runs if run["kind"] == "row"]
    assert len(encodes) == 5 and len(others) == 4
    at_once = [sum(e["started"] <= run["started"] < e["finished"] for e in encodes) for run in encodes]
    most_at_once = max(at_once)
    assert most_at_once == 2
    assert {run["worker"].rsplit(":", 1)[1] for run in encodes} == {"encode1", "encode2"}
    # The short jobs were all done while the encodes were still going.
    assert max(run["finished"] for run in others) < max(run["finished"] for run in encodes)


def test_a_job_of_a_worker_lost_on_another_host_is_run_again_by_a_live_worker(migrated_env):
    queue_env = migrated_env
    beats = {"MEDIATEKA_WORKER_HEARTBEAT": "1", "MEDIATEKA_WORKER_DEAD_AFTER": "3"}
    _enqueue(queue_env, "jobs.slow_the_first_time.enqueue(7)")
    lost = _worker(queue_env, MEDIATEKA_WORKER_HOST="host-a", **beats)
    deadline = time.monotonic() + 60
    while TaskResultStatus.RUNNING not in _statuses(queue_env):
        assert time.monotonic() < deadline and lost.poll() is None, "the first worker never took the job"
        time.sleep(0.2)
    os.killpg(lost.pid, signal.SIGKILL)  # host-a is gone: no goodbye, its heartbeat just stops
    lost.wait(timeout=10)

    # host-b cannot see host-a's processes; only host-a's silence tells it the job is orphaned.
    live = _worker(queue_env, MEDIATEKA_WORKER_HOST="host-b", **beats)
    try:
        while TaskResultStatus.SUCCESSFUL not in _statuses(queue_env):
            assert time.monotonic() < deadline + 30, "the orphaned job was never run again"
            time.sleep(0.2)
    finally:
        live.send_signal(signal.SIGTERM)
        live.wait(timeout=30)
    assert live.returncode == 0, live.stderr.read()[-3000:]
    state = _results(queue_env)
    (job,) = state["jobs"]
    assert [w.split(":")[0] for w in job["workers"]] == ["host-a", "host-b"]
    assert [run["worker"].split(":")[0] for run in state["runs"]] == ["host-b"]
    assert state["heartbeats"] == []  # host-a's was swept, host-b's removed on a clean exit


def _running_job(owner: str, started_ago: float = 5) -> DBTaskResult:
    result = jobs.append_row.enqueue(1)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        worker_ids=[owner],
        started_at=timezone.now() - timedelta(seconds=started_ago),
    )
    return DBTaskResult.objects.get(pk=result.id)


def _beat(process: str, seconds_ago: float) -> None:
    host, pid = process.split(":")
    WorkerHeartbeat.objects.create(
        worker=process, host=host, pid=int(pid), beat_at=timezone.now() - timedelta(seconds=seconds_ago)
    )


def _status(job: DBTaskResult) -> str:
    return DBTaskResult.objects.get(pk=job.pk).status


def test_sweeper_requeues_only_jobs_of_workers_whose_heartbeat_stopped(db, settings):
    settings.MEDIATEKA_WORKER_DEAD_AFTER = 60
    _beat("far-away:101", seconds_ago=300)
    _beat("nearby:202", seconds_ago=2)
    orphan = _running_job("far-away:101:encode1")
    healthy = _running_job("nearby:202:jobs1")
    assert worker.requeue_orphans() == 1
    assert _status(orphan) == TaskResultStatus.READY
    assert _status(healthy) == TaskResultStatus.RUNNING
    assert list(WorkerHeartbeat.objects.values_list("worker", flat=True)) == ["nearby:202"]


def test_sweeper_requeues_a_dead_local_process_at_once_despite_a_fresh_heartbeat(db):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    process = f"{worker.host()}:{gone.pid}"
    WorkerHeartbeat.objects.create(
        worker=process, host=worker.host(), pid=gone.pid, pid_namespace=worker._pid_namespace()
    )
    job = _running_job(f"{process}:jobs1")
    assert worker.requeue_orphans() == 1
    assert _status(job) == TaskResultStatus.READY
    assert not WorkerHeartbeat.objects.filter(worker=process).exists()


def test_sweeper_leaves_a_job_that_was_claimed_again_meanwhile(db):
    job = _running_job("far-away:101:jobs1")
    seen = DBTaskResult.objects.get(pk=job.pk)
    DBTaskResult.objects.filter(pk=job.pk).update(started_at=timezone.now())  # re-claimed by a live lane
    assert worker._requeue(seen) is False
    assert _status(job) == TaskResultStatus.RUNNING


def test_sweeper_trusts_a_live_local_process_over_a_late_heartbeat(db):
    process = f"{worker.host()}:{os.getpid()}"  # this very process: certainly alive
    WorkerHeartbeat.objects.create(
        worker=process,
        host=worker.host(),
        pid=os.getpid(),
        pid_namespace=worker._pid_namespace(),
        beat_at=timezone.now() - timedelta(hours=1),
    )
    job = _running_job(f"{process}:encode1")
    assert worker.requeue_orphans() == 0
    assert _status(job) == TaskResultStatus.RUNNING
    assert WorkerHeartbeat.objects.filter(worker=process).exists()
