"""Runs a command against a throwaway PostgreSQL cluster: `python -m tests.pg_cluster CMD...`.

The cluster lives in a temporary folder on 127.0.0.1 and a free port, and is removed afterwards,
so the suite needs no server set up by hand. Outside CI a machine without PostgreSQL's server
binaries skips this run with a notice; in CI (CI=true) that is a failure.
"""

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from pathlib import Path


def find_bindir() -> Path | None:
    candidates = [os.environ.get("PG_BINDIR", "")]
    if shutil.which("pg_config"):
        candidates.append(
            subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True).stdout.strip()
        )
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    if shutil.which("initdb"):
        candidates.append(str(Path(shutil.which("initdb")).resolve().parent))
    for candidate in candidates:
        if candidate and (Path(candidate) / "initdb").exists() and (Path(candidate) / "pg_ctl").exists():
            return Path(candidate)
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_server_user(argv: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root, which is who CI is.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *argv]
    return argv


def main(command: list[str]) -> int:
    bindir = find_bindir()
    if bindir is None:
        if os.environ.get("CI", "").lower() == "true":
            print(
                "pg_cluster: PostgreSQL server binaries not found (apt-get install postgresql)",
                file=sys.stderr,
            )
            return 1
        print(
            "\n*** NOTICE: PostgreSQL server binaries not found: "
            "the PostgreSQL run of the suite is SKIPPED. ***\n"
        )
        return 0
    root = Path(tempfile.mkdtemp(prefix="mediateka-pg-"))
    data, sockets = root / "data", root / "sock"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sockets, "postgres")
    port = free_port()
    log = root / "server.log"
    try:
        subprocess.run(
            as_server_user(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(data),
                    "-U",
                    "mediateka",
                    "-A",
                    "trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        options = (
            f"-h 127.0.0.1 -p {port} -k {sockets} -c fsync=off -c full_page_writes=off -c max_connections=100"
        )
        # Server settings on top, e.g. PG_CLUSTER_SETTINGS="shared_buffers=1GB" for the benchmarks.
        options += "".join(f" -c {setting}" for setting in os.environ.get("PG_CLUSTER_SETTINGS", "").split())
        subprocess.run(
            as_server_user(
                [str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start"]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        env = dict(os.environ, DATABASE_URL=f"postgres://mediateka@127.0.0.1:{port}/mediateka")
        print(f"pg_cluster: PostgreSQL on 127.0.0.1:{port}", flush=True)
        return subprocess.run(command, env=env).returncode
    finally:
        subprocess.run(
            as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
