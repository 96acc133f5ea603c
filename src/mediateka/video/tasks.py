"""The background jobs of the video pipeline (run by `mediateka worker`)."""

from django.db import transaction
from django_tasks import task

from . import pipeline
from .models import Video


@task()
def process_video(video_id: int, force: bool = False) -> str:
    return pipeline.process(video_id, force=force)


@task()
def finish_upload(upload_id: str) -> str:
    """Checks a fully received upload (checksum, probe) and stores it, or refuses it with the reason."""
    from . import intake

    return intake.finish(upload_id)


def enqueue_processing(video: Video, *, force: bool = False) -> None:
    """Queues probing and encoding once the surrounding transaction has committed.

    Enqueuing inside the transaction could let the worker look for a video row it cannot see yet.
    """
    Video.objects.filter(pk=video.pk).update(status=Video.Status.QUEUED, error="", progress=0)
    video.status = Video.Status.QUEUED
    transaction.on_commit(lambda: process_video.enqueue(video.pk, force))
