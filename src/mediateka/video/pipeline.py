"""From an uploaded original to a published encoding: probe, encode, store, flip the pointer.

Each step may be run again: a crash anywhere leaves the previous encoding playing and, at worst,
an unfinished encoding that the next run sweeps away.
"""

import logging
import tempfile
import time
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import originals
from .ladder import EncodeError, run_ladder
from .models import Encoding, Rung, Video
from .probe import ProbeError, probe
from .storage import delete_tree, local_copy, store_tree

log = logging.getLogger(__name__)
PROGRESS_INTERVAL = 1.0


def _set(video: Video, **fields) -> None:
    # An UPDATE of named columns only: the admin may be editing the same row meanwhile.
    Video.objects.filter(pk=video.pk).update(**fields, updated_at=timezone.now())
    for name, value in fields.items():
        setattr(video, name, value)


def refuse(video: Video, reason: str) -> str:
    log.warning("video %s failed: %s", video.pk, reason)
    _set(video, status=Video.Status.FAILED, error=reason, progress=0)
    return reason


def sweep(video: Video | None = None) -> int:
    """Deletes unfinished encodings, and replaced ones older than the grace period."""
    abandoned = Encoding.objects.abandoned()
    cutoff = timezone.now() - timedelta(seconds=settings.MEDIATEKA_SUPERSEDED_GRACE_SECONDS)
    superseded = Encoding.objects.filter(state=Encoding.State.COMPLETE, finished_at__lt=cutoff).exclude(
        pk__in=Video.objects.filter(current_encoding__isnull=False).values("current_encoding")
    )
    doomed = list(abandoned) + list(superseded)
    if video is not None:
        doomed = [e for e in doomed if e.video_id == video.pk]
    for encoding in doomed:
        delete_tree(encoding.storage_dir)
        encoding.delete()
    return len(doomed)


def _progress_saver(video: Video):
    last = [0.0]

    def save(percent: float) -> None:
        now = time.monotonic()
        if percent >= 100 or now - last[0] >= PROGRESS_INTERVAL:
            last[0] = now
            _set(video, progress=round(min(percent, 99.9), 1))

    return save


def inspect(video: Video, path, *, filename: str | None = None):
    """Probes a file; returns the ProbeResult or None.

    A refusal is kept on the record (status failed, with the reason), while an encoding that is
    already playing goes on playing. What the probe measured is written by the pointer flip
    (_publish), so that a version goes on describing the file that plays.
    """
    _set(video, status=Video.Status.PROBING, error="", progress=0)
    try:
        found = probe(path, max_duration=settings.MEDIATEKA_MAX_DURATION, filename=filename)
    except ProbeError as error:
        refuse(video, str(error))
        return None
    _set(video, status=Video.Status.QUEUED)
    return found


def process(video_id: int, *, force: bool = False) -> str:
    video = Video.objects.select_related("current_encoding").get(pk=video_id)
    current = video.current_encoding
    original = video.to_encode  # a replacement for the playing original, else that original
    if not force and current is not None and current.source_sha256 == original.sha256:
        return "already encoded"
    if not original.name:
        return refuse(video, "There is no uploaded file to encode.")
    sweep(video)
    with local_copy(original.name) as source:
        found = inspect(video, source, filename=original.filename or None)
        if found is None:
            return video.error
        _set(video, status=Video.Status.ENCODING)
        encoding = Encoding.objects.create(video=video, source_sha256=original.sha256)
        settings.MEDIATEKA_WORK_DIR.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="encode-", dir=settings.MEDIATEKA_WORK_DIR) as scratch:
            try:
                result = run_ladder(source, scratch, found, on_progress=_progress_saver(video))
            except EncodeError as error:
                Encoding.objects.filter(pk=encoding.pk).update(state=Encoding.State.FAILED)
                return refuse(video, str(error))
            store_tree(result.master_playlist.parent, encoding.storage_dir)
            _publish(video, encoding, result, found)
    return "encoded"


def _publish(video: Video, encoding: Encoding, result, found) -> None:
    base = result.master_playlist.parent
    with transaction.atomic():
        # The source's metadata, and a replacement promoted to original; None: a newer file came.
        described = originals.published(video, encoding, found)
        if described is None:
            Encoding.objects.filter(pk=encoding.pk).update(state=Encoding.State.FAILED)
            return
        Rung.objects.bulk_create(
            Rung(
                encoding=encoding,
                name=encoded.rung.name,
                height=encoded.rung.height,
                width=encoded.rung.width,
                video_bitrate=encoded.rung.video_bitrate,
                audio_bitrate=encoded.rung.audio_bitrate,
                measured_bitrate=encoded.bitrate,
                codecs=encoded.rung.codecs,
                bytes=encoded.bytes,
                playlist=encoded.playlist.relative_to(base).as_posix(),
            )
            for encoded in result.rungs
        )
        Encoding.objects.filter(pk=encoding.pk).update(
            state=Encoding.State.COMPLETE,
            finished_at=timezone.now(),
            master_playlist=result.master_playlist.name,
            poster=result.poster.name,
            thumbnail=result.thumbnail.name,
            download=result.download.name,
            download_bytes=result.download.stat().st_size,
        )
        # The pointer flip: from this commit on, players get the new encoding.
        _set(video, current_encoding=encoding, status=Video.Status.READY, progress=100, error="", **described)
