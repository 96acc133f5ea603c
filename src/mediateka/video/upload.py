"""Resumable uploads over poor connections: the tus 1.0 protocol (creation, checksum, termination).

A client creates an upload, then sends the file in chunks; after a dropped connection it asks for
the stored offset (HEAD) and goes on from there. Chunks stream to disk, never into memory. Each
request writes its chunk to a file of its own and appends it to the upload's file only while it
is the upload's one writer (a claim on the row, see models.Upload); a second request at the same
time is answered 423 at once. A chunk with an Upload-Checksum is appended only if its digest
matches. The request that completes the file is answered as soon as the bytes are stored: the
checks and the move into the media storage are a job (intake), whose outcome GET shows.
"""

import base64
import binascii
import hashlib
import os
import re
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.db import transaction
from django.db.models.functions import Now
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from mediateka.catalogue.models import Film

from . import intake
from .models import SPOKEN_LANGUAGES, Upload, Video
from .tasks import finish_upload

TUS_VERSION = "1.0.0"
PIECE = 64 * 1024
CHECKSUM_ALGORITHMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256}
# A writer renews its claim this often while its chunk arrives (a claim goes stale after a minute).
CLAIM_RENEW_SECONDS = 10
MAX_FILENAME = 255
_WHOLE_NUMBER = re.compile(r"[0-9]{1,19}")
_FILM_ID = re.compile(r"[1-9][0-9]{0,17}")
_SHA256 = re.compile(r"[0-9a-f]{64}")


def _tus(response: HttpResponse) -> HttpResponse:
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    return response


def _error(status: int, message: str) -> HttpResponse:
    return _tus(HttpResponse(message, status=status, content_type="text/plain; charset=utf-8"))


def _metadata(header: str) -> dict[str, str]:
    values = {}
    for pair in filter(None, (item.strip() for item in header.split(","))):
        key, _, encoded = pair.partition(" ")
        try:
            values[key] = base64.b64decode(encoded, validate=True).decode("utf-8") if encoded else ""
        except (binascii.Error, UnicodeDecodeError):
            raise ValueError(f"Upload-Metadata value for {key!r} is not base64 UTF-8.") from None
    return values


def _may_upload(user) -> bool:
    return (
        user.is_active
        and user.is_staff
        and user.has_perm("video.add_video")
        and user.has_perm("video.change_video")
    )


def _create(request) -> HttpResponse:
    raw_length = request.headers.get("Upload-Length", "")
    if not _WHOLE_NUMBER.fullmatch(raw_length):
        return _error(400, "Upload-Length must be a whole number.")
    try:
        meta = _metadata(request.headers.get("Upload-Metadata", ""))
    except ValueError as error:
        return _error(400, str(error))
    length = int(raw_length)
    if length <= 0:
        return _error(400, "The file is empty.")
    if length > settings.MEDIATEKA_MAX_UPLOAD_BYTES:
        return _error(
            413, f"The file is {length} bytes; the limit is {settings.MEDIATEKA_MAX_UPLOAD_BYTES} bytes."
        )
    filename = Path(meta.get("filename", "")).name
    if len(filename) > MAX_FILENAME or any(ord(c) < 32 or ord(c) == 127 for c in filename):
        return _error(
            400, f"The file name must be at most {MAX_FILENAME} characters, none of them control characters."
        )
    extension = Path(filename).suffix.lower().lstrip(".")
    if extension not in settings.MEDIATEKA_ACCEPTED_CONTAINERS:
        accepted = ", ".join(settings.MEDIATEKA_ACCEPTED_CONTAINERS)
        return _error(415, f"Files of type .{extension or '?'} are not accepted; accepted: {accepted}.")
    film_id = meta.get("film", "")
    film = Film.objects.filter(pk=film_id).first() if _FILM_ID.fullmatch(film_id) else None
    if film is None:
        return _error(400, "Upload-Metadata must name an existing film (film id).")
    language = meta.get("language", "")
    if language not in dict(SPOKEN_LANGUAGES):
        return _error(400, f"Unknown spoken language {language!r}.")
    sha256 = meta.get("sha256", "").lower()
    if sha256 and not _SHA256.fullmatch(sha256):
        return _error(400, "The sha256 metadata must be 64 hexadecimal digits.")
    # Only the row: the version is made (or given its new file) once the file has been checked,
    # and the upload's file when its first bytes arrive.
    upload = Upload.objects.create(
        film=film,
        language=language,
        filename=filename,
        length=length,
        expected_sha256=sha256,
        created_by=request.user,
    )
    response = _tus(HttpResponse(status=201))
    response["Location"] = request.build_absolute_uri(f"/upload/{upload.id}")
    response["Upload-Offset"] = "0"
    return response


