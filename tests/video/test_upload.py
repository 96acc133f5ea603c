import hashlib
import io
import re
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from mediateka.catalogue.models import Film
from mediateka.video.models import Upload, Video

from .tus import TUS, create, finish, patch, sha256_header, upload, url_of


@pytest.fixture
def film(db):
    return Film.objects.create(slug="upload-film", title="Upload film")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def _upload_of(url: str) -> Upload:
    return Upload.objects.get(pk=url.rsplit("/", 1)[1])


def _originals() -> list[str]:
    root = Path(default_storage.path("originals"))
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _queued(task: str) -> list[list]:
    return [job.args_kwargs["args"] for job in DBTaskResult.objects.filter(task_path=task)]


def test_upload_resumes_from_the_stored_offset_and_verifies_checksums(
    editor_client, film, clip, django_capture_on_commit_callbacks
):
    data = clip("upload.mp4", seconds=2).read_bytes()
    created = create(editor_client, film, data, sha256=hashlib.sha256(data).hexdigest())
    assert created.status_code == 201
    url = url_of(created)
    first, rest = data[:10_000], data[10_000:]
    assert patch(editor_client, url, first, 0, sha256_header(first))["Upload-Offset"] == "10000"
    # a chunk damaged on the way is discarded and the offset stays where it was
    damaged = patch(editor_client, url, rest[:5000], 10_000, sha256_header(b"something else"))
    assert damaged.status_code == 460
    # the connection drops; the client asks where to go on from
    assert editor_client.head(url, headers=TUS)["Upload-Offset"] == "10000"
    assert patch(editor_client, url, rest, 0).status_code == 409
    done = patch(editor_client, url, rest, 10_000, sha256_header(rest))
    assert done.status_code == 204
    assert done["Upload-Offset"] == str(len(data))
    with django_capture_on_commit_callbacks(execute=True):
        assert finish(_upload_of(url)) == "accepted"
    video = Video.objects.get(film=film, language="tg")
    assert video.sha256 == hashlib.sha256(data).hexdigest()
    assert video.original_size == len(data) and video.original_name == "film.mp4"
    assert video.status == Video.Status.QUEUED
    with default_storage.open(video.original) as stored:
        assert stored.read() == data
    assert _queued("mediateka.video.tasks.process_video") == [[video.pk, False]]
    assert not list(Path(_upload_of(url).part_path).parent.iterdir())  # no .part, no .chunk


def test_the_last_patch_is_answered_once_the_bytes_are_stored_and_a_job_checks_and_moves_them(
    editor_client, film, clip, django_capture_on_commit_callbacks
):
    data = clip("upload.mp4", seconds=2).read_bytes()
    url = url_of(create(editor_client, film, data))
    with django_capture_on_commit_callbacks(execute=True):
        done = patch(editor_client, url, data, 0)
    assert done.status_code == 204 and done["Upload-Offset"] == str(len(data))
    item = _upload_of(url)
    # The request only stored the bytes: no version, no stored original yet, the job is queued.
    assert item.state == Upload.State.CHECKING and item.completed_at is not None
    assert item.part_path.read_bytes() == data
    assert not Video.objects.exists() and _originals() == []
    assert _queued("mediateka.video.tasks.finish_upload") == [[str(item.pk)]]
    state = editor_client.get(url).json()
    assert (state["status"], state["status_label"], state["ended"]) == ("checking", "Checking the file", True)
    assert editor_client.head(url, headers=TUS)["Upload-Offset"] == str(len(data))
    inode = item.part_path.stat().st_ino

    with django_capture_on_commit_callbacks(execute=True):
        assert finish(item) == "accepted"
    video = Video.objects.get(film=film, language="tg")
    # Moved by a rename on the same file system, not copied: the stored original is the same file.
    assert Path(default_storage.path(video.original)).stat().st_ino == inode
    assert not item.part_path.exists()
    assert Upload.objects.get(pk=item.pk).state == Upload.State.ACCEPTED
    state = editor_client.get(url).json()
    assert (state["status"], state["status_label"], state["error"]) == ("queued", "Queued for encoding", "")
    assert _queued("mediateka.video.tasks.process_video") == [[video.pk, False]]
    # Running the job again changes nothing.
    assert finish(item) == "nothing to do"
    assert Video.objects.get().original == video.original


