"""Real processes for the tests that need them: an environment with its own data dir and database."""

import os
import subprocess
import sys
import uuid
from pathlib import Path


def _fresh_postgres_database(url: str) -> str:
    import psycopg

    base, _, _name = url.rpartition("/")
    name = f"live_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def process_env(data_dir: Path) -> dict[str, str]:
    """SQLite in data_dir, or, when the suite runs on PostgreSQL, a fresh database on that cluster."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG")}
    env["MEDIATEKA_DATA_DIR"] = str(data_dir)
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        env["DATABASE_URL"] = _fresh_postgres_database(url)
    return env


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
