"""The encodes' scratch folders in MEDIATEKA_WORK_DIR, each named for the process that made it.

A worker killed mid-encode cannot remove its folder, which may hold gigabytes. The name
`encode-HOST-PIDNS-PID-random` says whose it is, so that a starting worker removes the folders of
processes of its own host (and process table) that are gone, and never a living worker's.
"""

import logging
import os
import re
import shutil
import socket
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

log = logging.getLogger(__name__)

PREFIX = "encode-"
# mkdtemp's random part has no dash, and neither has a host as owner() writes it.
_NAME = re.compile(rf"^{PREFIX}(?P<host>[^-]+)-(?P<namespace>\d+)-(?P<pid>\d+)-[^-]+$")


def _host() -> str:
    name = settings.MEDIATEKA_WORKER_HOST or socket.gethostname()
    return re.sub(r"[^A-Za-z0-9.]", "_", name)[:40] or "host"


def _pid_namespace() -> str:
    # Two containers may share a host name and a volume, but not a process table.
    try:
        return "".join(c for c in os.readlink("/proc/self/ns/pid") if c.isdigit()) or "0"
    except OSError:
        return "0"


def owner() -> str:
    return f"{_host()}-{_pid_namespace()}-{os.getpid()}"


@contextmanager
def folder() -> Iterator[Path]:
    """A new, empty scratch folder of this process, removed on the way out whatever happens."""
    work = Path(settings.MEDIATEKA_WORK_DIR)
    work.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{owner()}-", dir=work))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def alive(pid: int) -> bool:
    """Whether a process of this process table exists (it may belong to another user) and has not
    died: a zombie, killed but not yet reaped by its parent (in a container PID 1 may never reap
    it), is dead."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        # /proc/<pid>/stat: "pid (comm) state ..."; comm may hold spaces and parentheses.
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except (OSError, IndexError):
        return True  # no /proc (not Linux): the signal said it exists
    return state not in ("Z", "X")


def sweep_dead() -> int:
    """Removes the scratch folders of this host's processes that no longer exist; returns how many."""
    work = Path(settings.MEDIATEKA_WORK_DIR)
    try:
        entries = list(work.iterdir())
    except FileNotFoundError:
        return 0
    host, namespace = _host(), _pid_namespace()
    removed = 0
    for path in entries:
        match = _NAME.match(path.name)
        if match is None or not path.is_dir() or (match["host"], match["namespace"]) != (host, namespace):
            continue
        if alive(int(match["pid"])):
            continue
        shutil.rmtree(path, ignore_errors=True)
        if not path.exists():
            removed += 1
            log.warning("removed the scratch folder %s of a worker that is gone", path.name)
    return removed
