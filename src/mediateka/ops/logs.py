"""Logs: plain lines for a terminal, or one JSON object per line (LOG_FORMAT=json) for journald, Loki or
CloudWatch; each line logged while a request is served names the request and the signed-in user.

The request id is nginx's X-Request-ID when it sends one (so its log and ours can be joined), else one
made here; it is sent back in the response. gunicorn's access line reads both from the WSGI environ
(`%({mediateka.request_id}e)s`), since it is written after the request is done.
"""

import contextvars
import json
import logging
import re
import uuid
from datetime import UTC, datetime

from django.conf import settings

REQUEST_ID, USER_ID = "mediateka.request_id", "mediateka.user_id"  # keys in the WSGI environ
_SAFE_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_request = contextvars.ContextVar("mediateka_request", default=None)

# Attributes every LogRecord has; anything else on a record was passed as `extra=` and is kept.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def _user_id(request) -> int | None:
    # Without a session cookie the visitor is anonymous: no session is read just to say so.
    if settings.SESSION_COOKIE_NAME not in request.COOKIES or not hasattr(request, "user"):
        return None
    return request.user.pk if request.user.is_authenticated else None


def request_fields(record: logging.LogRecord) -> dict:
    """request_id and user_id of the request the line is about: the one this thread serves, else the
    one Django passes with its own request lines (logged once the middleware is done)."""
    request = _request.get() or getattr(record, "request", None)
    if request is None or REQUEST_ID not in getattr(request, "META", {}):
        return {}
    fields = {"request_id": request.META[REQUEST_ID]}
    if (user := _user_id(request)) is not None:
        fields["user_id"] = user
    return fields


class RequestIdMiddleware:
    """First of all: every later log line of the request carries its id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.META[REQUEST_ID] = given if _SAFE_ID.fullmatch(given) else uuid.uuid4().hex
        token = _request.set(request)
        try:
            response = self.get_response(request)
            request.META[USER_ID] = str(_user_id(request) or "-")
        finally:
            _request.reset(token)
        response["X-Request-ID"] = request.META[REQUEST_ID]
        return response


class PlainFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        return " ".join([line, *(f"{k}={v}" for k, v in request_fields(record).items())])


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage() if not _is_access(record) else "request",
            **request_fields(record),
        }
        if _is_access(record):
            # gunicorn's access log passes its fields as a mapping of atoms.
            entry.update(_access_fields(record.args))
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, (str, int, float, bool, type(None))) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def _is_access(record: logging.LogRecord) -> bool:
    return record.name == "gunicorn.access" and isinstance(record.args, dict)


def _access_fields(atoms: dict) -> dict:
    names = {
        "h": "remote",
        "m": "method",
        "U": "path",
        "q": "query",
        "s": "status",
        "B": "bytes",
        f"{{{REQUEST_ID}}}e": "request_id",
        f"{{{USER_ID}}}e": "user_id",
    }
    fields = {name: atoms.get(atom) for atom, name in names.items() if atoms.get(atom) not in (None, "-", "")}
    if "D" in atoms:
        fields["duration_ms"] = round(int(atoms["D"]) / 1000, 3)
    if atoms.get("a") not in (None, "-"):
        fields["user_agent"] = atoms["a"]
    return fields


def config(log_format: str, level: str, *, mail_admins: bool, extra: dict) -> dict:
    """settings.LOGGING. `mail_admins`: errors also go by e-mail to settings.ADMINS. `extra`: handlers
    of the deployment's own (MEDIATEKA_LOG_HANDLERS, dictConfig's form) that every line also goes to."""
    handlers = {"console": {"class": "logging.StreamHandler", "formatter": log_format}, **extra}
    if mail_admins:
        handlers["mail_admins"] = {"class": "django.utils.log.AdminEmailHandler", "level": "ERROR"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "plain": {"()": PlainFormatter, "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s"},
            "json": {"()": JsonFormatter},
        },
        "handlers": handlers,
        "root": {"handlers": list(handlers), "level": level},
        "loggers": {
            # Django's own "django" logger mails admins too; here every error does, once, from the root.
            "django": {"handlers": [], "level": "INFO"},
            "django.db.backends": {"level": "WARNING"},
            "axes": {"level": "WARNING"},  # it announces itself at INFO in every process
        },
    }
