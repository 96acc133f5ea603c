from django.core.management.base import BaseCommand, CommandError

from mediateka.ops import queue


class Command(BaseCommand):
    # The queue stays in view on a node whose set-up fails its checks (an FFmpeg that cannot run).
    requires_system_checks = []
    help = (
        "Runs a failed job again: a video id (its failed encode, as the editor's Encode again) "
        "or a job id from `mediateka manage jobs`."
    )

    def add_arguments(self, parser):
        parser.add_argument("targets", nargs="+", metavar="VIDEO_OR_JOB_ID")

    def handle(self, *args, targets, **options):
        for target in targets:
            try:
                self.stdout.write(queue.retry(target))
            except queue.Refused as refusal:
                raise CommandError(str(refusal)) from None
