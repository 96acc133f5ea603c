"""Start-up of the real `mediateka` command: a broken set-up stops it with one line naming the variable."""

import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

from mediateka.ops import startup
from tests.live import free_port, mediateka, process_env


def _refused(done, *expected: str) -> str:
    """The one line the command printed; it failed, without a traceback."""
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    for text in expected:
        assert text in lines[0]
    return lines[0]


@pytest.mark.parametrize("command", [["run"], ["worker", "--batch"], ["manage", "migrate"]])
def test_a_misspelt_database_scheme(tmp_path, command):
    env = process_env(tmp_path) | {"DATABASE_URL": "postgress://mediateka:pw@127.0.0.1/mediateka"}
    line = _refused(mediateka(env, *command), "DATABASE_URL has the scheme 'postgress'", "use postgres://")
    assert line.startswith("mediateka: ")


def test_a_database_that_refuses_the_connection(tmp_path):
    env = process_env(tmp_path)
    url = env.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        # tests.pg_cluster's server trusts any password; a user it does not know is refused alike.
        host = url.split("@", 1)[1]
        env["DATABASE_URL"] = f"postgres://nobody_{uuid.uuid4().hex[:6]}:wrong@{host}"
        why = "does not exist"
    else:
        env["DATABASE_URL"] = f"postgres://mediateka:wrong@127.0.0.1:{free_port()}/mediateka"
        why = "Connection refused"
    for command in (["worker", "--batch"], ["manage", "migrate"]):
        _refused(mediateka(env, *command), "DATABASE_URL: the database 127.0.0.1:", why, "Check the user")


def test_a_service_without_a_data_dir_or_working_directory_is_refused(tmp_path):
    env = {k: v for k, v in process_env(tmp_path).items() if k != "MEDIATEKA_DATA_DIR"}
    # As systemd starts a unit that names no WorkingDirectory: in /, where ./var would be /var.
    done = mediateka(env, "manage", "check", cwd="/")
    _refused(done, "MEDIATEKA_DATA_DIR is not set and the working directory is /", "/var/lib/mediateka")


def test_a_data_dir_the_service_user_cannot_write(tmp_path):
    # Outside pytest's own temporary folders, which only their owner may enter.
    data = Path(tempfile.mkdtemp(prefix="mediateka-readonly-"))
    env = process_env(data)
    command = [sys.executable, "-m", "mediateka", "run"]
    if os.geteuid() == 0:  # root writes anywhere: run as nobody, as a service user would be
        data.chmod(0o755)
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    else:
        data.chmod(0o555)
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True)
    finally:
        data.chmod(0o755)
        shutil.rmtree(data)
    _refused(done, f"MEDIATEKA_DATA_DIR: {data} cannot be written (Permission denied)", "write access")


def test_a_production_node_without_secret_key(tmp_path):
    env = process_env(tmp_path) | {"ALLOWED_HOSTS": "media.example.org"}
    _refused(mediateka(env, "manage", "migrate"), "SECRET_KEY is not set", "the same 50+ random characters")
    assert not (tmp_path / "secret_key").exists()  # no key of its own made meanwhile


def test_a_worker_refuses_an_ffmpeg_that_cannot_run(tmp_path):
    env = process_env(tmp_path) | {"MEDIATEKA_FFMPEG": str(tmp_path / "ffmpeg")}
    _refused(mediateka(env, "worker", "--batch"), "MEDIATEKA_FFMPEG:", "cannot be run", "leave it unset")


def test_only_the_only_server_on_a_data_dir_clears_its_metrics_folder(tmp_path, monkeypatch):
    folder = tmp_path / "prometheus"
    folder.mkdir()
    series = folder / "histogram_4242.db"
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))
    # Another server running on this data dir holds its shared lock.
    other = os.open(f"{folder}.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(other, fcntl.LOCK_SH)
    series.write_text("another server's series")
    found, second = startup.metrics_dir(tmp_path)
    assert found == str(folder) and os.environ["PROMETHEUS_MULTIPROC_DIR"] == found
    assert series.exists()
    os.close(other)
    os.close(second)  # both servers ended: the next one to start owns the folder
    found, third = startup.metrics_dir(tmp_path)
    os.close(third)
    assert not series.exists() and folder.is_dir()
