"""/healthz for load balancers and /metrics for Prometheus."""

import re

from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.ops import jobs


def test_healthz_reports_database_and_storage_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response.json()["checks"] == {"database": "ok", "storage": "ok"}


def test_healthz_answers_probes_by_address_over_plain_http(client, db, settings):
    settings.ALLOWED_HOSTS = ["media.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz", HTTP_HOST="10.0.3.7:8000")
    assert response.status_code == 200
    assert client.get("/en/", HTTP_HOST="10.0.3.7:8000").status_code == 400  # the rest still checks


def test_healthz_fails_with_503_when_media_cannot_be_written(client, db, settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocker
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failed"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["storage"].startswith("failed")


def _sample(text: str, name: str, **labels) -> float | None:
    for line in text.splitlines():
        if not line.startswith(name + "{") and not line.startswith(name + " "):
            continue
        if all(f'{key}="{value}"' in line for key, value in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return None


def test_metrics_report_queue_depth_encodes_and_request_latency(client, demo):
    for n in range(3):
        jobs.append_row.enqueue(n)
    done = jobs.append_row.enqueue(9)
    DBTaskResult.objects.filter(pk=done.id).update(status=TaskResultStatus.FAILED)
    before = _sample(client.get("/metrics").content.decode(), "mediateka_http_request_duration_seconds_count")
    assert client.get("/en/").status_code == 200
    text = client.get("/metrics").content.decode()
    assert _sample(text, "mediateka_queue_jobs", queue="default", status="ready") == 3
    assert _sample(text, "mediateka_queue_jobs", queue="default", status="failed") == 1
    assert _sample(text, "mediateka_encode_jobs", outcome="done") is not None
    assert _sample(text, "mediateka_encode_jobs", outcome="failed") is not None
    assert _sample(text, "mediateka_workers_alive") == 0
    home = _sample(text, "mediateka_http_request_duration_seconds_count", route="web:home", status="2xx")
    assert home is not None and home >= 1
    assert (before or 0) >= 0
    assert re.search(r'mediateka_http_request_duration_seconds_bucket\{.*le="0.1".*route="web:home"', text)


def test_metrics_need_the_token_when_one_is_set(client, db, settings):
    settings.MEDIATEKA_METRICS_TOKEN = "s3cret-scrape-token"
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scrape-token").status_code == 200


def test_without_a_token_metrics_answer_only_direct_internal_requests(client, db):
    assert client.get("/metrics").status_code == 200  # the test client is 127.0.0.1
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.5").status_code == 403
    # Through nginx every request comes from 127.0.0.1, with forwarding headers.
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 403
    assert client.get("/metrics", HTTP_X_FORWARDED_PROTO="https").status_code == 403


def test_metrics_answer_a_scrape_by_address_without_a_host_error(client, db, settings, caplog):
    settings.ALLOWED_HOSTS = ["media.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/metrics", HTTP_HOST="10.0.3.7:8000")
    assert response.status_code == 200
    assert "mediateka_queue_jobs" in response.content.decode()
    assert not [r for r in caplog.records if r.name.startswith("django.security")]
    # Still only for the monitoring network: the address check does not depend on the Host.
    assert client.get("/metrics", HTTP_HOST="10.0.3.7:8000", REMOTE_ADDR="203.0.113.5").status_code == 403


def test_metrics_count_failed_videos_by_reason(client, demo):
    from mediateka.catalogue.models import Film
    from mediateka.ops.metrics import failure_reason
    from mediateka.video.models import Video

    reasons = {
        "FFmpeg could not be started (No such file or directory); an administrator must": "ffmpeg_missing",
        "Storing the encoding failed: Connection refused. It will be tried again in 5 minutes.": "storage",
        "The encode was started 4 times without finishing, the last time because": "worker_lost",
        "FFmpeg could not encode the file: Invalid data found when processing input.": "refused",
        "The file has no video stream.": "refused",
    }
    assert {text: failure_reason(text) for text in reasons} == reasons
    film = Film.objects.first()
    for language, error in zip(["en", "ru", "tg"], list(reasons)[:3], strict=True):
        Video.objects.create(film=film, language=language, status=Video.Status.FAILED, error=error)
    text = client.get("/metrics").content.decode()
    assert _sample(text, "mediateka_failed_videos", reason="ffmpeg_missing") == 1
    assert _sample(text, "mediateka_failed_videos", reason="storage") == 1
    assert _sample(text, "mediateka_failed_videos", reason="worker_lost") == 1
    assert _sample(text, "mediateka_failed_videos", reason="ffmpeg_stopped") == 0
