"""The background jobs of the video pipeline (run by `mediateka worker`)."""

import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from . import pipeline
from .models import Video

log = logging.getLogger(__name__)


# Its own queue: run by the worker processes for encodes (settings.MEDIATEKA_WORKER_QUEUES).
@task(takes_context=True, queue_name="encodes")
def process_video(context, video_id: int, force: bool = False, attempt: int = 1) -> str:
    """Probes, encodes and publishes a video; a failure is on the video's record and fails this job.

    `attempt` is given to the retries that the retry policy (pipeline.RETRY_DELAYS) queues. A job
    run again because its worker vanished has one claim per run so far: each lost run counts too.
    """
    attempt += context.attempt - 1
    if attempt > pipeline.MAX_ATTEMPTS:
        return pipeline.give_up(
            video_id,
            f"The encode was started {attempt - 1} times without finishing, the last time because the "
            "worker running it stopped; it will not be tried again by itself.",
        )
    try:
        return pipeline.process(video_id, force=force, attempt=attempt)
    except pipeline.EncodeFailed as failure:
        if failure.retry_in is not None:
            try:
                _retry_later(video_id, force, attempt + 1, failure.retry_in)
            except Exception:
                log.exception("video %s: could not queue the next try", video_id)
        raise


def _retry_later(video_id: int, force: bool, attempt: int, delay) -> None:
    later = process_video.using(run_after=timezone.now() + delay)
    transaction.on_commit(lambda: later.enqueue(video_id, force, attempt=attempt))


@task()
def finish_upload(upload_id: str) -> str:
    """Checks a fully received upload (checksum, probe) and stores it, or refuses it with the reason."""
    from . import intake

    return intake.finish(upload_id)


def enqueue_processing(video: Video, *, force: bool = False) -> None:
    """Queues probing and encoding once the surrounding transaction has committed.

    Enqueuing inside the transaction could let the worker look for a video row it cannot see yet.
    A retry still waiting for its time is dropped: this job does what it would have done, now.
    """
    Video.objects.filter(pk=video.pk).update(status=Video.Status.QUEUED, error="", progress=0)
    video.status = Video.Status.QUEUED

    def enqueue() -> None:
        waiting_retries(video.pk).delete()
        process_video.enqueue(video.pk, force)

    transaction.on_commit(enqueue)


def waiting_retries(video_id: int):
    """The automatic retries of a video's encode not yet started."""
    return DBTaskResult.objects.filter(
        task_path=process_video.module_path,
        status=TaskResultStatus.READY,
        args_kwargs__args__0=video_id,
        args_kwargs__kwargs__has_key="attempt",
    )
