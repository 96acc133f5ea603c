"""The job queue as an operator sees it (`mediateka manage jobs`), and failed jobs run again (`retry`);
a failed encode by the same path as the editor's "Encode again" (video.tasks.enqueue_processing), as
`mediateka manage reencode` (video) does for any video."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from mediateka.ops.jobs_log import video_of
from mediateka.video.models import Video
from mediateka.video.tasks import enqueue_processing, process_video


class Refused(Exception):
    """The job or video cannot be queued; the message says why and what to do instead."""


@dataclass
class Job:
    id: str
    task: str  # the task's function name
    queue: str
    video_id: int | None
    worker: str  # the last worker that took it, if any
    since: datetime  # queued, started or finished at, by status
    reason: str  # a failed job's


def age(moment: datetime, now: datetime | None = None) -> str:
    seconds = max(0, int(((now or timezone.now()) - moment).total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"


def _reason(result: DBTaskResult) -> str:
    # The traceback's last line is "module.Class: message", e.g. video.pipeline's EncodeFailed with the
    # reason the editor sees.
    lines = [line for line in result.traceback.splitlines() if line.strip()]
    last = lines[-1] if lines else result.exception_class_path
    kind, _, message = last.partition(": ")
    return message.strip() or kind.rsplit(".", 1)[-1]


def _job(result: DBTaskResult, since: datetime | None) -> Job:
    return Job(
        id=str(result.id),
        task=result.task_path.rsplit(".", 1)[-1],
        queue=result.queue_name,
        video_id=video_of(result.task_path, result.args_kwargs.get("args", [])),
        worker=result.worker_ids[-1] if result.worker_ids else "",
        since=since or result.enqueued_at,
        reason=_reason(result) if result.status == TaskResultStatus.FAILED else "",
    )


def queued() -> list[Job]:
    results = DBTaskResult.objects.filter(status=TaskResultStatus.READY).order_by("run_after", "enqueued_at")
    return [_job(result, result.enqueued_at) for result in results]


def running() -> list[Job]:
    results = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).order_by("started_at")
    return [_job(result, result.started_at) for result in results]


def failed(limit: int) -> tuple[list[Job], int]:
    """The latest failed jobs, newest first, and how many there are in all."""
    results = DBTaskResult.objects.filter(status=TaskResultStatus.FAILED)
    latest = results.order_by("-finished_at")[:limit]
    return [_job(result, result.finished_at) for result in latest], results.count()


def _video(video_id: int) -> Video:
    video = Video.objects.filter(pk=video_id).first()
    if video is None:
        raise Refused(f"there is no video {video_id}")
    if not video.to_encode.name:
        raise Refused(f"video {video_id} has no uploaded file to encode; upload one from the film's page")
    return video


def retry(target: str) -> str:
    """Runs a failed job again: a video id, or a job id; returns what was queued."""
    if target.isdigit():
        return _retry_video(int(target))
    try:
        job_id = uuid.UUID(target)
    except ValueError:
        raise Refused(f"{target!r} is neither a video id (a number) nor a job id (a UUID)") from None
    result = DBTaskResult.objects.filter(pk=job_id).first()
    if result is None:
        raise Refused(f"there is no job {target}")
    if result.status != TaskResultStatus.FAILED:
        raise Refused(f"job {target} has not failed (it is {result.status.lower()})")
    if result.task_path == process_video.module_path:
        return _retry_video(result.args_kwargs["args"][0])
    again = result.task.using(run_after=None).enqueue(
        *result.args_kwargs["args"], **result.args_kwargs["kwargs"]
    )
    return f"job {target} queued again as job {again.id}"


def _retry_video(video_id: int) -> str:
    """The editor's "Encode again": only for a failed video (reencode is for any)."""
    video = _video(video_id)
    if video.status != Video.Status.FAILED:
        raise Refused(
            f"video {video_id} has not failed (it is {video.status}); "
            f"`mediateka manage reencode {video_id}` encodes it again anyway"
        )
    enqueue_processing(video, force=True)
    return f"video {video_id} queued for encoding again"
