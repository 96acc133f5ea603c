"""From an uploaded original to a published encoding: probe, encode, store, flip the pointer.

Each step may be run again: a crash anywhere leaves the previous encoding playing and, at worst,
an unfinished encoding that the next run sweeps away.
"""

import errno
import logging
import os
import re
from datetime import timedelta

from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from mediateka.catalogue import changes

from . import originals, scratch
from .ladder_run import EncodeError, FFmpegUnavailable, run_ladder
from .models import Encoding, Rung, Video
from .probe import ProbeError, probe
from .storage import delete_tree, local_copy, store_tree

log = logging.getLogger(__name__)

# The retry policy. A failure that may pass by itself (storage or the database out of reach) is
# tried again after each of these pauses in turn, then left failed; a worker that vanished mid-job
# counts as such a failure (its job is queued again at once by the surviving workers). A failure
# that trying again cannot mend (a source FFmpeg cannot encode, an FFmpeg that cannot start) is left
# failed at once. Either way the video says why, and an editor can start it again.
RETRY_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=25))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


class EncodeFailed(Exception):
    """Raised by process() once the failure is on record; `retry_in` says when to try again, if ever."""

    def __init__(self, reason: str, retry_in: timedelta | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_in = retry_in


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
    # The ladder's ProgressMeter reports at most once a second; 100 waits for the pointer flip.
    return lambda percent: _set(video, progress=round(min(percent, 99.9), 1))


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


def process(video_id: int, *, force: bool = False, attempt: int = 1) -> str:
    """Encodes and publishes a video; returns what happened, or raises EncodeFailed once it is on record.

    `attempt` counts the tries of this encode (1 for the first), for the retry policy.
    """
    video = Video.objects.select_related("current_encoding").filter(pk=video_id).first()
    if video is None:
        return "no such video"  # deleted while its job waited
    current = video.current_encoding
    original = video.to_encode  # a replacement for the playing original, else that original
    if not force and current is not None and current.source_sha256 == original.sha256:
        if video.status in (Video.Status.QUEUED, Video.Status.FAILED):  # queued or retried for nothing
            _set(video, status=Video.Status.READY, progress=100, error="")
        return "already encoded"
    if not original.name:
        return refuse(video, "There is no uploaded file to encode.")
    run = _Run()
    try:
        return _encode(video, original, run)
    except Exception as error:
        retry_in = retry_delay(error, attempt, run.step)
        reason = failure_reason(run.step, error, attempt=attempt, retry_in=retry_in)
        log.warning("video %s: %s (attempt %s)", video.pk, reason, attempt, exc_info=error)
        _record_failure(video, run.encoding, reason)
        raise EncodeFailed(reason, retry_in) from error


class _Run:
    """How far an encode got: the step under way and the encoding it is building."""

    def __init__(self):
        self.step = PREPARING
        self.encoding: Encoding | None = None


PREPARING = "Preparing the encode"
READING = "Reading the uploaded file"
CHECKING = "Checking the uploaded file"
ENCODING = "Encoding"
STORING = "Storing the encoding"
PUBLISHING = "Publishing the encoding"


def _encode(video: Video, original, run: _Run) -> str:
    sweep(video)
    run.step = READING
    with local_copy(original.name) as source:
        run.step = CHECKING
        found = inspect(video, source, filename=original.filename or None)
        if found is None:
            return video.error
        run.step = PREPARING
        _set(video, status=Video.Status.ENCODING)
        run.encoding = Encoding.objects.create(video=video, source_sha256=original.sha256)
        with scratch.folder() as work:
            run.step = ENCODING
            result = run_ladder(source, work, found, on_progress=_progress_saver(video))
            run.step = STORING
            store_tree(result.master_playlist.parent, run.encoding.storage_dir)
            run.step = PUBLISHING
            _publish(video, run.encoding, result, found)
    return "encoded"


def is_transient(error: BaseException, step: str = "") -> bool:
    """Whether trying again later may succeed without anybody changing anything."""
    if isinstance(error, EncodeError):
        # FFmpeg refused the source, or could not start: the same again next time. A full scratch
        # disk, or FFmpeg stopped from outside (the OOM killer, a shutdown), may pass.
        if isinstance(error, FFmpegUnavailable):
            return False
        return error.interrupted or "No space left on device" in error.stderr_tail
    # Object storage raises its client's own errors, not OSError: whatever fails while the storage
    # is read or written is taken for the storage being out of reach.
    return isinstance(error, OSError | OperationalError | InterfaceError) or step in (READING, STORING)


def retry_delay(error: BaseException, attempt: int, step: str = "") -> timedelta | None:
    if not is_transient(error, step) or attempt >= MAX_ATTEMPTS:
        return None
    return RETRY_DELAYS[attempt - 1]


def failure_reason(step: str, error: BaseException, *, attempt: int, retry_in: timedelta | None) -> str:
    """What an editor reads: the step that failed, why in a few words, and what happens next."""
    if isinstance(error, FFmpegUnavailable):
        cause = error.__cause__
        why = (cause.strerror if isinstance(cause, OSError) else None) or "it is missing or broken"
        reason = (
            f"FFmpeg could not be started ({why}); an administrator must check the FFmpeg program "
            "on the server (MEDIATEKA_FFMPEG)."
        )
    elif isinstance(error, EncodeError) and error.interrupted:
        reason = "FFmpeg was stopped before it finished (the server may have run short of memory)."
    elif isinstance(error, EncodeError):
        reason = f"FFmpeg could not encode the file: {_ffmpeg_says(error)}"
    else:
        reason = f"{step} failed: {_short(error)}"
    if retry_in is not None:
        minutes = max(1, round(retry_in.total_seconds() / 60))
        return f"{reason} It will be tried again in {minutes} minute{'s' if minutes != 1 else ''}."
    if is_transient(error, step):
        return f"{reason} It was tried {attempt} times and will not be tried again by itself."
    return reason


# For OSErrors raised with a message of their own (Django's storage does), which names server paths.
_ERRNO_OF = {
    FileExistsError: errno.EEXIST,
    FileNotFoundError: errno.ENOENT,
    IsADirectoryError: errno.EISDIR,
    NotADirectoryError: errno.ENOTDIR,
    PermissionError: errno.EACCES,
}


def _short(error: BaseException) -> str:
    if isinstance(error, OSError):
        # Its strerror ("Permission denied") says what happened without naming server paths.
        code = error.errno or _ERRNO_OF.get(type(error))
        text = error.strerror or (os.strerror(code) if code else type(error).__name__)
    else:
        text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return _sentence(text[:200])


_FFMPEG_PREFIX = re.compile(r"^\[[^\]]*\]\s*")  # "[Parsed_bwdif_0 @ 0x55…] "


_FFMPEG_ERROR = re.compile(r"error|invalid|not supported|could not|cannot|no such|failed", re.IGNORECASE)


def _ffmpeg_says(error: EncodeError) -> str:
    # The first error FFmpeg logged is the cause (the later ones are the other outputs giving up);
    # warnings may come before it.
    lines = [_FFMPEG_PREFIX.sub("", line).strip() for line in error.stderr_tail.splitlines()]
    lines = [line for line in lines if line]
    cause = next((line for line in lines if _FFMPEG_ERROR.search(line)), lines[0] if lines else "")
    return _sentence((cause or error.message.splitlines()[0])[:300])


def _sentence(text: str) -> str:
    text = text.strip().rstrip(".")
    return f"{text[:1].upper()}{text[1:]}." if text else "Unknown error."


def _record_failure(video: Video, encoding: Encoding | None, reason: str) -> None:
    """Puts the failure on record and sweeps what the run built; each step on its own, so that one
    failing (storage or database still out of reach) neither stops the others nor hides the reason."""
    steps = [lambda: refuse(video, reason)]
    if encoding is not None:
        steps.append(lambda: _discard(encoding))
    for step in steps:
        try:
            step()
        except Exception:
            log.exception("video %s: could not finish recording its failure", video.pk)


def _discard(encoding: Encoding) -> None:
    # Never the encoding a video plays: a publish whose commit went through before its error did.
    if (
        Encoding.objects.abandoned()
        .filter(pk=encoding.pk)
        .update(state=Encoding.State.FAILED, finished_at=timezone.now())
    ):
        delete_tree(encoding.storage_dir)


def give_up(video_id: int, reason: str) -> str:
    """Leaves a video failed without trying (again), sweeping what earlier tries left behind."""
    video = Video.objects.filter(pk=video_id).first()
    if video is None:
        return "no such video"
    try:
        sweep(video)
    except Exception:
        log.exception("video %s: could not sweep its unfinished encodings", video.pk)
    return refuse(video, reason)


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
            stills=",".join(f"{width}x{height}" for width, height, _file in result.stills),
            download=result.download.name,
            download_bytes=result.download.stat().st_size,
            small_download=result.small.name if result.small else "",
            small_download_bytes=result.small.stat().st_size if result.small else 0,
        )
        # The pointer flip: from this commit on, players get the new encoding. An UPDATE sends no
        # model signal, so the film is said to have changed (search, media exposure, API version).
        _set(video, current_encoding=encoding, status=Video.Status.READY, progress=100, error="", **described)
        changes.touch([video.film_id])
