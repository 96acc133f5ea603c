"""What becomes of an upload once its last byte has arrived, and of one that nobody finishes.

The request that brings the last bytes only records that they are all there, so it is answered
as quickly as any other chunk. A job (tasks.finish_upload) then does the slow part: it hashes the
file, checks the SHA-256 the uploader announced, probes it, and moves it into the media storage
(a rename on the same file system) as its version's next original, which queues the encoding.
A refused upload leaves nothing behind but its reason, kept on the upload's row for the uploader.

The worker expires what is left behind (expire): uploads nobody has sent a byte to for
MEDIATEKA_UPLOAD_EXPIRY, the rows of ended uploads after as long, and stray files.
"""

import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.crypto import get_random_string

from . import originals, tasks
from .models import Upload, Video, ago
from .probe import ProbeError, probe
from .storage import move_into_storage

log = logging.getLogger(__name__)

# A request's claim on an upload is renewed while its body arrives; one this old is a dead writer's.
CLAIM_STALE_SECONDS = 60
# A file being checked for this long has lost its job (or the job failed): it is queued again.
RECHECK_AFTER_SECONDS = 3600

SHA_MISMATCH = "The file's SHA-256 does not match the one sent when the upload began; upload it again."
LOST = "The uploaded file is missing on the server; upload it again."
INCOMPLETE = "The file on the server is {size} bytes, not the {length} announced; upload it again."


def finish(upload_id) -> str:
    """The job: checks a fully received upload and stores it, or refuses it. Safe to run again."""
    upload = Upload.objects.filter(pk=upload_id).first()
    if upload is None or upload.state != Upload.State.CHECKING:
        return "nothing to do"
    if not upload.stored_as:
        sha256, refusal = _check(upload)
        if refusal:
            return _refuse(upload, refusal)
        name = f"originals/{get_random_string(24)}/source{Path(upload.filename).suffix.lower()}"
        # Recorded before the move, so that a run after a crash finds the file where it went.
        claimed = Upload.objects.filter(pk=upload.pk, state=Upload.State.CHECKING, stored_as="")
        if not claimed.update(stored_as=name, sha256=sha256):
            return "stored by another run"
        upload.stored_as, upload.sha256 = name, sha256
    if upload.part_path.exists():
        move_into_storage(upload.part_path, upload.stored_as)
    elif not default_storage.exists(upload.stored_as):
        return _refuse(upload, LOST)
    return _accept(upload)


def _check(upload: Upload) -> tuple[str, str]:
    """(sha256, "") for a file that may be stored, else ("", the reason it may not)."""
    part = upload.part_path
    try:
        size = part.stat().st_size
    except FileNotFoundError:
        return "", LOST
    if size != upload.length:
        return "", INCOMPLETE.format(size=size, length=upload.length)
    with part.open("rb") as handle:
        sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
    if upload.expected_sha256 and sha256 != upload.expected_sha256:
        return "", SHA_MISMATCH
    try:
        probe(part, max_duration=settings.MEDIATEKA_MAX_DURATION, filename=upload.filename)
    except ProbeError as error:
        return "", str(error)
    return sha256, ""


def _accept(upload: Upload) -> str:
    with transaction.atomic():
        row = Upload.objects.select_for_update().filter(pk=upload.pk, state=Upload.State.CHECKING).first()
        if row is None:
            return "nothing to do"
        video, _created = Video.objects.select_for_update().get_or_create(
            film_id=row.film_id, language=row.language
        )
        originals.receive(
            video, name=row.stored_as, filename=row.filename, size=row.length, sha256=row.sha256
        )
        Upload.objects.filter(pk=row.pk).update(state=Upload.State.ACCEPTED, touched_at=Now())
    log.info("upload %s accepted as %s", upload.pk, upload.stored_as)
    return "accepted"


def _refuse(upload: Upload, reason: str) -> str:
    with transaction.atomic():
        row = Upload.objects.select_for_update().filter(pk=upload.pk, state=Upload.State.CHECKING).first()
        if row is None:
            return reason
        Upload.objects.filter(pk=row.pk).update(
            state=Upload.State.REFUSED, reason=reason, stored_as="", touched_at=Now()
        )
    log.warning("upload %s refused: %s", upload.pk, reason)
    remove_files(row)
    if row.stored_as:
        _delete_unless_used(row.stored_as)
    return reason


