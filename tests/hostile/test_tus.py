"""Crafted tus requests through the real upload views, as a signed-in editor unless said otherwise.

Each is refused with its exact status and message, and leaves every table and stored file as it
was. The two refusals that can only come after the whole file has arrived (its SHA-256, its
content) leave exactly one thing: the upload's row with the reason, which the uploader reads.
"""

import base64
import hashlib
import io

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from mediateka.catalogue.models import Film, Status
from mediateka.video.models import Upload, Video
from tests.video.clips import make_clip
from tests.video.tus import TUS, create, finish, meta, patch, sha256_header, url_of

ACCEPTED = ", ".join(settings.MEDIATEKA_ACCEPTED_CONTAINERS)
NOT_A_FILM = "Upload-Metadata must name an existing film (film id)."
ENDED = "This upload has ended; start a new one to send the file again."


@pytest.fixture(autouse=True)
def _quick_passwords(settings):
    # Users are made for every case; the real hasher's deliberate slowness is not under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def film(db):
    return Film.objects.create(slug="hostile-film", title="Hostile film", status=Status.PUBLISHED)


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


@pytest.fixture
def started(editor_client, film):
    """An upload of 100 bytes of which 10 have arrived."""
    url = url_of(create(editor_client, film, b"x" * 100))
    assert patch(editor_client, url, b"0123456789", 0).status_code == 204
    return url


def _post(client, **headers):
    return client.post("/upload/", headers={**TUS, **headers})


def _says(response, status: int, message: str) -> None:
    assert (response.status_code, response.content.decode()) == (status, message)


def _upload_meta(for_film, **overrides) -> str:
    values = {"filename": "film.mp4", "film": for_film.pk, "language": "tg", **overrides}
    return meta(**values)


@pytest.mark.parametrize("length", ["abc", "-5", "1_000", " 7", "1e3", "", "99999999999999999999999"])
def test_an_upload_length_that_is_not_a_whole_number(editor_client, film, unchanged, length):
    with unchanged():
        response = _post(editor_client, **{"Upload-Length": length, "Upload-Metadata": _upload_meta(film)})
        _says(response, 400, "Upload-Length must be a whole number.")


def test_an_empty_file(editor_client, film, unchanged):
    with unchanged():
        response = _post(editor_client, **{"Upload-Length": "0", "Upload-Metadata": _upload_meta(film)})
        _says(response, 400, "The file is empty.")


def test_a_file_larger_than_the_limit(editor_client, film, unchanged):
    with unchanged():
        response = _post(
            editor_client, **{"Upload-Length": "9223372036854775807", "Upload-Metadata": _upload_meta(film)}
        )
        limit = settings.MEDIATEKA_MAX_UPLOAD_BYTES
        _says(response, 413, f"The file is 9223372036854775807 bytes; the limit is {limit} bytes.")


@pytest.mark.parametrize(
    "header",
    [
        "filename !!!not-base64!!!",
        "filename " + base64.b64encode(b"\xff\xfe.mp4").decode(),  # not UTF-8
    ],
)
def test_metadata_that_is_not_base64_utf8(editor_client, film, unchanged, header):
    with unchanged():
        response = _post(editor_client, **{"Upload-Length": "10", "Upload-Metadata": header})
        _says(response, 400, "Upload-Metadata value for 'filename' is not base64 UTF-8.")


@pytest.mark.parametrize(
    "film_id", ["999999", "0", "-1", "0x1", "1.0", " 1", "\u0661", "9" * 30, "", "1 OR 1=1"]
)
def test_a_film_that_does_not_exist_or_an_id_that_is_not_one(editor_client, film, unchanged, film_id):
    with unchanged():
        response = _post(
            editor_client, **{"Upload-Length": "10", "Upload-Metadata": _upload_meta(film, film=film_id)}
        )
        _says(response, 400, NOT_A_FILM)


@pytest.mark.parametrize(
    ("filename", "extension"),
    [("film.exe", ".exe"), ("film", ".?"), ("film.mp4.sh", ".sh"), ("../../etc/passwd", ".?")],
)
def test_a_file_type_that_is_not_accepted(editor_client, film, unchanged, filename, extension):
    with unchanged():
        response = _post(
            editor_client, **{"Upload-Length": "10", "Upload-Metadata": _upload_meta(film, filename=filename)}
        )
        _says(response, 415, f"Files of type {extension} are not accepted; accepted: {ACCEPTED}.")


@pytest.mark.parametrize("filename", ["film\x00.mp4", "film\n.mp4", "a" * 300 + ".mp4"])
def test_a_file_name_with_control_characters_or_too_long(editor_client, film, unchanged, filename):
    with unchanged():
        response = _post(
            editor_client, **{"Upload-Length": "10", "Upload-Metadata": _upload_meta(film, filename=filename)}
        )
        _says(response, 400, "The file name must be at most 255 characters, none of them control characters.")


