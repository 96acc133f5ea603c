"""Log lines name their request and user; finished jobs log their video, duration and outcome;
errors reach the handlers a deployment configures."""

import json
import logging
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from mediateka.ops.jobs_log import log_job
from mediateka.ops.logs import JsonFormatter, PlainFormatter
from mediateka.video.tasks import process_video
from tests.live import mediateka, process_env
from tests.ops import jobs


@pytest.fixture
def request_lines():
    """The django.request log lines of the test, formatted as JSON."""
    lines = []

    class Keep(logging.Handler):
        def emit(self, record):
            lines.append(json.loads(JsonFormatter().format(record)))
            lines[-1]["plain"] = PlainFormatter("%(message)s").format(record)

    handler = Keep()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield lines
    logger.removeHandler(handler)


def test_nginx_request_id_and_the_user_are_on_the_lines_of_the_request(client, editor, request_lines):
    client.force_login(editor)
    response = client.get("/en/films/no-such-film/", HTTP_X_REQUEST_ID="nginx-4f2a9c")
    assert response.status_code == 404
    assert response["X-Request-ID"] == "nginx-4f2a9c"
    [line] = request_lines
    assert line["level"] == "WARNING" and "no-such-film" in line["message"]
    assert line["request_id"] == "nginx-4f2a9c" and line["user_id"] == editor.pk
    assert line["plain"].endswith(f"request_id=nginx-4f2a9c user_id={editor.pk}")


def test_a_request_without_an_id_gets_one_and_a_visitor_has_no_user_id(client, db, request_lines):
    response = client.get("/en/films/no-such-film/", HTTP_X_REQUEST_ID="bad id with spaces\nand lines")
    made = response["X-Request-ID"]
    assert len(made) == 32 and made.isalnum()
    [line] = request_lines
    assert line["request_id"] == made and "user_id" not in line
    assert client.get("/en/films/no-such-film/")["X-Request-ID"] != made


def test_outside_a_request_lines_have_no_request_fields():
    record = logging.LogRecord("mediateka.video", logging.INFO, __file__, 1, "plain line", None, None)
    assert "request_id" not in json.loads(JsonFormatter().format(record))
    assert PlainFormatter("%(message)s").format(record) == "plain line"


def _finished(result, status, seconds: float):
    now = timezone.now()
    DBTaskResult.objects.filter(pk=result.id).update(
        status=status, started_at=now - timedelta(seconds=seconds), finished_at=now
    )
    return DBTaskResult.objects.get(pk=result.id).task_result


def test_every_finished_job_logs_its_video_duration_and_outcome(db, caplog):
    encode = _finished(process_video.enqueue(41), TaskResultStatus.FAILED, 73.25)
    other = _finished(jobs.append_row.enqueue(3), TaskResultStatus.SUCCESSFUL, 0.5)
    with caplog.at_level(logging.INFO, logger="mediateka.jobs"):
        log_job(sender=None, task_result=encode)
        log_job(sender=None, task_result=other)
    failed, done = caplog.records
    assert failed.levelname == "WARNING"
    assert failed.getMessage() == f"job {encode.id} process_video video 41: failed in 73.25 s"
    assert (failed.video_id, failed.duration_s, failed.outcome) == (41, 73.25, "failed")
    assert done.getMessage() == f"job {other.id} append_row: done in 0.5 s" and done.video_id is None


def test_errors_go_to_the_admins_and_to_the_deployments_own_handlers(tmp_path):
    extra = {
        "file": {"class": "logging.FileHandler", "filename": str(tmp_path / "errors.log"), "level": "ERROR"}
    }
    env = process_env(tmp_path) | {
        "MEDIATEKA_ADMINS": "Mission IT <it@example.org>",
        "MEDIATEKA_LOG_HANDLERS": json.dumps(extra),
    }
    code = (
        "import logging; from django.conf import settings; "
        "logging.getLogger('mediateka.video').error('encode lost'); "
        "print(settings.ADMINS, sorted(type(h).__name__ for h in logging.getLogger().handlers))"
    )
    done = mediateka(env, "manage", "shell", "--no-imports", "-c", code)
    assert done.returncode == 0, done.stderr
    assert (
        "[('Mission IT', 'it@example.org')] ['AdminEmailHandler', 'FileHandler', 'StreamHandler']"
        in done.stdout
    )
    assert (tmp_path / "errors.log").read_text() == "encode lost\n"