def _delete_unless_used(name: str) -> None:
    if not (
        Video.objects.filter(original=name).exists() or Video.objects.filter(pending_original=name).exists()
    ):
        default_storage.delete(name)


def remove_files(upload: Upload) -> None:
    """The upload's bytes so far and any chunk a request left half-written."""
    upload.part_path.unlink(missing_ok=True)
    folder = settings.MEDIATEKA_UPLOAD_DIR
    if folder.is_dir():
        for chunk in folder.glob(f"{upload.pk}.*.chunk"):
            chunk.unlink(missing_ok=True)


def expire() -> dict[str, int]:
    """Removes what uploads leave behind; run by every worker now and then (any number may run it).

    - an upload nobody has written to for MEDIATEKA_UPLOAD_EXPIRY (and nobody is writing to now):
      its file and its row;
    - the row of an ended upload (refused or accepted) after as long: the uploader has seen it;
    - files in the upload folder that no upload owns any more, after as long;
    - a version that never had a file (left by uploads before they became rows of their own).
    A file still being checked is never expired: its job is queued again if it was lost.
    """
    expiry = settings.MEDIATEKA_UPLOAD_EXPIRY
    removed = {"abandoned": 0, "ended": 0, "files": 0, "videos": 0, "rechecked": 0}
    abandoned = (
        Upload.objects.filter(state=Upload.State.RECEIVING)
        .untouched_for(expiry)
        .unclaimed(CLAIM_STALE_SECONDS)
    )
    for upload in abandoned:
        # Deleted only if still abandoned at the DELETE: a request may have claimed it meanwhile.
        if abandoned.filter(pk=upload.pk).delete()[0]:
            remove_files(upload)
            removed["abandoned"] += 1
            log.info("expired the abandoned upload %s (%s)", upload.pk, upload.filename)
    removed["ended"] = (
        Upload.objects.filter(state__in=[Upload.State.REFUSED, Upload.State.ACCEPTED])
        .untouched_for(expiry)
        .delete()[0]
    )
    removed["files"] = _remove_stray_files(expiry)
    removed["videos"] = _remove_versions_without_file(expiry)
    for upload in Upload.objects.filter(state=Upload.State.CHECKING).untouched_for(RECHECK_AFTER_SECONDS):
        with transaction.atomic():
            if Upload.objects.filter(pk=upload.pk, state=Upload.State.CHECKING).update(touched_at=Now()):
                transaction.on_commit(lambda pk=str(upload.pk): tasks.finish_upload.enqueue(pk))
                removed["rechecked"] += 1
    return removed


def _remove_stray_files(expiry: int) -> int:
    folder = settings.MEDIATEKA_UPLOAD_DIR
    if not folder.is_dir():
        return 0
    owned = {
        str(pk) for pk in Upload.objects.filter(state=Upload.State.RECEIVING).values_list("pk", flat=True)
    }
    owned |= {
        str(pk) for pk in Upload.objects.filter(state=Upload.State.CHECKING).values_list("pk", flat=True)
    }
    cutoff = timezone.now().timestamp() - expiry
    count = 0
    for path in folder.iterdir():
        if not path.name.endswith((".part", ".chunk")) or not path.is_file():
            continue
        # A chunk is a request's own: old means its request died. A file's age guards the race
        # with an upload created after the rows were read.
        is_live_part = path.name.endswith(".part") and path.name.split(".")[0] in owned
        if not is_live_part and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            count += 1
    return count


def _remove_versions_without_file(expiry: int) -> int:
    doomed = (
        Video.objects.filter(
            original="",
            pending_original="",
            current_encoding__isnull=True,
            status__in=[Video.Status.UPLOADING, Video.Status.FAILED],
            updated_at__lt=ago(expiry),
        )
        .exclude(pk__in=Video.objects.filter(encodings__isnull=False).values("pk"))
        .exclude(pk__in=Video.objects.filter(captions__isnull=False).values("pk"))
    )
    return doomed.delete()[0]