def test_an_unknown_spoken_language(editor_client, film, unchanged):
    with unchanged():
        response = _post(
            editor_client, **{"Upload-Length": "10", "Upload-Metadata": _upload_meta(film, language="xx")}
        )
        _says(response, 400, "Unknown spoken language 'xx'.")


def test_an_announced_sha256_that_is_not_one(editor_client, film, unchanged):
    with unchanged():
        response = _post(
            editor_client, **{"Upload-Length": "10", "Upload-Metadata": _upload_meta(film, sha256="abc")}
        )
        _says(response, 400, "The sha256 metadata must be 64 hexadecimal digits.")


def test_a_signed_in_user_who_is_not_staff_is_sent_to_sign_in(client, outsider, film, unchanged):
    client.force_login(outsider)
    with unchanged():
        response = _post(client, **{"Upload-Length": "10", "Upload-Metadata": _upload_meta(film)})
        assert response.status_code == 302
        assert response["Location"] == "/admin/login/?next=/upload/"


def test_staff_without_the_right_to_add_videos(client, outreach_officer, film, unchanged):
    client.force_login(outreach_officer)
    with unchanged():
        _says(
            _post(client, **{"Upload-Length": "10", "Upload-Metadata": _upload_meta(film)}),
            403,
            "You may not upload videos.",
        )


def test_an_upload_without_the_csrf_token(editor, film, unchanged):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    with unchanged():
        response = _post(strict, **{"Upload-Length": "10", "Upload-Metadata": _upload_meta(film)})
        assert response.status_code == 403 and b"CSRF" in response.content


def test_another_users_chunk_needs_the_right_to_upload_too(client, outreach_officer, started, unchanged):
    client.force_login(outreach_officer)
    with unchanged():
        _says(patch(client, started, b"abc", 10), 403, "You may not upload videos.")


@pytest.mark.parametrize(
    "path", ["/upload/00000000-0000-0000-0000-000000000000", "/upload/not-a-uuid", "/upload/1"]
)
def test_an_upload_that_does_not_exist(editor_client, started, unchanged, path):
    with unchanged():
        assert patch(editor_client, path, b"abc", 0).status_code == 404
        assert editor_client.head(path, headers=TUS).status_code == 404
        assert editor_client.delete(path, headers=TUS).status_code == 404


def test_a_chunk_with_the_wrong_content_type(editor_client, started, unchanged):
    with unchanged():
        response = editor_client.generic(
            "PATCH",
            started,
            b"abc",
            content_type="application/octet-stream",
            headers={**TUS, "Upload-Offset": "10"},
        )
        _says(response, 415, "Content-Type must be application/offset+octet-stream.")


@pytest.mark.parametrize("offset", ["-1", "abc", "", "10.0"])
def test_an_upload_offset_that_is_not_a_whole_number(editor_client, started, unchanged, offset):
    with unchanged():
        response = editor_client.generic(
            "PATCH",
            started,
            b"abc",
            content_type="application/offset+octet-stream",
            headers={**TUS, "Upload-Offset": offset},
        )
        _says(response, 400, "Upload-Offset must be a whole number.")


@pytest.mark.parametrize("offset", [0, 5, 11, 100])
def test_a_chunk_at_the_wrong_offset(editor_client, started, unchanged, offset):
    with unchanged():
        response = patch(editor_client, started, b"abc", offset)
        _says(response, 409, f"The upload is at byte 10, not {offset}.")
        assert response["Upload-Offset"] == "10"


def test_a_chunk_past_the_declared_length(editor_client, started, unchanged):
    with unchanged():
        _says(
            patch(editor_client, started, b"y" * 91, 10),
            413,
            "The chunk goes past the declared length of 100 bytes.",
        )


def test_a_chunked_body_past_the_declared_length(editor_client, started, unchanged):
    # No Content-Length to refuse it by up front: it is refused once too much has arrived.
    body = {"wsgi.input": io.BytesIO(b"y" * 200_000), "wsgi.input_terminated": True, "CONTENT_LENGTH": ""}
    with unchanged():
        response = patch(
            editor_client, started, b"", 10, CONTENT_TYPE="application/offset+octet-stream", **body
        )
        _says(response, 413, "The chunk goes past the declared length of 100 bytes.")


def test_a_chunk_without_a_length_the_server_cannot_end(editor_client, started, unchanged):
    with unchanged():
        _says(
            patch(editor_client, started, b"abc", 10, CONTENT_LENGTH=""),
            411,
            "Send the chunk with a Content-Length header.",
        )


