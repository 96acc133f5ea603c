from django.core.management.base import BaseCommand

from mediateka.ops import queue


class Command(BaseCommand):
    # The queue stays in view on a node whose set-up fails its checks (an FFmpeg that cannot run).
    requires_system_checks = []
    help = (
        "Lists the background jobs: queued, running (on which worker, for how long), and the latest failed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--failed", type=int, default=20, metavar="N", help="failed jobs to show (default 20)"
        )

    def handle(self, *args, failed, **options):
        waiting, busy = queue.queued(), queue.running()
        gone, failed_count = queue.failed(failed)
        self.stdout.write(f"Queued: {len(waiting)}")
        for job in waiting:
            self.stdout.write(f"  {self._name(job)}  queue {job.queue}  waiting {queue.age(job.since)}")
        self.stdout.write(f"Running: {len(busy)}")
        for job in busy:
            self.stdout.write(f"  {self._name(job)}  on {job.worker}  for {queue.age(job.since)}")
        shown = f" (the latest {len(gone)})" if len(gone) < failed_count else ""
        self.stdout.write(f"Failed: {failed_count}{shown}")
        for job in gone:
            self.stdout.write(f"  {self._name(job)}  {queue.age(job.since)} ago  {job.reason}")

    @staticmethod
    def _name(job: queue.Job) -> str:
        video = f" video {job.video_id}" if job.video_id is not None else ""
        return f"{job.id}  {job.task}{video}"
