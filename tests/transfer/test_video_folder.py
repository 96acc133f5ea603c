"""Bulk import of a folder of video files, matched to films by name and sent through the pipeline."""

import shutil
from io import StringIO

from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from mediateka.transfer.video_folder import import_folder
from mediateka.video import pipeline
from mediateka.video.models import Video
from tests.video.clips import make_clip


def test_files_are_matched_by_slug_and_queued_for_encoding(
    make_film, tmp_path, django_capture_on_commit_callbacks
):
    make_film("were-going-to-moscow", video=False)
    make_film("mehrubon", video=False)
    folder = tmp_path / "incoming"
    folder.mkdir()
    clip = make_clip(tmp_path / "clip.mp4", seconds=1, width=160, height=120)
    shutil.copy(clip, folder / "were-going-to-moscow.mp4")
    shutil.copy(clip, folder / "mehrubon.ru.mp4")
    shutil.copy(clip, folder / "unknown-film.mp4")
    (folder / "notes.txt").write_text("not a video")
    with django_capture_on_commit_callbacks(execute=True):
        report = import_folder(folder, default_language="tg")
    assert sorted((m.film.slug, m.language) for m in report.matched) == [
        ("mehrubon", "ru"),
        ("were-going-to-moscow", "tg"),
    ]
    assert len(report.skipped) == 2
    videos = Video.objects.select_related("film").order_by("film__slug")
    assert [(v.film.slug, v.language, v.status) for v in videos] == [
        ("mehrubon", "ru", "queued"),
        ("were-going-to-moscow", "tg", "queued"),
    ]
    jobs = DBTaskResult.objects.all()
    assert sorted(job.args_kwargs["args"][0] for job in jobs) == sorted(v.pk for v in videos)
    assert all(job.task_path == "mediateka.video.tasks.process_video" for job in jobs)
    # The queued job is the real pipeline: run it for one file and the version plays.
    video = videos[0]
    assert pipeline.process(video.pk) == "encoded"
    assert Video.objects.get(pk=video.pk).current_encoding is not None


def test_dry_run_lists_matches_and_changes_nothing(make_film, tmp_path):
    make_film("mehrubon", video=False)
    (tmp_path / "mehrubon.mp4").write_bytes(b"not really a video")
    (tmp_path / "mehrubon.xx.mp4").write_bytes(b"")
    out, err = StringIO(), StringIO()
    call_command("import_videos", str(tmp_path), "--dry-run", stdout=out, stderr=err)
    assert "Would import mehrubon.mp4 -> mehrubon (tg)" in out.getvalue()
    assert "mehrubon.xx.mp4" in err.getvalue()
    assert not Video.objects.exists()
