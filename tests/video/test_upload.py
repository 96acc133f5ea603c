import base64
import hashlib

import pytest
from django.core.files.storage import default_storage

from mediateka.catalogue.models import Film
from mediateka.video.models import Upload, Video

TUS = {"Tus-Resumable": "1.0.0"}


def _meta(**values) -> str:
    return ",".join(f"{k} {base64.b64encode(str(v).encode()).decode()}" for k, v in values.items())


@pytest.fixture
def film(db):
    return Film.objects.create(slug="upload-film", title="Upload film")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def _create(client, film, data: bytes, name="film.mp4", **extra_meta):
    return client.post(
        "/upload/",
        headers={
            **TUS,
            "Upload-Length": str(len(data)),
            "Upload-Metadata": _meta(filename=name, film=film.pk, language="tg", **extra_meta),
        },
    )


def _patch(client, url, chunk: bytes, offset: int, checksum: str | None = None):
    headers = {**TUS, "Upload-Offset": str(offset)}
    if checksum:
        headers["Upload-Checksum"] = checksum
    return client.generic(
        "PATCH", url, chunk, content_type="application/offset+octet-stream", headers=headers
    )


def _sha256(chunk: bytes) -> str:
    return "sha256 " + base64.b64encode(hashlib.sha256(chunk).digest()).decode()


def test_upload_resumes_from_the_stored_offset_and_verifies_checksums(
    editor_client, film, clip, django_capture_on_commit_callbacks
):
    data = clip("upload.mp4", seconds=2).read_bytes()
    created = _create(editor_client, film, data, sha256=hashlib.sha256(data).hexdigest())
    assert created.status_code == 201
    url = created["Location"].removeprefix("http://testserver")
    first, rest = data[:10_000], data[10_000:]
    assert _patch(editor_client, url, first, 0, _sha256(first))["Upload-Offset"] == "10000"
    # a chunk damaged on the way is discarded and the offset stays where it was
    damaged = _patch(editor_client, url, rest[:5000], 10_000, _sha256(b"something else"))
    assert damaged.status_code == 460
    # the connection drops; the client asks where to go on from
    assert editor_client.head(url, headers=TUS)["Upload-Offset"] == "10000"
    assert _patch(editor_client, url, rest, 0).status_code == 409
    with django_capture_on_commit_callbacks() as callbacks:
        done = _patch(editor_client, url, rest, 10_000, _sha256(rest))
    assert done.status_code == 204
    assert done["Upload-Offset"] == str(len(data))
    video = Video.objects.get(film=film, language="tg")
    assert video.sha256 == hashlib.sha256(data).hexdigest()
    assert video.status == Video.Status.QUEUED
    assert video.width == 320 and video.duration == pytest.approx(2, abs=0.1)
    with default_storage.open(video.original) as stored:
        assert stored.read() == data
    assert len(callbacks) == 1  # the encode job, enqueued once the transaction commits
    assert not Upload.objects.get().part_path.exists()


def test_whole_file_checksum_mismatch_is_refused(editor_client, film, clip):
    data = clip("upload.mp4", seconds=2).read_bytes()
    url = _create(editor_client, film, data, sha256="0" * 64)["Location"]
    response = _patch(editor_client, url, data, 0)
    assert response.status_code == 460
    assert "SHA-256 does not match" in response.content.decode()
    assert Video.objects.get(film=film).status == Video.Status.FAILED


def test_a_text_file_named_mp4_is_refused_with_the_reason_on_record(editor_client, film):
    data = b"not a video at all\n" * 100
    url = _create(editor_client, film, data)["Location"]
    response = _patch(editor_client, url, data, 0)
    assert response.status_code == 422
    video = Video.objects.get(film=film)
    assert video.status == Video.Status.FAILED
    assert video.error == response.content.decode()
    assert "unreadable" in video.error or "does not match" in video.error
    assert not video.original


def test_too_large_and_wrong_type_uploads_are_refused_up_front(editor_client, film, settings):
    settings.MEDIATEKA_MAX_UPLOAD_BYTES = 1000
    too_big = _create(editor_client, film, b"x" * 1001)
    assert too_big.status_code == 413
    assert "limit is 1000 bytes" in too_big.content.decode()
    wrong = _create(editor_client, film, b"x" * 10, name="film.exe")
    assert wrong.status_code == 415
    assert ".exe are not accepted" in wrong.content.decode()
    assert not Video.objects.exists()


def test_a_chunk_past_the_declared_length_is_refused(editor_client, film):
    url = _create(editor_client, film, b"x" * 100)["Location"]
    assert _patch(editor_client, url, b"y" * 150, 0).status_code == 413
    assert editor_client.head(url, headers=TUS)["Upload-Offset"] == "0"


@pytest.mark.parametrize("who", ["outsider", "outreach_officer"])
def test_only_editors_may_upload(client, film, who, request):
    client.force_login(request.getfixturevalue(who))
    response = _create(client, film, b"x" * 10)
    assert response.status_code in (302, 403)
    assert not Upload.objects.exists()


def test_upload_needs_the_csrf_token(film, editor):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert _create(strict, film, b"x" * 10).status_code == 403


def test_upload_page_is_linked_for_editors(editor_client, film):
    page = editor_client.get(f"/upload/?film={film.pk}")
    assert page.status_code == 200
    assert "video/upload.js" in page.content.decode()
