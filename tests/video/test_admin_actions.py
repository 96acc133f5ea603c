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
