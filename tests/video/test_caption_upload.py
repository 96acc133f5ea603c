from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from mediateka.catalogue.models import Film
from mediateka.video.models import CaptionTrack, Video

SRT_RU = (
    "1\r\n00:00:01,000 --> 00:00:03,500\r\nМигранты едут в Москву.\r\n\r\n"
    "2\r\n00:00:04,000 --> 00:00:06,000\r\nЁлка\r\n"
)


def _video(db) -> Video:
    film = Film.objects.create(slug="captioned", title="Captioned")
    return Video.objects.create(film=film, language="ru", duration=10.0)


def _post(client, video, data: bytes, name="subs.srt", kind="subtitles"):
    return client.post(
        "/admin/video/captiontrack/add/",
        {
            "video": video.pk,
            "language": "ru",
            "kind": kind,
            "source": "human",
            "upload": SimpleUploadedFile(name, data),
        },
    )


def test_editor_uploads_windows_1251_srt_and_it_is_stored_as_utf8_webvtt(client, db, editor):
    client.force_login(editor)
    video = _video(db)
    response = _post(client, video, SRT_RU.encode("cp1251"))
    assert response.status_code == 302, response.content.decode()[:3000]
    track = CaptionTrack.objects.get()
    stored = default_storage.open(track.file).read().decode("utf-8")
    assert stored.startswith("WEBVTT")
    assert "00:00:01.000 --> 00:00:03.500" in stored
    assert "Мигранты едут в Москву." in stored
    assert track.cue_count == 2
    assert track.file.endswith(".vtt")


def test_caption_faults_are_reported_with_their_line_numbers_and_nothing_is_stored(client, db, editor):
    client.force_login(editor)
    video = _video(db)
    bad = "1\n00:00:01,000 --> 00:00:0x,000\nBroken\n\n2\n00:00:09,000 --> 00:00:14,000\nToo late\n"
    response = _post(client, video, bad.encode())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Line 2" in html
    assert "Line 6" in html
    assert not CaptionTrack.objects.exists()


def test_replacing_a_caption_file_gives_it_a_new_address_and_removes_the_old(client, db, editor):
    client.force_login(editor)
    video = _video(db)
    _post(client, video, SRT_RU.encode("utf-8"))
    track = CaptionTrack.objects.get()
    old = track.file
    response = client.post(
        f"/admin/video/captiontrack/{track.pk}/change/",
        {
            "video": video.pk,
            "language": "ru",
            "kind": "subtitles",
            "source": "human",
            "upload": SimpleUploadedFile("new.vtt", b"WEBVTT\n\n00:01.000 --> 00:02.000\nNew\n"),
        },
    )
    assert response.status_code == 302
    track.refresh_from_db()
    assert track.file != old
    assert not default_storage.exists(old)
    assert "New" in default_storage.open(track.file).read().decode()


def test_outreach_officer_cannot_upload_captions(client, db, outreach_officer):
    client.force_login(outreach_officer)
    assert _post(client, _video(db), SRT_RU.encode()).status_code == 403
    assert not CaptionTrack.objects.exists()
