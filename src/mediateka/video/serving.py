"""Serves encodings and captions from storage with HTTP Range, or hands them to nginx.

Originals are never served: only paths under encodings/ and captions/ resolve.
"""

import mimetypes
import re

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.views.decorators.http import require_safe

from .access import scope_of, signature_is_valid
from .models import CaptionTrack, Encoding
from .storage import stream_range

CONTENT_TYPES = {
    ".m3u8": "application/vnd.apple.mpegurl",
    ".m4s": "video/iso.segment",
    ".mp4": "video/mp4",
    ".vtt": "text/vtt; charset=utf-8",
    ".jpg": "image/jpeg",
}
CHUNK = 256 * 1024
_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")


def _film_of(path: str):
    """The film a media path belongs to, or None when the path is not a live file of ours."""
    kind, prefix = scope_of(path).split("/")
    if kind == "encodings":
        encoding = (
            Encoding.objects.select_related("video__film")
            .filter(prefix=prefix, state=Encoding.State.COMPLETE)
            .first()
        )
        return encoding.video.film if encoding else None
    track = (
        CaptionTrack.objects.select_related("video__film")
        .filter(file__startswith=f"captions/{prefix}/")
        .first()
    )
    return track.video.film if track else None


def content_type(path: str) -> str:
    for suffix, content_type in CONTENT_TYPES.items():
        if path.endswith(suffix):
            return content_type
    return mimetypes.guess_type(path)[0] or "application/octet-stream"


def _byte_range(header: str, size: int) -> tuple[int, int] | bool | None:
    """(first, last) for a satisfiable single range, None without one, False when unsatisfiable."""
    match = _RANGE.match(header.strip())
    if not match or match.groups() == ("", ""):
        return None  # a malformed or multi-range header is ignored, as RFC 9110 allows
    first, last = match.groups()
    if first == "":
        length = int(last)
        if length == 0:
            return False
        return max(0, size - length), size - 1
    first_byte = int(first)
    last_byte = min(int(last), size - 1) if last else size - 1
    if first_byte >= size or last_byte < first_byte:
        return False
    return first_byte, last_byte


def _serve(request, path: str, *, public: bool):
    if not default_storage.exists(path):
        raise Http404
    cache = "public, max-age=31536000, immutable" if public else "private, no-store"
    media_type = content_type(path)
    if settings.MEDIATEKA_ACCEL_REDIRECT:
        # nginx serves the bytes (and the ranges) from its internal location.
        response = HttpResponse(content_type=media_type)
        response["X-Accel-Redirect"] = settings.MEDIATEKA_ACCEL_REDIRECT.rstrip("/") + "/" + path
        response["Cache-Control"] = cache
        return response
    size = default_storage.size(path)
    byte_range = _byte_range(request.headers.get("Range", ""), size) if "Range" in request.headers else None
    if byte_range is False:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    first, last = byte_range or (0, size - 1)
    length = max(0, last - first + 1)
    response = StreamingHttpResponse(
        stream_range(path, first, length, CHUNK),
        status=206 if byte_range else 200,
        content_type=media_type,
    )
    if byte_range:
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = cache
    if public:  # partner sites embed the player and fetch segments from here
        response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def media(request, path: str):
    if scope_of(path) is None:
        raise Http404
    film = _film_of(path)
    if film is None or not film.is_public:
        raise Http404
    return _serve(request, path, public=True)


@require_safe
def media_signed(request, token: str, path: str):
    if not signature_is_valid(path, token) or _film_of(path) is None:
        raise Http404
    return _serve(request, path, public=False)
