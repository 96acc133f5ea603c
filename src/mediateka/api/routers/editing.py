"""Endpoints for editors: create and update films, upload captions, start a re-encode and follow it.

Each needs a token (401 without one) whose owner passes the admin's own test for the same change
(403 otherwise): an active staff member with the model permission.
"""

from typing import Literal

from django.db import transaction
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from mediateka.catalogue.models import Film
from mediateka.mission.translated import LANGUAGES
from mediateka.video.access import url_for
from mediateka.video.admin import CaptionTrackForm
from mediateka.video.models import CaptionTrack, Video
from mediateka.video.tasks import enqueue_processing

from .. import schemas
from ..auth import TokenAuth, may
from ..editing import Refusal, edited, save_film
from .films import router as films_router

router = Router(tags=["editing"], auth=TokenAuth())
# A path serves one view, so the film writes join the film reads' router (same paths, other methods).
WRITE = {"auth": TokenAuth(), "tags": ["editing"]}

DENIED = {"detail": "Your account may not make this change."}
REFUSED = {400: schemas.Error, 401: schemas.Error, 403: schemas.Error, 422: schemas.Error}


def _refused(errors: dict[str, list[str]]):
    return Status(
        422, {"detail": [{"field": field, "messages": messages} for field, messages in errors.items()]}
    )


@films_router.post(
    "/films",
    **WRITE,
    response={201: schemas.FilmEdited, **REFUSED},
    summary="Create a film (needs catalogue.add_film)",
    operation_id="films_create",
)
def film_create(request, payload: schemas.FilmIn):
    if not may(request.auth, "catalogue.add_film"):
        return Status(403, DENIED)
    try:
        film = save_film(Film(), payload, partial=False)
    except Refusal as refusal:
        return _refused(refusal.errors)
    return Status(201, edited(film))


@films_router.patch(
    "/films/{slug}",
    **WRITE,
    response={200: schemas.FilmEdited, 404: schemas.Error, **REFUSED},
    summary="Change a film, whatever its status (needs catalogue.change_film)",
    operation_id="films_update",
)
def film_update(request, slug: schemas.Key, payload: schemas.FilmPatch):
    if not may(request.auth, "catalogue.change_film"):
        return Status(403, DENIED)
    film = get_object_or_404(Film, slug=slug)
    try:
        film = save_film(film, payload, partial=True)
    except Refusal as refusal:
        return _refused(refusal.errors)
    return Status(200, edited(film))


@router.post(
    "/films/{slug}/versions/{version}/captions",
    response={200: schemas.CaptionUploaded, 201: schemas.CaptionUploaded, 404: schemas.Error, **REFUSED},
    summary="Upload an SRT or WebVTT caption file for one version (needs video.add_captiontrack, "
    "or video.change_captiontrack to replace one)",
    operation_id="captions_upload",
)
def caption_upload(
    request,
    slug: schemas.Key,
    version: schemas.Key,
    file: File[UploadedFile],
    language: Form[Literal[LANGUAGES]],
    kind: Form[CaptionTrack.Kind] = CaptionTrack.Kind.SUBTITLES,
    source: Form[CaptionTrack.Source] = CaptionTrack.Source.HUMAN,
):
    video = get_object_or_404(Video, film__slug=slug, language=version)
    existing = CaptionTrack.objects.filter(video=video, language=language, kind=kind).first()
    permission = "video.change_captiontrack" if existing else "video.add_captiontrack"
    if not may(request.auth, permission):
        return Status(403, DENIED)
    form = CaptionTrackForm(
        data={"video": video.pk, "language": language, "kind": kind, "source": source},
        files={"upload": file},
        instance=existing,
    )
    if not form.is_valid():
        return _refused({field: list(messages) for field, messages in form.errors.items()})
    with transaction.atomic():
        track = form.save()
    result = {
        "film": slug,
        "version": version,
        "language": track.language,
        "kind": track.kind,
        "source": track.source,
        "cues": track.cue_count,
        "url": request.build_absolute_uri(url_for(track.file, public=video.film.is_public)),
        "replaced": existing is not None,
    }
    return Status(200 if existing else 201, result)


@router.get(
    "/films/{slug}/versions/{version}/encoding",
    response={200: schemas.VersionEncoding, 404: schemas.Error, **REFUSED},
    summary="Where a version is in the pipeline, and why it failed if it did (needs video.view_video)",
    operation_id="versions_encoding",
)
def encoding_state(request, slug: schemas.Key, version: schemas.Key):
    if not may(request.auth, "video.view_video"):
        return Status(403, DENIED)
    video = get_object_or_404(Video, film__slug=slug, language=version)
    return Status(
        200,
        {
            "film": slug,
            "version": version,
            "status": video.status,
            "status_name": str(video.get_status_display()),
            "progress": video.progress,
            "error": video.error,
            "playable": video.current_encoding_id is not None,
        },
    )


@router.post(
    "/films/{slug}/versions/{version}/reencode",
    response={202: schemas.Reencode, 404: schemas.Error, 409: schemas.Error, **REFUSED},
    summary="Encode a version again from its original (needs video.change_video)",
    operation_id="versions_reencode",
)
def reencode(request, slug: schemas.Key, version: schemas.Key):
    if not may(request.auth, "video.change_video"):
        return Status(403, DENIED)
    video = get_object_or_404(Video, film__slug=slug, language=version)
    if not video.original:
        return Status(409, {"detail": "This version has no original file to encode; upload one first."})
    with transaction.atomic():
        enqueue_processing(video, force=True)
    return Status(202, {"film": slug, "version": version, "status": video.status})