def test_a_whole_file_checksum_mismatch_is_refused_with_its_reason_and_leaves_nothing(
    editor_client, film, clip
):
    data = clip("upload.mp4", seconds=2).read_bytes()
    item = upload(editor_client, film, data, sha256="0" * 64)
    assert "SHA-256 does not match" in finish(item)
    state = editor_client.get(f"/upload/{item.pk}").json()
    assert state["status"] == "refused" and state["status_label"] == "Refused"
    assert state["error"] == (
        "The file's SHA-256 does not match the one sent when the upload began; upload it again."
    )
    assert not Video.objects.exists()
    assert not item.part_path.exists() and _originals() == []


def test_a_text_file_named_mp4_is_refused_with_the_reason_on_the_upload(editor_client, film):
    data = b"not a video at all\n" * 100
    item = upload(editor_client, film, data)
    reason = finish(item)
    assert "unreadable" in reason or "does not match" in reason
    refused = Upload.objects.get(pk=item.pk)
    assert (refused.state, refused.reason) == (Upload.State.REFUSED, reason)
    assert editor_client.get(f"/upload/{item.pk}").json()["error"] == reason
    # Nothing else: no version made for it, no file kept.
    assert not Video.objects.exists()
    assert not item.part_path.exists() and _originals() == []


def test_a_chunk_without_content_length_is_refused_with_411_and_not_dropped(editor_client, film):
    url = url_of(create(editor_client, film, b"x" * 100))
    # Chunked transfer encoding under a server that does not end the input with the body.
    response = patch(editor_client, url, b"y" * 50, 0, CONTENT_LENGTH="")
    assert response.status_code == 411
    assert response.content.decode() == "Send the chunk with a Content-Length header."
    assert editor_client.head(url, headers=TUS)["Upload-Offset"] == "0"


def test_a_chunked_body_is_stored_where_the_server_ends_the_input_with_it(editor_client, film):
    url = url_of(create(editor_client, film, b"x" * 100))
    # As gunicorn hands over a body in chunked transfer encoding: no Content-Length, a stream that
    # ends with the body.
    body = {"wsgi.input": io.BytesIO(b"y" * 60), "wsgi.input_terminated": True, "CONTENT_LENGTH": ""}
    response = patch(editor_client, url, b"", 0, CONTENT_TYPE="application/offset+octet-stream", **body)
    assert response.status_code == 204 and response["Upload-Offset"] == "60"
    assert _upload_of(url).part_path.read_bytes() == b"y" * 60


def test_too_large_and_wrong_type_uploads_are_refused_up_front(editor_client, film, settings):
    settings.MEDIATEKA_MAX_UPLOAD_BYTES = 1000
    too_big = create(editor_client, film, b"x" * 1001)
    assert too_big.status_code == 413
    assert "limit is 1000 bytes" in too_big.content.decode()
    wrong = create(editor_client, film, b"x" * 10, name="film.exe")
    assert wrong.status_code == 415
    assert ".exe are not accepted" in wrong.content.decode()
    assert not Video.objects.exists() and not Upload.objects.exists()


def test_a_chunk_past_the_declared_length_is_refused(editor_client, film):
    url = url_of(create(editor_client, film, b"x" * 100))
    assert patch(editor_client, url, b"y" * 150, 0).status_code == 413
    assert editor_client.head(url, headers=TUS)["Upload-Offset"] == "0"


class SlowBody(io.RawIOBase):
    """A request body that sends its first half, then waits (a slow phone) until `go` is set."""

    def __init__(self, data: bytes, go: threading.Event):
        self.data, self.go, self.position = data, go, 0
        self.halfway = threading.Event()

    def readable(self) -> bool:
        return True

    def read(self, size=-1) -> bytes:
        half = len(self.data) // 2
        if self.position == half and not self.go.is_set():
            self.halfway.set()
            self.go.wait(30)
        end = len(self.data) if size is None or size < 0 else self.position + size
        if self.position < half:
            end = min(end, half)
        piece = self.data[self.position : end]
        self.position += len(piece)
        return piece