def test_a_content_length_that_is_not_a_number(editor_client, started, unchanged):
    with unchanged():
        _says(
            patch(editor_client, started, b"abc", 10, CONTENT_LENGTH="3x"),
            400,
            "Content-Length must be a whole number.",
        )


def test_a_chunk_whose_checksum_does_not_match(editor_client, started, unchanged):
    with unchanged():
        response = patch(editor_client, started, b"abc", 10, sha256_header(b"abd"))
        _says(response, 460, "Checksum mismatch: the chunk was discarded; send it again.")
        assert response["Upload-Offset"] == "10"


@pytest.mark.parametrize(
    ("checksum", "message"),
    [
        ("md5 kAFQmDzST7DWlj99KOF/cg==", "Checksum algorithm 'md5' is not supported."),
        ("sha256", "Upload-Checksum must be the algorithm and the base64 of its digest."),
        ("sha256 ***", "Upload-Checksum must be the algorithm and the base64 of its digest."),
        ("sha256 YWJj", "Upload-Checksum must be the algorithm and the base64 of its digest."),
        (
            "sha1 " + base64.b64encode(b"x" * 32).decode(),
            "Upload-Checksum must be the algorithm and the base64 of its digest.",
        ),
    ],
)
def test_a_checksum_header_that_cannot_be_used(editor_client, started, unchanged, checksum, message):
    with unchanged():
        _says(patch(editor_client, started, b"abc", 10, checksum), 400, message)


def test_a_chunk_while_another_request_is_writing(editor_client, started, unchanged):
    Upload.objects.update(writer="another", writing_since=timezone.now())
    with unchanged():
        response = patch(editor_client, started, b"abc", 10)
        _says(
            response, 423, "Another request is sending this upload; ask for its offset and go on from there."
        )
        _says(
            editor_client.delete(started, headers=TUS),
            423,
            "Another request is sending this upload; try again when it has finished.",
        )


def test_a_chunk_for_an_upload_that_has_ended(editor_client, film, unchanged):
    url = url_of(create(editor_client, film, b"x" * 10))
    assert patch(editor_client, url, b"x" * 10, 0).status_code == 204  # complete: being checked
    with unchanged():
        response = patch(editor_client, url, b"x", 10)
        _says(response, 409, ENDED)
        assert response["Upload-Offset"] == "10"
        _says(patch(editor_client, url, b"x" * 10, 0), 409, ENDED)
        _says(
            editor_client.delete(url, headers=TUS),
            409,
            "The file is being checked; it can no longer be withdrawn.",
        )
        _says(editor_client.put(url, b"x", headers=TUS), 405, "Method not allowed.")


def _only_the_refused_row_is_left(url: str, film, reason: str) -> None:
    """The one thing a refusal after the last byte leaves: the upload's row with its reason."""
    (row,) = Upload.objects.values("film", "language", "filename", "state", "reason", "stored_as", "sha256")
    assert row == {
        "film": film.pk,
        "language": "tg",
        "filename": "film.mp4",
        "state": "refused",
        "reason": reason,
        "stored_as": "",
        "sha256": "",
    }
    Upload.objects.all().delete()  # so that `unchanged` checks everything else


def test_a_text_file_named_mp4_is_refused_by_the_check_and_leaves_only_its_reason(
    editor_client, film, unchanged
):
    data = b"Dear editor, this is not a film.\n" * 40
    with unchanged():
        url = url_of(create(editor_client, film, data))
        _says(patch(editor_client, url, data, 0), 204, "")
        reason = finish(Upload.objects.get())
        state = editor_client.get(url).json()
        assert state == {
            "offset": len(data),
            "length": len(data),
            "ended": True,
            "status": "refused",
            "status_label": "Refused",
            "progress": 0.0,
            "error": reason,
        }
        assert reason.startswith(("The container is unreadable", "The file extension .mp4 does not match"))
        assert not Video.objects.exists()
        _only_the_refused_row_is_left(url, film, reason)


def test_a_file_whose_sha256_is_not_the_announced_one_leaves_only_its_reason(
    editor_client, film, tmp_path, unchanged
):
    data = make_clip(tmp_path / "hostile.mp4", seconds=1, width=64, height=48, audio=None).read_bytes()
    announced = hashlib.sha256(data + b"!").hexdigest()
    with unchanged():
        url = url_of(create(editor_client, film, data, sha256=announced))
        _says(patch(editor_client, url, data, 0), 204, "")
        reason = finish(Upload.objects.get())
        assert (
            reason == "The file's SHA-256 does not match the one sent when the upload began; upload it again."
        )
        assert editor_client.get(url).json()["error"] == reason
        _only_the_refused_row_is_left(url, film, reason)
