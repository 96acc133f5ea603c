"""Encodes that fail: the video says why, nothing half-made stays, it is tried again when that can help."""

import errno
import os
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import OperationalError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mediateka.video import pipeline
from mediateka.video.binaries import ffmpeg_path
from mediateka.video.ladder_run import EncodeError, FFmpegUnavailable
from mediateka.video.models import Encoding, Video
from mediateka.video.tasks import process_video
from tests.video.clips import make_solid_clip

from . import factories


@pytest.fixture
def short_clip(clip):
    # 144p and the audio rung only: the quickest real encode that still stores a whole tree.
    return clip("failures.mp4", seconds=1, width=256, height=144)


def _run_job(job: DBTaskResult, *, claims: int = 1):
    """Runs a queued encode job here, as a worker would on its claim number `claims`."""
    context = SimpleNamespace(attempt=claims)
    return process_video.call(context, *job.args_kwargs["args"], **job.args_kwargs["kwargs"])


def _run_task(video_id: int, *, claims: int = 1, **kwargs):
    return process_video.call(SimpleNamespace(attempt=claims), video_id, **kwargs)


def _stored(prefix: str = "encodings") -> list[str]:
    root = Path(default_storage.path(prefix))
    return (
        sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
        if root.is_dir()
        else []
    )


def _scratch_folders(settings) -> list[Path]:
    return list(Path(settings.MEDIATEKA_WORK_DIR).glob("encode-*"))


@pytest.fixture
def unwritable_storage(settings):
    """Makes the encodings folder refuse every write, root's too; returns the function that mends it.

    An immutable folder (chattr +i) where the file system has the flag, else a plain file where the
    folder should be: chmod would not stop the tests, which run as root.
    """
    folder = Path(settings.MEDIA_ROOT) / "encodings"
    folder.mkdir(parents=True)
    chattr = shutil.which("chattr")
    immutable = bool(chattr) and subprocess.run([chattr, "+i", folder], capture_output=True).returncode == 0

    def mend():
        if immutable:
            subprocess.run([chattr, "-i", folder], check=True)
        elif folder.is_file():
            folder.unlink()

    if not immutable:
        folder.rmdir()
        folder.write_bytes(b"")
    yield mend
    mend()


def test_storage_failing_mid_job_leaves_the_video_failed_and_reencode_then_publishes_it_once(
    db, short_clip, settings, unwritable_storage, django_capture_on_commit_callbacks
):
    video = factories.video_with_original(factories.film(), short_clip)

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(pipeline.EncodeFailed):
        _run_task(video.pk)

    video.refresh_from_db()
    assert video.status == Video.Status.FAILED and video.progress == 0
    assert video.error.startswith("Storing the encoding failed: ")
    assert video.error.endswith(" It will be tried again in 1 minute.")
    assert str(settings.MEDIA_ROOT) not in video.error  # no server paths for the editor
    assert list(Encoding.objects.filter(video=video).values_list("state", flat=True)) == [
        Encoding.State.FAILED
    ]
    assert video.current_encoding is None
    assert _scratch_folders(settings) == []
    retry = DBTaskResult.objects.get()
    assert retry.args_kwargs == {"args": [video.pk, False], "kwargs": {"attempt": 2}}
    assert retry.run_after > timezone.now() + timedelta(seconds=50)
    assert retry.queue_name == "encodes"  # run by a worker's encode processes, like the first try

    unwritable_storage()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reencode", str(video.pk), stdout=open(os.devnull, "w"))  # noqa: SIM115
    job = DBTaskResult.objects.get()  # the waiting retry gave way to it
    assert job.args_kwargs["args"] == [video.pk, True] and job.queue_name == "encodes"
    assert Video.objects.get(pk=video.pk).status == Video.Status.QUEUED
    assert _run_job(job) == "encoded"

    video.refresh_from_db()
    assert video.status == Video.Status.READY and video.error == ""
    encoding = Encoding.objects.get(video=video)  # the failed one was swept, one published
    assert video.current_encoding == encoding and encoding.state == Encoding.State.COMPLETE
    assert {name.split("/")[0] for name in _stored()} == {encoding.prefix}