def _patch_slowly(client, url, body: SlowBody, offset: int, answers: dict, **headers):
    answers["slow"] = client.generic(
        "PATCH",
        url,
        headers={**TUS, "Upload-Offset": str(offset), **headers},
        CONTENT_TYPE="application/offset+octet-stream",
        CONTENT_LENGTH=str(len(body.data)),
        **{"wsgi.input": body},
    )


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("checksums", [False, True])
def test_a_second_writer_is_refused_at_once_while_the_first_is_sending(transactional_db, editor, checksums):
    film = Film.objects.create(slug="busy", title="Busy")
    source = bytes(range(256)) * 400
    url = url_of(create(_signed_in(editor), film, source))
    first = source[:40_000]
    go, answers = threading.Event(), {}
    slow = SlowBody(first, go)
    extra = {"Upload-Checksum": sha256_header(first)} if checksums else {}
    sender = threading.Thread(
        target=_patch_slowly, args=(_signed_in(editor), url, slow, 0, answers), kwargs=extra
    )
    sender.start()
    try:
        assert slow.halfway.wait(30), "the first request never started reading its body"
        # Three other requests for the same offset while the first is halfway: each is told at once.
        for n in range(3):
            other = source[: 30_000 + n] if n else bytes(30_000)
            started = time.monotonic()
            refused = patch(_signed_in(editor), url, other, 0, sha256_header(other) if checksums else None)
            assert refused.status_code == 423, refused.content
            assert time.monotonic() - started < 5
            assert refused.content.decode() == (
                "Another request is sending this upload; ask for its offset and go on from there."
            )
    finally:
        go.set()
        sender.join(30)
    assert answers["slow"].status_code == 204 and answers["slow"]["Upload-Offset"] == str(len(first))
    item = _upload_of(url)
    assert item.part_path.read_bytes() == source[: len(first)]  # a true prefix, nothing interleaved
    assert sorted(p.name for p in item.part_path.parent.iterdir()) == [item.part_path.name]
    assert (item.writer, item.writing_since) == ("", None)
    # and the upload goes on from there
    assert patch(_signed_in(editor), url, source[len(first) :], len(first)).status_code == 204
    assert _upload_of(url).part_path.read_bytes() == source


def test_the_claim_of_a_writer_that_died_goes_stale(editor_client, film):
    url = url_of(create(editor_client, film, b"x" * 100))
    item = _upload_of(url)
    Upload.objects.filter(pk=item.pk).update(writer="dead", writing_since=timezone.now())
    assert patch(editor_client, url, b"y" * 10, 0).status_code == 423
    Upload.objects.filter(pk=item.pk).update(writing_since=timezone.now() - timedelta(minutes=2))
    assert patch(editor_client, url, b"y" * 10, 0).status_code == 204
    assert Upload.objects.filter(pk=item.pk, writer="").exists()


def test_an_upload_is_withdrawn_only_when_nobody_is_writing_to_it(editor_client, film):
    url = url_of(create(editor_client, film, b"x" * 100))
    assert patch(editor_client, url, b"y" * 10, 0).status_code == 204
    item = _upload_of(url)
    Upload.objects.filter(pk=item.pk).update(writer="busy", writing_since=timezone.now())
    assert editor_client.delete(url, headers=TUS).status_code == 423
    Upload.objects.filter(pk=item.pk).update(writer="", writing_since=None)
    assert editor_client.delete(url, headers=TUS).status_code == 204
    assert not Upload.objects.exists() and not item.part_path.exists()


@pytest.mark.parametrize("who", ["outsider", "outreach_officer"])
def test_only_editors_may_upload(client, film, who, request):
    client.force_login(request.getfixturevalue(who))
    response = create(client, film, b"x" * 10)
    assert response.status_code in (302, 403)
    assert not Upload.objects.exists()


def test_upload_needs_the_csrf_token(film, editor):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert create(strict, film, b"x" * 10).status_code == 403


def test_upload_page_is_linked_for_editors(editor_client, film):
    page = editor_client.get(f"/upload/?film={film.pk}")
    assert page.status_code == 200
    assert "video/upload.js" in page.content.decode()


def test_the_upload_page_offers_the_spoken_language_a_new_version_most_likely_has(
    editor_client, film, settings
):
    settings.LANGUAGE_CODE = "en"
    film.title_en, film.title_ru, film.title_tg = "", "Мы едем в Москву", "Мо ба Маскав меравем"
    film.save()

    def offered() -> str:
        page = editor_client.get(f"/upload/?film={film.pk}").content.decode()
        return re.search(r'<option value="(\w+)" selected>', page.split('id="language"')[1])[1]

    assert offered() == "ru"  # titled in Russian and Tajik, no English title: Russian comes first
    Video.objects.create(film=film, language="ru")
    assert offered() == "tg"  # the Russian version exists; the next one is likely Tajik
    Video.objects.create(film=film, language="tg")
    assert offered() == "en"  # nothing left that the titles suggest: the site's language
