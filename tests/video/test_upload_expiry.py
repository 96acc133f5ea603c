"""What uploads leave behind is expired by the worker: abandoned uploads, ended ones, stray files."""

import os
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mediateka import worker
from mediateka.catalogue.models import Film
from mediateka.video import intake
from mediateka.video.models import CaptionTrack, Upload, Video

from .tus import create, patch, upload, url_of


@pytest.fixture
def film(db):
    return Film.objects.create(slug="expiring", title="Expiring")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def _age(upload_id, **ago) -> None:
    Upload.objects.filter(pk=upload_id).update(touched_at=timezone.now() - timedelta(**ago))


def _started(client, film, sent: bytes, length: int = 100) -> Upload:
    url = url_of(create(client, film, b"x" * length))
    assert patch(client, url, sent, 0).status_code == 204
    return Upload.objects.get(pk=url.rsplit("/", 1)[1])


def test_a_new_upload_has_no_file_until_its_first_bytes_arrive(editor_client, film, settings):
    url = url_of(create(editor_client, film, b"x" * 100))
    folder = settings.MEDIATEKA_UPLOAD_DIR
    assert not folder.exists() or not list(folder.iterdir())
    assert editor_client.head(url, headers={"Tus-Resumable": "1.0.0"})["Upload-Offset"] == "0"
    assert patch(editor_client, url, b"y" * 10, 0).status_code == 204
    assert [p.name for p in folder.iterdir()] == [f"{url.rsplit('/', 1)[1]}.part"]


def test_an_upload_untouched_for_the_expiry_is_removed_with_its_file(editor_client, film, settings):
    settings.MEDIATEKA_UPLOAD_EXPIRY = 3600
    abandoned = _started(editor_client, film, b"y" * 10)
    recent = _started(editor_client, film, b"z" * 10)
    _age(abandoned.pk, hours=2)
    _age(recent.pk, minutes=30)
    removed = intake.expire()
    assert removed["abandoned"] == 1
    assert list(Upload.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not abandoned.part_path.exists() and recent.part_path.exists()


def test_an_old_upload_that_a_request_is_writing_to_is_not_expired(editor_client, film, settings):
    settings.MEDIATEKA_UPLOAD_EXPIRY = 3600
    busy = _started(editor_client, film, b"y" * 10)
    _age(busy.pk, hours=2)
    Upload.objects.filter(pk=busy.pk).update(writer="someone", writing_since=timezone.now())
    assert intake.expire()["abandoned"] == 0
    assert busy.part_path.exists()


def test_the_default_expiry_is_a_day(editor_client, film):
    item = _started(editor_client, film, b"y" * 10)
    _age(item.pk, hours=23)
    intake.expire()
    assert Upload.objects.filter(pk=item.pk).exists()
    _age(item.pk, hours=25)
    intake.expire()
    assert not Upload.objects.filter(pk=item.pk).exists()


def test_an_ended_upload_keeps_its_outcome_for_the_expiry_then_goes(editor_client, film):
    refused = upload(editor_client, film, b"not a film\n" * 20)
    reason = intake.finish(str(refused.pk))
    assert editor_client.get(f"/upload/{refused.pk}").json()["error"] == reason
    intake.expire()
    assert Upload.objects.filter(pk=refused.pk, state=Upload.State.REFUSED).exists()
    _age(refused.pk, hours=25)
    assert intake.expire()["ended"] == 1
    assert not Upload.objects.exists()
    assert editor_client.get(f"/upload/{refused.pk}").status_code == 404


def test_a_file_being_checked_is_never_expired_and_a_lost_check_is_queued_again(
    editor_client, film, django_capture_on_commit_callbacks
):
    data = b"y" * 100
    item = upload(editor_client, film, data)  # its job's enqueue never ran: as if the process died
    _age(item.pk, days=3)
    with django_capture_on_commit_callbacks(execute=True):
        assert intake.expire()["rechecked"] == 1
    assert Upload.objects.get(pk=item.pk).state == Upload.State.CHECKING
    assert item.part_path.read_bytes() == data
    jobs = DBTaskResult.objects.filter(task_path="mediateka.video.tasks.finish_upload")
    assert [job.args_kwargs["args"] for job in jobs] == [[str(item.pk)]]
    intake.expire()  # not again until it has been checking for another while
    assert jobs.count() == 1


def test_stray_files_in_the_upload_folder_are_removed_after_the_expiry(editor_client, film, settings):
    live = _started(editor_client, film, b"y" * 10)
    folder = settings.MEDIATEKA_UPLOAD_DIR
    orphan, dead_chunk, young = (
        folder / "0c6f5b8e-1d1a-4bb4-9a53-2f7d0c1e2a3b.part",
        folder / f"{live.pk}.deadwriter.chunk",
        folder / "5a1d5f0e-7c1b-4c55-8d2e-0b9f1e2d3c4a.part",
    )
    for path in (orphan, dead_chunk, young):
        path.write_bytes(b"left over")
    day_ago = time.time() - 25 * 3600
    for path in (orphan, dead_chunk, live.part_path):
        os.utime(path, (day_ago, day_ago))
    assert intake.expire()["files"] == 2
    assert not orphan.exists() and not dead_chunk.exists()
    assert young.exists() and live.part_path.exists()  # a live upload's file stays however old


def test_a_version_that_never_had_a_file_is_removed(film):
    day_ago = timezone.now() - timedelta(hours=25)
    other = Film.objects.create(slug="other", title="Other")
    leftover = Video.objects.create(film=film, language="tg", status=Video.Status.UPLOADING)
    failed = Video.objects.create(film=film, language="ru", status=Video.Status.FAILED, error="refused")
    captioned = Video.objects.create(film=other, language="tg", status=Video.Status.UPLOADING)
    CaptionTrack.objects.create(video=captioned, language="en", file="captions/x/en.vtt")
    with_file = Video.objects.create(film=other, language="ru", original="originals/x/source.mp4")
    young = Video.objects.create(film=film, language="en", status=Video.Status.UPLOADING)
    Video.objects.exclude(pk=young.pk).update(updated_at=day_ago)
    assert intake.expire()["videos"] == 2
    assert not Video.objects.filter(pk__in=[leftover.pk, failed.pk]).exists()
    assert set(Video.objects.values_list("pk", flat=True)) == {captioned.pk, with_file.pk, young.pk}


def test_the_worker_expires_uploads_on_its_first_sweep_and_every_few_minutes(
    editor_client, film, monkeypatch
):
    item = _started(editor_client, film, b"y" * 10)
    _age(item.pk, hours=25)
    supervisor = worker.Supervisor(queues={"default": 1}, interval=1, batch=True)
    supervisor.expire_uploads()  # the first sweep, at start
    assert not Upload.objects.exists() and not item.part_path.exists()
    second = _started(editor_client, film, b"z" * 10)
    _age(second.pk, hours=25)
    supervisor.expire_uploads()  # within UPLOAD_SWEEP_SECONDS of the last sweep: not yet
    assert Upload.objects.filter(pk=second.pk).exists()
    monkeypatch.setattr(worker, "UPLOAD_SWEEP_SECONDS", 0)
    supervisor.expire_uploads()
    assert not Upload.objects.exists()