@never_cache
@staff_member_required
def uploads(request):
    if request.method == "OPTIONS":
        response = _tus(HttpResponse(status=204))
        response["Tus-Version"] = TUS_VERSION
        response["Tus-Extension"] = "creation,checksum,termination"
        response["Tus-Max-Size"] = str(settings.MEDIATEKA_MAX_UPLOAD_BYTES)
        response["Tus-Checksum-Algorithm"] = ",".join(CHECKSUM_ALGORITHMS)
        return response
    if not _may_upload(request.user):
        return _error(403, "You may not upload videos.")
    if request.method == "POST":
        return _create(request)
    if request.method == "GET":
        films = Film.objects.order_by("title")
        asked = request.GET.get("film", "")
        selected = Film.objects.filter(pk=asked).first() if asked.isdigit() else None
        return render(
            request,
            "video/upload.html",
            {
                **admin.site.each_context(request),
                "film": selected,
                "films": films,
                "languages": SPOKEN_LANGUAGES,
                "selected_film": asked,
                "selected_language": Video.objects.language_of_a_new_version(selected),
                "max_bytes": settings.MEDIATEKA_MAX_UPLOAD_BYTES,
                "accepted": settings.MEDIATEKA_ACCEPTED_CONTAINERS,
                "upload_messages": {
                    "uploading": _("Uploaded %(done)s of %(total)s MB"),
                    "retrying": _("Connection lost; trying again in %(seconds)s s…"),
                    "waiting": _("The previous piece is still arriving; trying again in %(seconds)s s…"),
                    "resuming": _("Resuming from %(done)s MB"),
                    "processing": _("Upload complete: %(status)s"),
                    "ready": _("The video is ready."),
                    "see_film": _("See the film's page"),
                    "add_captions": _("Add captions"),
                    "failed": _("Refused:"),
                },
            },
        )
    return _error(405, "Use POST to create an upload.")


def _at(status: int, message: str, offset: int) -> HttpResponse:
    response = _error(status, message)
    response["Upload-Offset"] = str(offset)
    return response


def _body(request):
    """The chunk's bytes as a stream, and its declared length (None: not declared); or an error.

    With a Content-Length, Django's request reads exactly that many bytes. A body in chunked
    transfer encoding has none: Django would read nothing from it, so it is read straight from the
    server's input where the server ends that input with the body (wsgi.input_terminated, as
    gunicorn does), and refused with 411 elsewhere, never dropped quietly.
    """
    declared = request.META.get("CONTENT_LENGTH") or ""
    if declared:
        if not _WHOLE_NUMBER.fullmatch(declared):
            return None, None, _error(400, "Content-Length must be a whole number.")
        return request, int(declared), None
    if request.META.get("wsgi.input_terminated"):
        return request.META["wsgi.input"], None, None
    return None, None, _error(411, "Send the chunk with a Content-Length header.")


def _claim(upload: Upload, writer: str) -> bool:
    """Makes this request the upload's only writer, unless another live request is; across hosts."""
    free = Upload.objects.filter(pk=upload.pk, state=Upload.State.RECEIVING).unclaimed(
        intake.CLAIM_STALE_SECONDS
    )
    return bool(free.update(writer=writer, writing_since=Now()))


def _still_mine(upload: Upload, writer: str) -> bool:
    return bool(Upload.objects.filter(pk=upload.pk, writer=writer).update(writing_since=Now()))


def _release(upload: Upload, writer: str, **fields) -> None:
    Upload.objects.filter(pk=upload.pk, writer=writer).update(writer="", writing_since=None, **fields)


def _append(request, upload: Upload) -> HttpResponse:
    if request.content_type != "application/offset+octet-stream":
        return _error(415, "Content-Type must be application/offset+octet-stream.")
    raw_offset = request.headers.get("Upload-Offset", "")
    if not _WHOLE_NUMBER.fullmatch(raw_offset):
        return _error(400, "Upload-Offset must be a whole number.")
    claimed = int(raw_offset)
    checksum = request.headers.get("Upload-Checksum", "")
    digest = expected = None
    if checksum:
        algorithm, _, encoded = checksum.partition(" ")
        if algorithm not in CHECKSUM_ALGORITHMS:
            return _error(400, f"Checksum algorithm {algorithm!r} is not supported.")
        digest = CHECKSUM_ALGORITHMS[algorithm]()
        try:
            expected = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            expected = b""
        if len(expected) != digest.digest_size:
            return _error(400, "Upload-Checksum must be the algorithm and the base64 of its digest.")
    body, declared, refusal = _body(request)
    if refusal:
        return refusal
    if upload.state != Upload.State.RECEIVING:
        return _at(409, "This upload has ended; start a new one to send the file again.", upload.length)
    offset = upload.offset
    if claimed and not upload.part_path.exists():
        # With many web nodes the bytes so far are on the node that took them (nginx_config routes
        # every request of an upload there); this one has none of them. The client asks for the
        # offset again and goes on from what this address answers.
        return _at(
            409,
            f"This server holds none of the upload's first {claimed} bytes (another web node took them); "
            "ask for the offset again and go on from there.",
            0,
        )
    if claimed != offset:
        return _at(409, f"The upload is at byte {offset}, not {claimed}.", offset)
    room = upload.length - offset
    if declared is not None and declared > room:
        return _error(413, f"The chunk goes past the declared length of {upload.length} bytes.")
    writer = get_random_string(24)
    if not _claim(upload, writer):
        if not Upload.objects.filter(pk=upload.pk, state=Upload.State.RECEIVING).exists():
            return _at(409, "This upload has ended; start a new one to send the file again.", upload.length)
        return _at(
            423, "Another request is sending this upload; ask for its offset and go on from there.", offset
        )
    try:
        return _receive(body, upload, writer, claimed, room, digest, expected)
    finally:
        _release(upload, writer)
        upload.chunk_path(writer).unlink(missing_ok=True)


