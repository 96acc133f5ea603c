"""Structured logs: one JSON object per line (LOG_FORMAT=json), for journald, Loki or CloudWatch."""

import json
import logging
from datetime import UTC, datetime

# Attributes every LogRecord has; anything else on a record was passed as `extra=` and is kept.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage() if not _is_access(record) else "request",
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
    names = {"h": "remote", "m": "method", "U": "path", "q": "query", "s": "status", "B": "bytes"}
    fields = {name: atoms.get(atom) for atom, name in names.items() if atoms.get(atom) not in (None, "-", "")}
    if "D" in atoms:
        fields["duration_ms"] = round(int(atoms["D"]) / 1000, 3)
    if atoms.get("a") not in (None, "-"):
        fields["user_agent"] = atoms["a"]
    return fields
