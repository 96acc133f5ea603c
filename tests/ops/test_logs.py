"""Structured logs: one JSON object per line (the server test checks LOG_FORMAT=json end to end)."""

import json
import logging
import sys

from mediateka.ops.logs import JsonFormatter


def test_json_lines_carry_the_message_its_extra_fields_and_the_exception():
    try:
        raise ZeroDivisionError("division by zero")
    except ZeroDivisionError:
        record = logging.getLogger("mediateka.video").makeRecord(
            "mediateka.video",
            logging.ERROR,
            __file__,
            1,
            "film %s failed",
            ("abc",),
            sys.exc_info(),
            extra={"film_id": 7},
        )
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "film abc failed" and entry["level"] == "ERROR"
    assert entry["logger"] == "mediateka.video" and entry["film_id"] == 7
    assert entry["time"].endswith("+00:00")
    assert "ZeroDivisionError" in entry["exception"]


def test_gunicorn_access_lines_become_fields():
    atoms = {"h": "10.0.0.1", "m": "GET", "U": "/media/x.m4s", "q": "", "s": "206", "B": "1024", "D": "2500"}
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(h)s %(r)s", (atoms,), None)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["path"] == "/media/x.m4s" and entry["status"] == "206"
    assert entry["duration_ms"] == 2.5 and entry["remote"] == "10.0.0.1"
    assert "query" not in entry  # empty atoms are left out
