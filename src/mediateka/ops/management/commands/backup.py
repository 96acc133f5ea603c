from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mediateka.ops.backup import BackupError, write_backup


class Command(BaseCommand):
    help = "Writes a tar archive of the database and a manifest of the media with SHA-256 checksums."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="the archive to write (default: DATA_DIR/backups/mediateka-<time>.tar)",
        )
        parser.add_argument(
            "--method",
            choices=["auto", "sqlite", "pg_dump", "dumpdata"],
            default="auto",
            help="how the database is copied (auto: SQLite's backup API, else pg_dump, else dumpdata)",
        )

    def handle(self, *args, output, method, **options):
        if output is None:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            output = settings.DATA_DIR / "backups" / f"mediateka-{stamp}.tar"
        try:
            summary = write_backup(output, method=method)
        except BackupError as error:
            raise CommandError(str(error)) from None
        where = "in the archive" if summary.media_included else "listed only (object storage)"
        self.stdout.write(
            f"Wrote {output}: database by {summary.database_method}, "
            f"{summary.media_files} media files ({summary.media_bytes} bytes) {where}."
        )
