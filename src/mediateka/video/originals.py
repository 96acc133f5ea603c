"""A version's original files: the one that plays, and a replacement waiting for its encoding.

A new file for a version that already plays does not touch what plays: it waits as the pending
original until its encoding is published. Only the pointer flip makes it the original, writes what
the probe measured in it, and (after the commit) deletes the file it replaces. A replacement that
fails to encode leaves the old original, its duration and size, and its ladder exactly as they were;
encoding again retries the replacement. A version that plays nothing takes a new file at once.
"""

import logging

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from . import tasks
from .models import Encoding, Video
from .probe import ProbeResult

log = logging.getLogger(__name__)

_PENDING_CLEARED = {
    "pending_original": "",
    "pending_original_name": "",
    "pending_original_size": None,
    "pending_sha256": "",
}


def _delete_after_commit(names) -> None:
    doomed = sorted({name for name in names if name})

    def delete() -> None:
        for name in doomed:
            # Another version, or the row as it stands now, may name the file: then it stays.
            if (
                Video.objects.filter(original=name).exists()
                or Video.objects.filter(pending_original=name).exists()
            ):
                continue
            try:
                default_storage.delete(name)
            except OSError:
                log.exception("could not delete the replaced original %s", name)

    if doomed:
        transaction.on_commit(delete)


def receive(video: Video, *, name: str, filename: str, size: int, sha256: str) -> None:
    """Makes a checked file, already in storage under `name`, the version's next original.

    Runs inside a transaction that holds the video's row (select_for_update); queues the encoding.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("receive() runs inside the transaction that holds the video's row")
    playing = video.current_encoding_id is not None
    if sha256 and sha256 == video.to_encode.sha256 and video.to_encode.name:
        # The same bytes again: keep the copy the library has, and encode it unless it is the very
        # file that plays (then there is nothing to do; a failed encode is retried).
        _delete_after_commit([name])
        current = Encoding.objects.filter(pk=video.current_encoding_id).first()
        if current is None or current.source_sha256 != sha256:
            tasks.enqueue_processing(video)
        return
    if playing:
        fields = {
            "pending_original": name,
            "pending_original_name": filename,
            "pending_original_size": size,
            "pending_sha256": sha256,
        }
        doomed = [video.pending_original]  # a replacement that never played
    else:
        fields = {
            "original": name,
            "original_name": filename,
            "original_size": size,
            "sha256": sha256,
            **_PENDING_CLEARED,
        }
        doomed = [video.original, video.pending_original]
    Video.objects.filter(pk=video.pk).update(**fields, updated_at=timezone.now())
    for field, value in fields.items():
        setattr(video, field, value)
    _delete_after_commit(n for n in doomed if n != name)
    tasks.enqueue_processing(video)


def published(video: Video, encoding: Encoding, found: ProbeResult) -> dict | None:
    """The fields the pointer flip writes besides the pointer, or None if the encoding is stale.

    Runs inside the publishing transaction. The encoding's source becomes the original (a waiting
    replacement is promoted; the file it replaces is deleted after the commit), and what the probe
    measured in that source becomes the version's metadata. An encoding of a file that has been
    replaced meanwhile (another upload while it ran) is not published: the newer file's job follows.
    """
    row = Video.objects.select_for_update().get(pk=video.pk)
    measured = {
        "duration": found.duration,
        "width": found.width,
        "height": found.height,
        "frame_rate": found.frame_rate,
        "video_codec": found.video_codec or "",
        "audio_codec": found.audio_codec or "",
        "rotation": found.rotation,
        "audio_channels": found.audio_channels,
    }
    source = encoding.source_sha256
    if row.pending_original and source == row.pending_sha256:
        _delete_after_commit([row.original] if row.original != row.pending_original else [])
        return {
            **measured,
            "original": row.pending_original,
            "original_name": row.pending_original_name,
            "original_size": row.pending_original_size,
            "sha256": row.pending_sha256,
            **_PENDING_CLEARED,
        }
    if row.original and source == row.sha256:
        return measured
    return None
