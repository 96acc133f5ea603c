from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mediateka.ops import backup_archives
from mediateka.ops.backup import BackupError, write_backup


class Command(BaseCommand):
    help = (
        "Writes a tar archive of the database and a manifest of the media with SHA-256 checksums "
        "(0600, in a 0700 folder); --verify checks an archive without restoring it; --keep N prunes."
    )

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
        parser.add_argument(
            "--keep",
            type=int,
            metavar="N",
            help="after writing, remove all but the newest N mediateka-*.tar archives in its folder",
        )
        parser.add_argument(
            "--verify",
            type=Path,
            metavar="FILE",
            help="check FILE's checksums against its manifest, write and restore nothing",
        )

    def handle(self, *args, output, method, keep, verify, **options):
        try:
            if verify:
                self._verify(verify)
                return
            if keep is not None and keep < 1:
                raise BackupError("--keep must be at least 1: the archive just written is always kept")
            if output is None:
                stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
                output = settings.DATA_DIR / "backups" / f"mediateka-{stamp}.tar"
            summary = write_backup(output, method=method)
            where = "in the archive" if summary.media_included else "listed only (object storage)"
            self.stdout.write(
                f"Wrote {output}: database by {summary.database_method}, "
                f"{summary.media_files} media files ({summary.media_bytes} bytes) {where}."
            )
            if keep:
                for old in backup_archives.prune(output.parent, keep):
                    self.stdout.write(f"Removed {old} (--keep {keep}).")
        except BackupError as error:
            raise CommandError(str(error)) from None

    def _verify(self, path: Path) -> None:
        if not path.is_file():
            raise BackupError(f"{path} is not a file")
        result = backup_archives.verify(path)
        for problem in result.problems:
            self.stderr.write(problem)
        if result.problems:
            raise BackupError(f"{path} is damaged: {len(result.problems)} problems (listed above).")
        media = (
            f"{result.media_files} media files ({result.media_bytes} bytes)"
            if result.media_included
            else f"{result.media_files} media files listed (their bytes are in the bucket, not checked here)"
        )
        self.stdout.write(f"{path} is whole: the database copy ({result.database_method}) and {media} match.")
