from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mediateka.transfer.film_csv import COLUMNS, import_films


class Command(BaseCommand):
    help = (
        "Create or update films from a CSV file (UTF-8; comma, semicolon or tab separated), matched by slug. "
        "All or nothing; --dry-run checks without writing. Columns: " + ", ".join(sorted(COLUMNS)) + "."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="check every row, write nothing")

    def handle(self, *args, file: str, dry_run: bool, **options):
        try:
            text = Path(file).read_bytes().decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file} as UTF-8: {error}") from error
        report = import_films(text, dry_run=dry_run)
        for line in report.errors:
            self.stderr.write(line)
        if report.errors:
            raise CommandError(f"{len(report.errors)} problem(s); nothing was written.")
        created, updated = len(report.created), len(report.updated)
        if dry_run:
            self.stdout.write(
                f"Dry run: would create {created} film(s) and update {updated}; nothing was written."
            )
        else:
            self.stdout.write(f"Created {created} film(s), updated {updated}.")
