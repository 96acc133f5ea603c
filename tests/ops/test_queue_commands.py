"""`mediateka manage jobs`, `reencode` and `retry`: the queue seen, and encodes started, from a shell."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from mediateka.catalogue.models import Film
from mediateka.video.models import Video
from mediateka.video.tasks import process_video
from tests.ops import jobs


def _run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def video(demo):
    return Video.objects.create(
        film=Film.objects.first(),
        language="tg",
        original="originals/abc/source.mp4",
        original_name="source.mp4",
        sha256="a" * 64,
        status=Video.Status.FAILED,
        error="FFmpeg could not be started (No such file or directory).",
    )


def _encodes(video_id: int):
    return DBTaskResult.objects.filter(task_path=process_video.module_path, args_kwargs__args__0=video_id)


def test_jobs_lists_queued_running_and_failed(db):
    waiting = jobs.append_row.enqueue(1)
    busy = jobs.fake_encode.enqueue(2)
    DBTaskResult.objects.filter(pk=busy.id).update(
        status=TaskResultStatus.RUNNING,
        worker_ids=["node-2:encodes1"],
        started_at=timezone.now() - timedelta(minutes=12, seconds=5),
    )
    broken = process_video.enqueue(41)
    DBTaskResult.objects.filter(pk=broken.id).update(
        status=TaskResultStatus.FAILED,
        finished_at=timezone.now() - timedelta(hours=3),
        exception_class_path="mediateka.video.pipeline.EncodeFailed",
        traceback="Traceback (most recent call last):\n  ...\n"
        "mediateka.video.pipeline.EncodeFailed: FFmpeg could not be started (Permission denied).\n",
    )
    lines = _run("jobs").splitlines()
    assert lines[0] == "Queued: 1"
    assert lines[1].startswith(f"  {waiting.id}  append_row  queue default  waiting ")
    assert lines[2] == "Running: 1"
    assert lines[3] == f"  {busy.id}  fake_encode  on node-2:encodes1  for 12m"
    assert lines[4] == "Failed: 1"
    assert (
        lines[5]
        == f"  {broken.id}  process_video video 41  3h ago  FFmpeg could not be started (Permission denied)."
    )


def test_reencode_queues_the_encode_as_the_editor_does(video, django_capture_on_commit_callbacks):
    Video.objects.filter(pk=video.pk).update(status=Video.Status.READY, error="")
    with django_capture_on_commit_callbacks(execute=True):
        said = _run("reencode", str(video.pk))
    assert said.splitlines()[-1] == "1 video(s) queued for encoding."
    video.refresh_from_db()
    assert video.status == Video.Status.QUEUED
    [job] = _encodes(video.pk)
    assert job.status == TaskResultStatus.READY and job.queue_name == "encodes"
    assert job.args_kwargs["args"] == [video.pk, True]  # forced, as the admin's Re-encode


def test_retry_refuses_a_video_without_a_file(video):
    Video.objects.filter(pk=video.pk).update(original="")
    with pytest.raises(CommandError, match=f"video {video.pk} has no uploaded file to encode"):
        _run("retry", str(video.pk))
    with pytest.raises(CommandError, match="there is no video 999999"):
        _run("retry", "999999")


def test_retry_by_video_id_encodes_a_failed_video_again(video, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert _run("retry", str(video.pk)).strip() == f"video {video.pk} queued for encoding again"
    video.refresh_from_db()
    assert (video.status, video.error) == (Video.Status.QUEUED, "")
    assert _encodes(video.pk).filter(status=TaskResultStatus.READY).count() == 1
    # Queued now, so no longer failed: a second retry is refused and says what to do instead.
    with pytest.raises(CommandError, match=f"reencode {video.pk}` encodes it again anyway"):
        _run("retry", str(video.pk))


def test_retry_by_job_id(video, django_capture_on_commit_callbacks):
    failed_encode = process_video.enqueue(video.pk)
    failed_other = jobs.append_row.enqueue(7)
    DBTaskResult.objects.filter(pk__in=[failed_encode.id, failed_other.id]).update(
        status=TaskResultStatus.FAILED
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert _run("retry", str(failed_encode.id)).strip() == f"video {video.pk} queued for encoding again"
    assert _encodes(video.pk).filter(status=TaskResultStatus.READY).count() == 1
    said = _run("retry", str(failed_other.id)).strip()
    again = DBTaskResult.objects.get(task_path=failed_other.task.module_path, status=TaskResultStatus.READY)
    assert said == f"job {failed_other.id} queued again as job {again.id}"
    assert again.args_kwargs["args"] == [7]
    with pytest.raises(CommandError, match="has not failed"):
        _run("retry", str(again.id))
    with pytest.raises(CommandError, match="neither a video id"):
        _run("retry", "latest")
