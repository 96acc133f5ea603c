"""What `mediateka run`, `worker` and `manage` do before their work: refuse a broken set-up in one line.

A deployment mistake (a misspelt DATABASE_URL, a wrong password, a folder the service user cannot
write, an FFmpeg that cannot encode) stops the command with one line that names the variable and
what to do, instead of a traceback or a first failed encode.
"""

import fcntl
import logging
import os
import shutil
import time

log = logging.getLogger("mediateka.startup")


class Refused(Exception):
    """The set-up cannot work; each argument is one line for the operator."""


def one_line(error: BaseException) -> str | None:
    """The operator's line for a start-up failure we can explain, else None (a traceback is due)."""
    from django.core.exceptions import ImproperlyConfigured
    from django.db import OperationalError

    if isinstance(error, Refused):
        return "\n".join(f"mediateka: {line}" for line in error.args)
    if isinstance(error, ImproperlyConfigured):
        return f"mediateka: {error}"
    if isinstance(error, OperationalError) and _is_connecting(error):
        return f"mediateka: {_database_line(error)}"
    return None


def _is_connecting(error: BaseException) -> bool:
    text = str(error)
    return any(sign in text for sign in ("connect", "FATAL", "unable to open database file"))


def _database_line(error: BaseException) -> str:
    from django.db import connections

    settings = connections["default"].settings_dict
    where = (
        settings["NAME"]
        if "sqlite" in settings["ENGINE"]
        else (f"{settings.get('HOST') or 'localhost'}:{settings.get('PORT') or 5432}/{settings['NAME']}")
    )
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    # psycopg: "connection failed: connection to server at ... failed: FATAL:  password ... failed"
    why = lines[0].rsplit("FATAL:", 1)[-1].strip() if lines else type(error).__name__
    return (
        f"DATABASE_URL: the database {where} cannot be used: {why}. "
        "Check the user, password, host and database name in DATABASE_URL."
    )


def preflight() -> None:
    """Runs the system checks that do not need production (and the media storage's); raises Refused."""
    from django.core import checks
    from django.db import connection

    from mediateka.ops.checks import media_storage_writable

    found = checks.run_checks() + media_storage_writable()
    errors = [m for m in found if m.is_serious() and not m.is_silenced()]
    if errors:
        raise Refused(*(f"{m.msg} {m.hint or ''}".strip() for m in errors))
    connection.ensure_connection()  # a wrong DATABASE_URL says so here, in one line (one_line)


def migrate() -> None:
    """Applies the migrations, with a log line when they start and when they end."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    if not pending:
        log.info("migrations: none to apply")
        return
    log.info("migrations: applying %s", pending)
    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    log.info("migrations: %s applied in %.1f s", pending, time.monotonic() - started)


def metrics_dir(data_dir) -> tuple[str, int]:
    """The folder where gunicorn's processes add up their request metrics (ops.metrics), for this server.

    Each server on a data dir holds a shared lock on `<folder>.lock` for its whole life (the descriptor
    passes to gunicorn, which this process becomes, and to its workers). Only a server that can take the
    lock exclusively, i.e. the only one, clears what dead servers left; a second server keeps the first
    one's series and adds its own beside them. Returns the folder and the lock's descriptor.
    """
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or str(data_dir / "prometheus")
    lock = os.open(f"{folder}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        log.info("metrics: another server uses %s; its series are kept", folder)
    else:
        shutil.rmtree(folder, ignore_errors=True)
    fcntl.flock(lock, fcntl.LOCK_SH)
    os.set_inheritable(lock, True)
    os.makedirs(folder, exist_ok=True)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = folder
    return folder, lock
