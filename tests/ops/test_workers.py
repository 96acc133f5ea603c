"""Workers sharing the queues: real worker processes, each job done once, vanished workers' jobs redone."""

import json
import os
import re
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

from mediateka.ops import vanished
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


def _wait(processes, timeout: float = 90, status: int = 0) -> None:
    for process in processes:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            raise
        assert process.returncode == status, process.stderr.read()[-3000:]


def _until(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def _children(pid: int) -> list[int]:
    """The living child processes of a process: a worker's job processes."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except (OSError, IndexError):
            continue  # not a process, or gone meanwhile
        if fields[0] != "Z" and int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _running_job_of(env, pid: int) -> str:
    """Waits for the worker `pid` to run a job; returns the worker id of the job process running it."""
    _until(lambda: TaskResultStatus.RUNNING in _statuses(env), "the worker never took the job")
    (running,) = [job for job in _results(env)["jobs"] if job["status"] == TaskResultStatus.RUNNING]
    assert running["workers"][-1].split(":")[1] == str(pid)  # host:pid of the worker, then the queue
    return running["workers"][-1]


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
    # Two processes on the queue per worker: six claimers in three workers race for every job.
    workers = [_worker(queue_env, "--batch", MEDIATEKA_OTHER_JOBS_PER_WORKER="2") for _ in range(3)]
    _wait(workers)
    state = _results(queue_env)
    assert sorted(run["n"] for run in state["runs"]) == list(range(20))  # each once, none lost
    assert all(job["status"] == TaskResultStatus.SUCCESSFUL for job in state["jobs"])
    assert all(len(job["workers"]) == 1 for job in state["jobs"])  # nobody claimed a job twice
    assert len({run["worker"] for run in state["runs"]}) >= 2  # the work really was shared
    assert state["heartbeats"] == []  # each worker signed off on the way out


def test_encodes_per_worker_are_limited_and_other_jobs_do_not_wait_behind_them(migrated_env):
    queue_env = migrated_env
    _enqueue(
        queue_env,
        "for n in range(5): jobs.fake_encode.enqueue(n)\n"
        "for n in range(4): jobs.append_row.enqueue(100 + n, seconds=0.02)\n",
    )
    one = _worker(queue_env, "--batch", MEDIATEKA_ENCODES_PER_WORKER="2", MEDIATEKA_OTHER_JOBS_PER_WORKER="1")
    _wait([one])
    runs = _results(queue_env)["runs"]
    encodes = [run for run in runs if run["kind"] == "encode"]
    others = [run for run in runs if run["kind"] == "row"]
    assert len(encodes) == 5 and len(others) == 4
    at_once = [sum(e["started"] <= run["started"] < e["finished"] for e in encodes) for run in encodes]
    assert max(at_once) == 2
    assert {run["worker"].rsplit(":", 1)[1] for run in encodes} == {"encodes1", "encodes2"}
    assert {run["worker"].rsplit(":", 1)[1] for run in others} == {"default1"}
    # The short jobs were all done while the encodes were still going.
    assert max(run["finished"] for run in others) < max(run["finished"] for run in encodes)


def test_a_worker_serves_only_the_queues_it_is_given(migrated_env):
    queue_env = migrated_env
    _enqueue(queue_env, "jobs.fake_encode.enqueue(1, seconds=0)\njobs.append_row.enqueue(2, seconds=0)")
    worker = _worker(queue_env, "--batch", "--queue-name", "encodes")
    _wait([worker])
    assert [(run["n"], run["kind"]) for run in _results(queue_env)["runs"]] == [(1, "encode")]
    log = worker.stderr.read()
    assert "INFO mediateka.startup migrations: none to apply" in log
    assert re.search(r"INFO mediateka.jobs job [0-9a-f-]{36} fake_encode: done in [0-9.]+ s\n", log), log
    assert sorted(_statuses(queue_env)) == [TaskResultStatus.READY, TaskResultStatus.SUCCESSFUL]
    refused = mediateka(queue_env, "worker", "--queue-name", "reports")
    assert refused.returncode == 2 and "no such queue: reports" in refused.stderr


def test_sigterm_lets_the_running_job_finish_then_the_worker_exits(migrated_env):
    queue_env = migrated_env
    _enqueue(queue_env, "jobs.append_row.enqueue(5, seconds=3)\njobs.append_row.enqueue(6, seconds=0)")
    one = _worker(queue_env, MEDIATEKA_OTHER_JOBS_PER_WORKER="1")
    _running_job_of(queue_env, one.pid)
    one.send_signal(signal.SIGTERM)
    _wait([one], timeout=30)
    state = _results(queue_env)
    assert [run["n"] for run in state["runs"]] == [5]  # finished, and no new job taken
    assert sorted(job["status"] for job in state["jobs"]) == [
        TaskResultStatus.READY,
        TaskResultStatus.SUCCESSFUL,
    ]
    assert state["heartbeats"] == []


def test_a_second_signal_stops_the_running_job_at_once_and_queues_it_again(migrated_env):
    queue_env = migrated_env
    _enqueue(queue_env, "jobs.slow_the_first_time.enqueue(8)")
    one = _worker(queue_env)
    _running_job_of(queue_env, one.pid)
    children = _children(one.pid)  # one per queue
    assert len(children) == 2
    one.send_signal(signal.SIGINT)
    time.sleep(0.5)
    one.send_signal(signal.SIGINT)
    _wait([one], timeout=10, status=1)
    assert not any(_alive(child) for child in children)
    assert _statuses(queue_env) == [TaskResultStatus.READY]  # for the next worker to run
    assert _results(queue_env)["runs"] == []


def test_a_job_process_that_dies_is_restarted_and_its_job_run_again(migrated_env):
    queue_env = migrated_env
    _enqueue(queue_env, "jobs.slow_the_first_time.enqueue(9)")
    one = _worker(queue_env, MEDIATEKA_ENCODES_PER_WORKER="0")
    try:
        process = _running_job_of(queue_env, one.pid)
        (child,) = _children(one.pid)
        os.kill(child, signal.SIGKILL)  # as the kernel's OOM killer would
        _until(lambda: _statuses(queue_env) == [TaskResultStatus.SUCCESSFUL], "the job was never run again")
        assert one.poll() is None  # the worker itself carried on
    finally:
        one.send_signal(signal.SIGTERM)
        _wait([one], timeout=30)
    ((job,), runs) = _results(queue_env)["jobs"], _results(queue_env)["runs"]
    assert job["workers"] == [process, process]  # the same slot, in a new process
    assert [run["n"] for run in runs] == [9]


def test_the_job_of_a_killed_worker_is_run_again_at_once_by_the_next_worker_on_its_host(migrated_env):
    queue_env = migrated_env
    _enqueue(queue_env, "jobs.slow_the_first_time.enqueue(10)")
    # A heartbeat that would take ten minutes to go stale: only the process check can tell.
    beats = {"MEDIATEKA_WORKER_HEARTBEAT": "300", "MEDIATEKA_WORKER_DEAD_AFTER": "600"}
    lost = _worker(queue_env, **beats)
    _running_job_of(queue_env, lost.pid)
    children = _children(lost.pid)
    assert len(children) == 2
    os.killpg(lost.pid, signal.SIGKILL)  # the worker alone: its job processes have their own groups
    lost.wait(timeout=10)
    _until(lambda: not any(_alive(c) for c in children), "a job process outlived its worker", timeout=5)
    _wait([_worker(queue_env, "--batch", **beats)], timeout=60)
    state = _results(queue_env)
    assert state["jobs"][0]["status"] == TaskResultStatus.SUCCESSFUL
    assert len(state["jobs"][0]["workers"]) == 2 and [run["n"] for run in state["runs"]] == [10]
    assert state["heartbeats"] == []  # the killed worker's row went with its job


def test_a_job_of_a_worker_lost_on_another_host_is_run_again_by_a_live_worker(migrated_env):
    queue_env = migrated_env
    beats = {"MEDIATEKA_WORKER_HEARTBEAT": "1", "MEDIATEKA_WORKER_DEAD_AFTER": "3"}
    _enqueue(queue_env, "jobs.slow_the_first_time.enqueue(7)")
    lost = _worker(queue_env, MEDIATEKA_WORKER_HOST="host-a", **beats)
    _running_job_of(queue_env, lost.pid)
    os.killpg(lost.pid, signal.SIGKILL)  # host-a is gone: no goodbye, its heartbeat just stops
    lost.wait(timeout=10)

    # host-b cannot see host-a's processes; only host-a's silence tells it the job is orphaned.
    live = _worker(queue_env, MEDIATEKA_WORKER_HOST="host-b", **beats)
    try:
        _until(
            lambda: TaskResultStatus.SUCCESSFUL in _statuses(queue_env),
            "the orphaned job was never run again",
        )
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
    orphan = _running_job("far-away:101:encodes1")
    healthy = _running_job("nearby:202:default1")
    assert vanished.requeue_orphans() == 1
    assert _status(orphan) == TaskResultStatus.READY
    assert _status(healthy) == TaskResultStatus.RUNNING
    assert list(WorkerHeartbeat.objects.values_list("worker", flat=True)) == ["nearby:202"]


def test_sweeper_requeues_a_dead_local_process_at_once_despite_a_fresh_heartbeat(db):
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    process = f"{vanished.host()}:{gone.pid}"
    WorkerHeartbeat.objects.create(
        worker=process, host=vanished.host(), pid=gone.pid, pid_namespace=vanished.pid_namespace()
    )
    job = _running_job(f"{process}:default1")
    assert vanished.requeue_orphans() == 1
    assert _status(job) == TaskResultStatus.READY
    assert not WorkerHeartbeat.objects.filter(worker=process).exists()


def test_a_job_claimed_again_meanwhile_is_left_to_its_new_worker(db):
    job = _running_job("far-away:101:default1")
    DBTaskResult.objects.filter(pk=job.pk).update(started_at=timezone.now())  # re-claimed by a live process
    # What the sweepers saw before the new claim: they must not take the job from its new worker.
    assert vanished._requeue(job) is False
    assert _status(job) == TaskResultStatus.RUNNING


def test_sweeper_trusts_a_live_local_process_over_a_late_heartbeat(db):
    process = f"{vanished.host()}:{os.getpid()}"  # this very process: certainly alive
    WorkerHeartbeat.objects.create(
        worker=process,
        host=vanished.host(),
        pid=os.getpid(),
        pid_namespace=vanished.pid_namespace(),
        beat_at=timezone.now() - timedelta(hours=1),
    )
    job = _running_job(f"{process}:encodes1")
    assert vanished.requeue_orphans() == 0
    assert _status(job) == TaskResultStatus.RUNNING
    assert WorkerHeartbeat.objects.filter(worker=process).exists()


def test_only_the_job_of_the_ended_process_is_queued_again(db):
    ended = _running_job("here:303:encodes1")
    sibling = _running_job("here:303:default1")
    assert vanished.requeue_jobs_of("here:303:encodes1") == 1
    assert _status(ended) == TaskResultStatus.READY
    assert _status(sibling) == TaskResultStatus.RUNNING
