"""Real processes for the tests that need them: an environment with its own data dir and database."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path


def _fresh_postgres_database(url: str) -> str:
    import psycopg

    base, _, _name = url.rpartition("/")
    name = f"live_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


ROOT = Path(__file__).resolve().parents[1]


def process_env(data_dir: Path, *, quick_ladder: bool = False) -> dict[str, str]:
    """SQLite in data_dir, or, when the suite runs on PostgreSQL, a fresh database on that cluster.

    `quick_ladder`: the processes encode with the quick ladder (tests/quick_settings.py), and can
    import the tests' own modules.
    """
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG")}
    env["MEDIATEKA_DATA_DIR"] = str(data_dir)
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        env["DATABASE_URL"] = _fresh_postgres_database(url)
    return with_quick_ladder(env) if quick_ladder else env


def with_quick_ladder(env: dict[str, str]) -> dict[str, str]:
    """The same environment, for processes that encode with the quick ladder and may import tests.*."""
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "tests.quick_settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
    }


def mediateka(env: dict[str, str], *args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mediateka", *args], env=env, capture_output=True, text=True, **kwargs
    )


def django_script(env: dict[str, str], code: str) -> str:
    """Runs Python with Django set up in that environment; returns what it printed."""
    prelude = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mediateka.settings'); "
        "django.setup()\n"
    )
    done = subprocess.run([sys.executable, "-c", prelude + code], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-3000:])
    return done.stdout.strip()


def free_port() -> int:
    """A loopback port nothing listens on at the moment (the system picks it)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_answering(
    url: str, process: subprocess.Popen, log: Path | None = None, seconds: float = 120
) -> None:
    """Returns once ``url`` answers with a success. If ``process`` ends first or ``seconds`` pass,
    the process is stopped and the error carries the end of its log."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own loopback server
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                told = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
                raise RuntimeError(f"{url} did not answer:\n{told}") from None
            time.sleep(0.2)
