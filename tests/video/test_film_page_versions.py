"""The film's page in the admin shows each version: its state, qualities and captions, and a retry."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks_db.models import DBTaskResult

from mediateka.video.models import Video

from . import factories

SRT_1251 = "1\r\n00:00:01,000 --> 00:00:02,500\r\nМы едем в Москву\r\n".encode("cp1251")


def test_each_version_shows_its_state_qualities_and_captions(client, editor, playable, clip):
    film = factories.film()
    ready = playable(film, "ru")
    failed = factories.video_with_original(film, clip("failed.mp4", seconds=1), language="tg")
    reason = "The file has neither a video nor a sound stream."
    Video.objects.filter(pk=failed.pk).update(status=Video.Status.FAILED, error=reason)
    client.force_login(editor)

    page = client.get(f"/admin/catalogue/film/{film.pk}/change/").content.decode()
    rungs = [rung.name for rung in ready.current_encoding.rungs.all()]
    assert ", ".join(rungs) in page and "144p" in rungs
    assert reason in page
    assert f'formaction="/admin/video/video/{failed.pk}/encode-again/"' in page
    assert f'formaction="/admin/video/video/{ready.pk}/encode-again/"' not in page  # only a failed one
    assert f"/admin/video/captiontrack/add/?video={ready.pk}" in page


def test_captions_added_from_the_film_page_come_back_to_it(client, editor, playable):
    film = factories.film()
    video = playable(film, "ru")
    client.force_login(editor)
    form = client.get(f"/admin/video/captiontrack/add/?video={video.pk}")
    assert f'value="{video.pk}" selected' in form.content.decode()
    saved = client.post(
        f"/admin/video/captiontrack/add/?video={video.pk}",
        {
            "video": video.pk,
            "language": "ru",
            "kind": "subtitles",
            "source": "human",
            "upload": SimpleUploadedFile("ru.srt", SRT_1251),
        },
    )
    assert saved.status_code == 302 and saved["Location"] == f"/admin/catalogue/film/{film.pk}/change/"
    page = client.get(saved["Location"]).content.decode()
    assert "The captions are saved." in page and "Russian</a>" in page


def test_the_retry_on_the_film_page_queues_a_failed_version_only_on_post(
    client, editor, outsider, clip, django_capture_on_commit_callbacks
):
    film = factories.film()
    failed = factories.video_with_original(film, clip("failed.mp4", seconds=1))
    Video.objects.filter(pk=failed.pk).update(status=Video.Status.FAILED, error="ffmpeg stopped.")
    url = f"/admin/video/video/{failed.pk}/encode-again/"
    client.force_login(outsider)
    assert client.post(url).status_code in (302, 403)
    client.force_login(editor)
    assert client.get(url).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response["Location"] == f"/admin/catalogue/film/{film.pk}/change/"
    assert DBTaskResult.objects.get().args_kwargs["args"] == [failed.pk, True]
    assert Video.objects.get(pk=failed.pk).status == Video.Status.QUEUED


def _publish_in_the_admin(client, film):
    form = client.get(f"/admin/catalogue/film/{film.pk}/change/").context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update(
        {
            "status": "published",
            "published_at_0": "",
            "published_at_1": "",
            "credits-TOTAL_FORMS": "0",
            "credits-INITIAL_FORMS": "0",
            "videos-TOTAL_FORMS": "0",
            "videos-INITIAL_FORMS": "0",
        }
    )
    data = {k: v for k, v in data.items() if k not in ("published_at", "collection", "project", "year")}
    return client.post(f"/admin/catalogue/film/{film.pk}/change/", data, follow=True)


def test_publishing_a_film_that_does_not_play_yet_warns_and_it_waits_below_those_that_do(
    client, editor, playable, django_capture_on_commit_callbacks
):
    older = factories.film("plays-already", status="draft")
    playable(older, "ru")
    newer = factories.film("no-video-yet", status="draft")
    client.force_login(editor)
    assert "no version of it plays yet" not in _publish_in_the_admin(client, older).content.decode()

    page = _publish_in_the_admin(client, newer).content.decode()
    newer.refresh_from_db()
    older.refresh_from_db()
    assert newer.status == "published" and newer.published_at > older.published_at
    assert "no version of it plays yet" in page

    client.logout()
    home = client.get("/en/").content.decode()
    assert home.index("/en/films/plays-already/") < home.index("/en/films/no-video-yet/")
    with django_capture_on_commit_callbacks(execute=True):  # the publication's news, as on commit
        playable(newer, "tg")
    home = client.get("/en/").content.decode()
    assert home.index("/en/films/no-video-yet/") < home.index("/en/films/plays-already/")
