"""Resumable uploads over poor connections: the tus 1.0 protocol (creation, checksum, termination).

A client creates an upload, then sends the file in chunks; after a dropped connection it asks for
the stored offset (HEAD) and goes on from there. Chunks stream to disk, never into memory. A chunk
with an Upload-Checksum is written aside and appended only if its digest matches.
"""

import base64
import binascii
import hashlib
import os
from pathlib import Path

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from mediateka.catalogue.models import Film

from . import pipeline
from .models import SPOKEN_LANGUAGES, Upload, Video
from .tasks import enqueue_processing

TUS_VERSION = "1.0.0"
PIECE = 64 * 1024
CHECKSUM_ALGORITHMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256}


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
    try:
        length = int(request.headers.get("Upload-Length", ""))
        meta = _metadata(request.headers.get("Upload-Metadata", ""))
    except ValueError as error:
        return _error(
            400, str(error) if "Metadata" in str(error) else "Upload-Length must be a whole number."
        )
    if length <= 0:
        return _error(400, "The file is empty.")
    if length > settings.MEDIATEKA_MAX_UPLOAD_BYTES:
        return _error(
            413, f"The file is {length} bytes; the limit is {settings.MEDIATEKA_MAX_UPLOAD_BYTES} bytes."
        )
    filename = Path(meta.get("filename", "")).name
    extension = Path(filename).suffix.lower().lstrip(".")
    if extension not in settings.MEDIATEKA_ACCEPTED_CONTAINERS:
        accepted = ", ".join(settings.MEDIATEKA_ACCEPTED_CONTAINERS)
        return _error(415, f"Files of type .{extension or '?'} are not accepted; accepted: {accepted}.")
    film = Film.objects.filter(pk=meta.get("film", "") if meta.get("film", "").isdigit() else None).first()
    if film is None:
        return _error(400, "Upload-Metadata must name an existing film (film id).")
    language = meta.get("language", "")
    if language not in dict(SPOKEN_LANGUAGES):
        return _error(400, f"Unknown spoken language {language!r}.")
    sha256 = meta.get("sha256", "").lower()
    if sha256 and (len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256)):
        return _error(400, "The sha256 metadata must be 64 hexadecimal digits.")
    video, _created = Video.objects.get_or_create(film=film, language=language)
    upload = Upload.objects.create(
        video=video, filename=filename, length=length, expected_sha256=sha256, created_by=request.user
    )
    settings.MEDIATEKA_UPLOAD_DIR.mkdir(parents=True, exist_ok=True)
    upload.part_path.touch()
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
        return render(
            request,
            "video/upload.html",
            {
                "films": films,
                "languages": SPOKEN_LANGUAGES,
                "selected_film": request.GET.get("film", ""),
                "max_bytes": settings.MEDIATEKA_MAX_UPLOAD_BYTES,
                "accepted": settings.MEDIATEKA_ACCEPTED_CONTAINERS,
                "upload_messages": {
                    "uploading": _("Uploaded %(done)s of %(total)s MB"),
                    "retrying": _("Connection lost; trying again in %(seconds)s s…"),
                    "resuming": _("Resuming from %(done)s MB"),
                    "processing": _("Upload complete: %(status)s"),
                    "ready": _("The video is ready."),
                    "failed": _("Refused:"),
                },
            },
        )
    return _error(405, "Use POST to create an upload.")


