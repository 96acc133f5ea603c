from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from mediateka.video.models import Video
from mediateka.video.tasks import enqueue_processing


class Command(BaseCommand):
    help = (
        "Queue videos to be encoded again from their uploaded files (the worker encodes them): "
        "the failed ones, those named by id, or every version of a film."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--failed", action="store_true", help="every video whose encoding failed")
        which.add_argument("--film", metavar="SLUG", help="every version of this film")
        which.add_argument("video_ids", nargs="*", type=int, default=[], metavar="VIDEO_ID", help="video ids")

    def handle(self, *args, failed: bool, film: str | None, video_ids: list[int], **options):
        if failed:
            videos = Video.objects.filter(status=Video.Status.FAILED)
        elif film:
            videos = Video.objects.filter(film__slug=film)
            if not videos.exists():
                raise CommandError(f"There is no film {film!r}, or it has no versions.")
        else:
            videos = Video.objects.filter(pk__in=video_ids)
            missing = sorted(set(video_ids) - set(videos.values_list("pk", flat=True)))
            if missing:
                raise CommandError(f"There is no video {', '.join(map(str, missing))}.")
        queued = 0
        with transaction.atomic():  # the jobs are queued when it commits
            for video in videos.select_related("film").order_by("pk"):
                if not video.original:
                    self.stderr.write(f"Skipped {video.pk} ({video}): it has no uploaded file.")
                    continue
                enqueue_processing(video, force=True)
                self.stdout.write(f"Queued {video.pk} ({video})")
                queued += 1
        self.stdout.write(f"{queued} video(s) queued for encoding.")
