from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mediateka.objectstore import exposure
from mediateka.ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restores a backup archive into an empty database and media storage, checking every checksum."

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path)

    def handle(self, *args, archive, **options):
        try:
            summary = restore_backup(archive)
        except BackupError as error:
            raise CommandError(str(error)) from None
        for problem in summary.problems:
            self.stderr.write(problem)
        if summary.problems:
            raise CommandError(f"{len(summary.problems)} media files did not match the manifest.")
        # A restored host has its files but not their visibility (public links, bucket ACLs).
        exposure.sync_all()
        how = "restored" if summary.media_included else "found in the bucket"
        self.stdout.write(
            f"Restored the database ({summary.database_method}); {summary.media_files} media files "
            f"({summary.media_bytes} bytes) {how}, every checksum verified."
        )
