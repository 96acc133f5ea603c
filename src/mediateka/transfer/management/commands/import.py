import json
import sys

from django.core.management.base import BaseCommand, CommandError

from mediateka.transfer.catalogue_json import TransferError, import_catalogue


class Command(BaseCommand):
    help = (
        "Read a catalogue written by `export` (a file, or - for standard input): records are created, or "
        "updated where the same slug or key exists; nothing absent from the file is deleted. Every row is "
        "checked as the admin checks it; with any problem nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file: str, **options):
        try:
            if file == "-":
                document = json.load(sys.stdin)
            else:
                with open(file, encoding="utf-8") as handle:
                    document = json.load(handle)
        except RecursionError as error:
            raise CommandError(f"Cannot read {file}: it is nested too deeply to be a catalogue.") from error
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error
        try:
            written = import_catalogue(document)
        except TransferError as error:
            for line in error.problems:
                self.stderr.write(line)
            raise CommandError(f"{len(error.problems)} problem(s); nothing was imported.") from error
        summary = ", ".join(f"{count} {name}" for name, count in written.items() if count)
        self.stdout.write(f"Imported {summary or 'nothing'}.")
