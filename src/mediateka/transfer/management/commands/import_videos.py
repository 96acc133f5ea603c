from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mediateka.transfer.video_folder import import_folder
from mediateka.video.models import SPOKEN_LANGUAGES


class Command(BaseCommand):
    help = (
        "Import every video file of a folder as a version of the film whose slug is its name "
        "(<slug>.<ext>, or <slug>.<language>.<ext>) and queue it for encoding (the worker encodes it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder")
        parser.add_argument(
            "--language",
            default="tg",
            choices=[code for code, _name in SPOKEN_LANGUAGES],
            help="spoken language of files whose name does not say (default: tg)",
        )
        parser.add_argument("--dry-run", action="store_true", help="show what would be imported")

    def handle(self, *args, folder: str, language: str, dry_run: bool, **options):
        path = Path(folder)
        if not path.is_dir():
            raise CommandError(f"{folder} is not a folder.")
        report = import_folder(path, default_language=language, dry_run=dry_run)
        verb = "Would import" if dry_run else "Queued"
        for match in report.matched:
            self.stdout.write(f"{verb} {match.path.name} -> {match.film.slug} ({match.language})")
        for line in report.skipped:
            self.stderr.write(f"Skipped {line}")
        done = "to import" if dry_run else "queued"
        self.stdout.write(f"{len(report.matched)} file(s) {done}, {len(report.skipped)} skipped.")