def test_storage_dropping_out_after_some_files_sweeps_what_was_stored(
    db, short_clip, settings, monkeypatch, django_capture_on_commit_callbacks
):
    # As object storage that drops the connection midway: some files are in, the rest never come.
    real_save = default_storage.save
    saved = []

    def save(name, content, *args, **kwargs):
        if len(saved) == 3:
            raise ConnectionResetError(errno.ECONNRESET, "Connection reset by peer")
        saved.append(name)
        return real_save(name, content, *args, **kwargs)

    video = factories.video_with_original(factories.film(), short_clip)
    monkeypatch.setattr(default_storage._wrapped, "save", save)  # real_save made it load
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(pipeline.EncodeFailed):
        _run_task(video.pk, attempt=3)

    video.refresh_from_db()
    assert len(saved) == 3 and all(name.startswith("encodings/") for name in saved)
    assert _stored() == []
    assert video.error == (
        "Storing the encoding failed: Connection reset by peer. It will be tried again in 25 minutes."
    )
    assert DBTaskResult.objects.get().args_kwargs["kwargs"] == {"attempt": 4}


def test_ffmpeg_that_cannot_start_fails_the_video_with_a_plain_reason_and_no_retry(
    db, short_clip, settings, tmp_path, django_capture_on_commit_callbacks
):
    video = factories.video_with_original(factories.film(), short_clip)
    not_a_program = tmp_path / "ffmpeg"
    not_a_program.write_text("#!/bin/sh\n")  # no execute bit: even root may not run it
    settings.FFMPEG_BINARY = str(not_a_program)
    ffmpeg_path.cache_clear()
    try:
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(pipeline.EncodeFailed) as failed:
            _run_task(video.pk)
    finally:
        ffmpeg_path.cache_clear()

    video.refresh_from_db()
    assert isinstance(failed.value.__cause__, FFmpegUnavailable)
    assert video.status == Video.Status.FAILED and video.progress == 0
    assert video.error == (
        "FFmpeg could not be started (Permission denied); an administrator must check the FFmpeg "
        "program on the server (MEDIATEKA_FFMPEG)."
    )
    assert list(Encoding.objects.filter(video=video).values_list("state", flat=True)) == [
        Encoding.State.FAILED
    ]
    assert not DBTaskResult.objects.exists()  # a setting to mend, not a passing outage
    assert _scratch_folders(settings) == []


def test_a_two_pixel_video_is_refused_by_the_probe_not_by_ffmpeg(db, tmp_path):
    tiny = make_solid_clip(tmp_path / "tiny.mp4", width=2, height=2)
    video = factories.video_with_original(factories.film(), tiny)

    reason = pipeline.process(video.pk)

    video.refresh_from_db()
    assert reason == video.error == "The picture is 2×2 pixels; a film needs at least 16 pixels on each side."
    assert video.status == Video.Status.FAILED
    assert not Encoding.objects.filter(video=video).exists()


@pytest.mark.parametrize(
    ("error", "step", "transient"),
    [
        (OSError(errno.EIO, "Input/output error"), pipeline.STORING, True),
        (OperationalError("server closed the connection unexpectedly"), pipeline.PUBLISHING, True),
        (RuntimeError("503 Slow Down"), pipeline.STORING, True),  # an object storage client's own error
        (EncodeError("ffmpeg failed", "Invalid data found when processing input"), pipeline.ENCODING, False),
        (
            EncodeError("ffmpeg failed", "Error writing trailer: No space left on device"),
            pipeline.ENCODING,
            True,
        ),
        (EncodeError("ffmpeg failed with exit status -9", "", returncode=-9), pipeline.ENCODING, True),
        (FFmpegUnavailable("ffmpeg could not be started"), pipeline.ENCODING, False),
        (ValueError("a bug"), pipeline.PUBLISHING, False),
    ],
)
def test_failures_that_may_pass_are_retried_with_growing_pauses_and_others_are_not(error, step, transient):
    delays = [pipeline.retry_delay(error, attempt, step) for attempt in (1, 2, 3, 4)]
    expected = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=25), None]
    assert delays == (expected if transient else [None] * 4)