def _receive(body, upload: Upload, writer: str, claimed: int, room: int, digest, expected) -> HttpResponse:
    """Reads the chunk into this request's own file, then appends it while still the only writer.

    The upload's file thus only ever grows by whole chunks (or, with no checksum, by what arrived
    of one before the connection dropped, as tus allows), in order: it stays a true prefix.
    """
    offset = upload.offset  # again, now that nobody else may change it
    if offset != claimed:
        return _at(409, f"The upload is at byte {offset}, not {claimed}.", offset)
    settings.MEDIATEKA_UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    chunk = upload.chunk_path(writer)
    written, dropped = 0, False
    renewed = time.monotonic()
    with open(chunk, "xb") as out:
        while True:
            try:
                piece = body.read(PIECE)
            except OSError:  # the client went away in the middle of the chunk
                dropped = True
                break
            if not piece:
                break
            written += len(piece)
            if written > room:
                return _error(413, f"The chunk goes past the declared length of {upload.length} bytes.")
            if digest:
                digest.update(piece)
            out.write(piece)
            if time.monotonic() - renewed > CLAIM_RENEW_SECONDS:
                if not _still_mine(upload, writer):
                    return _at(409, "The upload was taken over by another request.", upload.offset)
                renewed = time.monotonic()
        out.flush()
        os.fsync(out.fileno())
    if digest and (dropped or digest.digest() != expected):
        return _at(460, "Checksum mismatch: the chunk was discarded; send it again.", offset)
    if written and not _still_mine(upload, writer):
        return _at(409, "The upload was taken over by another request.", upload.offset)
    if written:
        with open(chunk, "rb") as source, open(upload.part_path, "ab") as part:
            shutil.copyfileobj(source, part, 1024 * 1024)
            part.flush()
            os.fsync(part.fileno())
    offset += written
    complete = offset == upload.length
    with transaction.atomic():
        if complete:
            # The bytes are all stored: the answer goes now; checking and storing the file is a job.
            Upload.objects.filter(pk=upload.pk, state=Upload.State.RECEIVING).update(
                state=Upload.State.CHECKING,
                completed_at=timezone.now(),
                touched_at=Now(),
                writer="",
                writing_since=None,
            )
            transaction.on_commit(lambda: finish_upload.enqueue(str(upload.pk)))
        elif written:
            _release(upload, writer, touched_at=Now())
    response = _tus(HttpResponse(status=204))
    response["Upload-Offset"] = str(offset)
    return response


def _status(item: Upload) -> dict:
    """What the upload page shows: the upload's own state, then its version's once it is accepted."""
    status, label, progress, error = item.state, item.get_state_display(), 0.0, ""
    if item.state == Upload.State.RECEIVING:
        status, progress = "uploading", round(100 * item.offset / item.length, 1)
    elif item.state == Upload.State.REFUSED:
        error = item.reason
    elif item.state == Upload.State.ACCEPTED:
        video = Video.objects.filter(film_id=item.film_id, language=item.language).first()
        if video is not None:
            status, label, progress = video.status, video.get_status_display(), video.progress
            error = video.error if video.status == Video.Status.FAILED else ""
    done = {}
    if status == Video.Status.READY:
        # Where the editor goes next: the film as the public sees it, and its captions.
        done = {
            "film_url": video.film.get_absolute_url(),
            "captions_url": reverse("admin:video_captiontrack_add") + f"?video={video.pk}",
        }
    return {
        "offset": item.offset,
        "length": item.length,
        "ended": item.state != Upload.State.RECEIVING,
        "status": status,
        "status_label": str(label),
        "progress": progress,
        "error": error,
        **done,
    }


def _terminate(item: Upload) -> HttpResponse:
    if item.state == Upload.State.CHECKING:
        return _error(409, "The file is being checked; it can no longer be withdrawn.")
    writer = get_random_string(24)
    if item.state == Upload.State.RECEIVING and not _claim(item, writer):
        return _error(423, "Another request is sending this upload; try again when it has finished.")
    intake.remove_files(item)
    item.delete()
    return _tus(HttpResponse(status=204))


@never_cache
@staff_member_required
def upload(request, upload_id):
    if not _may_upload(request.user):
        return _error(403, "You may not upload videos.")
    item = get_object_or_404(Upload, pk=upload_id)
    if request.method == "HEAD":
        response = _tus(HttpResponse(status=200))
        response["Upload-Offset"] = str(item.offset)
        response["Upload-Length"] = str(item.length)
        return response
    if request.method == "PATCH":
        return _append(request, item)
    if request.method == "DELETE":
        return _terminate(item)
    if request.method == "GET":
        return JsonResponse(_status(item))
    return _error(405, "Method not allowed.")
