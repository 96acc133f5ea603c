"""Typed readers of the environment for settings.py.

Each reader names the variable in its error, so a typo in a deployment fails at start-up with a
message that says what to fix, not later with a confusing default.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Set the environment variable {name}.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no, on/off), not {raw!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        value = int(raw.strip().replace("_", ""))
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_path(name: str, default: str) -> Path:
    return Path(os.environ.get(name, default)).expanduser().resolve()


def env_choice(name: str, default: str, choices: list[str]) -> str:
    value = os.environ.get(name, default)
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}.")
    return value


def data_dir(name: str, default: str) -> Path:
    """A folder the process must be able to write to, made if missing."""
    if not os.environ.get(name) and not Path(default).is_absolute() and Path.cwd() == Path("/"):
        # A service started without a working directory (systemd's default is /) would put its data
        # in /var itself, among the system's own folders.
        raise ImproperlyConfigured(
            f"{name} is not set and the working directory is /: set {name} to the data folder "
            "(for example /var/lib/mediateka, as the units in docs/deploy.md do)."
        )
    folder = env_path(name, default)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Created and removed at once: an existing folder the service user cannot write to fails here,
        # not later as the database or the secret key file fails to open.
        (folder / f".writable-{os.getpid()}").touch()
        (folder / f".writable-{os.getpid()}").unlink()
    except OSError as error:
        raise ImproperlyConfigured(
            f"{name}: {folder} cannot be written ({error.strerror or type(error).__name__}); give the "
            f"user Mediateka runs as (uid {os.geteuid()}) write access to it, or set {name} to a folder "
            "it owns."
        ) from None
    return folder


def database_url(name: str, default: str | None = None) -> dict:
    """A Django DATABASES entry from a database URL, refusing a scheme that names no database."""
    import dj_database_url

    url = env_str(name, default)
    try:
        return dj_database_url.parse(url)
    except ValueError:
        scheme = url.partition("://")[0] if "://" in url else url[:20]
        raise ImproperlyConfigured(
            f"{name} has the scheme {scheme!r}, which names no database: use "
            "postgres://USER:PASSWORD@HOST:PORT/NAME (or sqlite:////absolute/path.sqlite3)."
        ) from None


def env_addresses(name: str) -> list[tuple[str, str]]:
    """E-mail addresses, "Name <address>" or bare, comma-separated: Django's ADMINS."""
    from email.utils import getaddresses

    raw = os.environ.get(name, "")
    found = [(real or address, address) for real, address in getaddresses([raw]) if address]
    if raw.strip() and not all("@" in address for _, address in found):
        raise ImproperlyConfigured(f"{name} must be e-mail addresses (Name <address>, ...), not {raw!r}.")
    return found


def env_json(name: str, default):
    raw = os.environ.get(name)
    if raw is None:
        return default
    import json

    try:
        return json.loads(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be JSON: {error}.") from None


def secret_key(name: str, kept: Path, *, required: bool) -> str:
    """The variable's value; else, unless `required`, a key made once and kept in the file `kept`.

    A kept key spares a fresh `make run` any fixed secret in the code; it is no good behind a load
    balancer, where every node must sign alike (ops.checks says so to check --deploy).
    """
    key = env_str(name, "")
    if key:
        return key
    if required:
        raise ImproperlyConfigured(
            f"{name} is not set: set it to the same 50+ random characters on every node "
            "(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')."
        )
    if not kept.exists():
        import secrets

        kept.touch(mode=0o600)
        kept.write_text(secrets.token_urlsafe(50))
    return kept.read_text().strip()
