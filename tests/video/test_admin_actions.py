from django_tasks_db.models import DBTaskResult

from mediateka.video.models import Video

from . import factories


def test_reencode_action_queues_a_forced_encode_after_commit(
    client, db, editor, clip, django_capture_on_commit_callbacks
):
    video = factories.video_with_original(factories.film(), clip("action.mp4", seconds=2))
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/video/video/", {"action": "reencode", "_selected_action": [video.pk]}, follow=True
        )
    assert "1 video queued for encoding." in response.content.decode()
    job = DBTaskResult.objects.get()
    assert job.task_path == "mediateka.video.tasks.process_video"
    assert job.args_kwargs["args"] == [video.pk, True]
    assert Video.objects.get(pk=video.pk).status == Video.Status.QUEUED


def test_video_admin_shows_encoding_progress(client, db, editor, clip):
    video = factories.video_with_original(factories.film(), clip("action.mp4", seconds=2))
    Video.objects.filter(pk=video.pk).update(status=Video.Status.ENCODING, progress=42.4)
    client.force_login(editor)
    assert "Encoding · 42%" in client.get("/admin/video/video/").content.decode()


def test_encode_again_queues_the_failed_videos_only(
    client, db, editor, clip, django_capture_on_commit_callbacks
):
    film = factories.film()
    failed = factories.video_with_original(film, clip("action.mp4", seconds=2), language="tg")
    ready = factories.video_with_original(film, clip("action.mp4", seconds=2), language="ru")
    Video.objects.filter(pk=failed.pk).update(
        status=Video.Status.FAILED, error="Storing the encoding failed."
    )
    Video.objects.filter(pk=ready.pk).update(status=Video.Status.READY)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/video/video/",
            {"action": "encode_again", "_selected_action": [failed.pk, ready.pk]},
            follow=True,
        )
    page = response.content.decode()
    assert "1 video queued for encoding." in page
    assert "1 video was left alone: it has not failed, or has no uploaded file." in page
    job = DBTaskResult.objects.get()
    assert job.args_kwargs["args"] == [failed.pk, True]
    assert Video.objects.get(pk=failed.pk).status == Video.Status.QUEUED
    assert Video.objects.get(pk=ready.pk).status == Video.Status.READY


def test_video_admin_shows_why_a_video_failed(client, db, editor, clip):
    video = factories.video_with_original(factories.film(), clip("action.mp4", seconds=2))
    reason = "Storing the encoding failed: Operation not permitted. It will be tried again in 5 minutes."
    Video.objects.filter(pk=video.pk).update(status=Video.Status.FAILED, error=reason)
    client.force_login(editor)
    assert f'Failed · <span title="{reason}">' in client.get("/admin/video/video/").content.decode()
    change = client.get(f"/admin/video/video/{video.pk}/change/").content.decode()
    assert "reason for failure" in change.lower() and reason in change
