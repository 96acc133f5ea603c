"""One log line per finished background job: what it was, for which video, how long, how it ended."""

import logging

from django.dispatch import receiver
from django_tasks import TaskResultStatus
from django_tasks_db.compat import task_finished  # the signal the worker sends

log = logging.getLogger("mediateka.jobs")


def video_of(task_path: str, args: list) -> int | None:
    """The video a job works on, for the jobs that take one (video.tasks.process_video)."""
    if task_path.endswith(".process_video") and args:
        return args[0]
    return None


@receiver(task_finished)
def log_job(sender, task_result, **kwargs) -> None:
    seconds = None
    if task_result.started_at and task_result.finished_at:
        seconds = round((task_result.finished_at - task_result.started_at).total_seconds(), 3)
    path = task_result.task.module_path
    video = video_of(path, list(task_result.args))
    outcome = "failed" if task_result.status == TaskResultStatus.FAILED else "done"
    log.log(
        logging.WARNING if outcome == "failed" else logging.INFO,
        "job %s %s%s: %s in %s s",
        task_result.id,
        path.rsplit(".", 1)[-1],
        f" video {video}" if video is not None else "",
        outcome,
        seconds,
        extra={
            "job_id": str(task_result.id),
            "task": path,
            "video_id": video,
            "outcome": outcome,
            "duration_s": seconds,
        },
    )