def test_ffmpegs_refusal_of_a_source_is_told_by_its_first_line_without_its_internals():
    tail = (
        "[swscaler @ 0x7f52a0001c80] deprecated pixel format used, make sure you did set range correctly\n"
        "[Parsed_bwdif_0 @ 0x7f529c004440] Video with planes less than 3 columns or 4 lines "
        "is not supported\n"
        "[Parsed_bwdif_0 @ 0x7f529c004440] Failed to configure output pad on Parsed_bwdif_0\n"
        "[fc#0 @ 0x55a244cd1f00] Error reinitializing filters!"
    )
    error = EncodeError(f"ffmpeg failed with exit status 234:\n{tail}", tail, 234)

    assert pipeline.failure_reason(pipeline.ENCODING, error, attempt=1, retry_in=None) == (
        "FFmpeg could not encode the file: Video with planes less than 3 columns or 4 lines is not supported."
    )


def test_the_last_try_of_a_passing_failure_says_it_is_the_last():
    reason = pipeline.failure_reason(
        pipeline.STORING, OSError(errno.EROFS, "Read-only file system"), attempt=4, retry_in=None
    )
    assert reason == (
        "Storing the encoding failed: Read-only file system. "
        "It was tried 4 times and will not be tried again by itself."
    )


def test_a_job_whose_workers_kept_vanishing_is_given_up_without_encoding(db, short_clip):
    video = factories.video_with_original(factories.film(), short_clip)
    Video.objects.filter(pk=video.pk).update(status=Video.Status.ENCODING, progress=40)
    half = Encoding.objects.create(video=video)
    default_storage.save(half.path("master.m3u8"), __import__("io").BytesIO(b"#EXTM3U\n"))

    # The job of the second try (attempt=2), claimed for the fourth time: four runs before, none finished.
    reason = _run_task(video.pk, claims=4, attempt=2)

    video.refresh_from_db()
    assert (
        reason
        == video.error
        == (
            "The encode was started 4 times without finishing, the last time because the worker running "
            "it stopped; it will not be tried again by itself."
        )
    )
    assert video.status == Video.Status.FAILED and video.progress == 0
    assert not Encoding.objects.filter(video=video).exists() and _stored() == []


def test_a_job_queued_for_a_video_already_encoded_from_its_file_leaves_it_ready(db, short_clip, tmp_path):
    video = factories.video_with_original(factories.film(), short_clip)
    encoding = factories.stored_encoding(video, tmp_path / "tree")
    Encoding.objects.filter(pk=encoding.pk).update(source_sha256=video.sha256)
    Video.objects.filter(pk=video.pk).update(status=Video.Status.QUEUED)

    assert pipeline.process(video.pk) == "already encoded"
    assert Video.objects.get(pk=video.pk).status == Video.Status.READY  # it stayed "queued" for good


def test_reencode_command_queues_failed_videos_or_a_films_versions(
    db, short_clip, django_capture_on_commit_callbacks
):
    film = factories.film()
    failed = factories.video_with_original(film, short_clip, language="tg")
    fine = factories.video_with_original(film, short_clip, language="ru")
    empty = Video.objects.create(film=factories.film("no-file"), language="tg", status=Video.Status.FAILED)
    Video.objects.filter(pk=failed.pk).update(
        status=Video.Status.FAILED, error="Storing the encoding failed."
    )
    devnull = open(os.devnull, "w")  # noqa: SIM115

    with django_capture_on_commit_callbacks(execute=True):
        call_command("reencode", "--failed", stdout=devnull, stderr=devnull)
    assert [job.args_kwargs["args"] for job in DBTaskResult.objects.all()] == [[failed.pk, True]]
    assert Video.objects.get(pk=failed.pk).error == ""
    assert Video.objects.get(pk=empty.pk).status == Video.Status.FAILED  # nothing to encode

    DBTaskResult.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("reencode", "--film", film.slug, stdout=devnull)
    assert sorted(job.args_kwargs["args"][0] for job in DBTaskResult.objects.all()) == sorted(
        [failed.pk, fine.pk]
    )

    with pytest.raises(CommandError, match="There is no video 999999"):
        call_command("reencode", "999999", stdout=devnull)
    with pytest.raises(CommandError, match="no film"):
        call_command("reencode", "--film", "nonexistent", stdout=devnull)