def _append(request, upload: Upload) -> HttpResponse:
    if request.content_type != "application/offset+octet-stream":
        return _error(415, "Content-Type must be application/offset+octet-stream.")
    offset = upload.offset
    try:
        claimed = int(request.headers.get("Upload-Offset", ""))
    except ValueError:
        return _error(400, "Upload-Offset must be a whole number.")
    if claimed != offset:
        response = _error(409, f"The upload is at byte {offset}, not {claimed}.")
        response["Upload-Offset"] = str(offset)
        return response
    checksum = request.headers.get("Upload-Checksum", "")
    digest = expected = None
    if checksum:
        algorithm, _, encoded = checksum.partition(" ")
        if algorithm not in CHECKSUM_ALGORITHMS:
            return _error(400, f"Checksum algorithm {algorithm!r} is not supported.")
        try:
            expected = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            return _error(400, "Upload-Checksum must be base64.")
        digest = CHECKSUM_ALGORITHMS[algorithm]()
    room = upload.length - offset
    target = upload.part_path.with_suffix(".chunk") if digest else upload.part_path
    written = 0
    with open(target, "wb" if digest else "ab") as out:
        while True:
            piece = request.read(PIECE)
            if not piece:
                break
            written += len(piece)
            if written > room:
                break
            if digest:
                digest.update(piece)
            out.write(piece)
        out.flush()
        os.fsync(out.fileno())
    if written > room:
        if digest:
            target.unlink(missing_ok=True)
        else:
            os.truncate(upload.part_path, offset)
        return _error(413, f"The chunk goes past the declared length of {upload.length} bytes.")
    if digest:
        if digest.digest() != expected:
            target.unlink(missing_ok=True)
            response = _error(460, "Checksum mismatch: the chunk was discarded; send it again.")
            response["Upload-Offset"] = str(offset)
            return response
        with open(target, "rb") as chunk, open(upload.part_path, "ab") as out:
            while piece := chunk.read(PIECE):
                out.write(piece)
            out.flush()
            os.fsync(out.fileno())
        target.unlink()
    offset = upload.offset
    if offset == upload.length:
        refusal = _complete(upload)
        if refusal:
            return _error(460 if "SHA-256" in refusal else 422, refusal)
    response = _tus(HttpResponse(status=204))
    response["Upload-Offset"] = str(offset)
    return response


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while piece := handle.read(1024 * 1024):
            digest.update(piece)
    return digest.hexdigest()


def _end(upload: Upload) -> None:
    upload.part_path.unlink(missing_ok=True)
    Upload.objects.filter(pk=upload.pk).update(completed_at=timezone.now())


def _complete(upload: Upload) -> str:
    """Verifies, probes and stores a finished upload; returns the reason if it is refused."""
    video = upload.video
    sha256 = _file_sha256(upload.part_path)
    if upload.expected_sha256 and sha256 != upload.expected_sha256:
        _end(upload)
        return pipeline.refuse(
            video, "The file's SHA-256 does not match the one sent when the upload began; upload it again."
        )
    suffix = Path(upload.filename).suffix.lower()
    if pipeline.inspect(video, upload.part_path, filename=upload.filename) is None:
        _end(upload)
        return video.error
    name = f"originals/{get_random_string(24)}/source{suffix}"
    with open(upload.part_path, "rb") as handle:
        stored = default_storage.save(name, File(handle))
    upload.part_path.unlink()
    previous = video.original
    with transaction.atomic():
        Upload.objects.filter(pk=upload.pk).update(completed_at=timezone.now())
        Video.objects.filter(pk=video.pk).update(
            original=stored, original_name=upload.filename, original_size=upload.length, sha256=sha256
        )
        video.refresh_from_db()
        enqueue_processing(video)
    if previous and previous != stored:
        default_storage.delete(previous)
    return ""


@never_cache
@staff_member_required
def upload(request, upload_id):
    if not _may_upload(request.user):
        return _error(403, "You may not upload videos.")
    item = get_object_or_404(Upload.objects.select_related("video"), pk=upload_id)
    if request.method == "HEAD":
        response = _tus(HttpResponse(status=200))
        response["Upload-Offset"] = str(item.offset)
        response["Upload-Length"] = str(item.length)
        return response
    if request.method == "PATCH":
        if item.completed_at:
            return _error(409, "This upload has ended; start a new one to send the file again.")
        return _append(request, item)
    if request.method == "DELETE":
        item.part_path.unlink(missing_ok=True)
        item.part_path.with_suffix(".chunk").unlink(missing_ok=True)
        item.delete()
        return _tus(HttpResponse(status=204))
    if request.method == "GET":
        video = item.video
        return JsonResponse(
            {
                "offset": item.offset if not item.completed_at else item.length,
                "length": item.length,
                "ended": bool(item.completed_at),
                "status": video.status,
                "status_label": str(video.get_status_display()),
                "progress": video.progress,
                "error": video.error,
            }
        )
    return _error(405, "Method not allowed.")
