import json
import sys

from django.core.management.base import BaseCommand, CommandError

from mediateka.api.transfer import TransferError, import_catalogue


class Command(BaseCommand):
    help = (
        "Read a catalogue written by `export` (a file, or - for standard input): records are created, or "
        "updated where the same slug or key exists; nothing absent from the file is deleted. All or nothing."
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
            written = import_catalogue(document)
        except (OSError, ValueError, TransferError) as error:
            raise CommandError(str(error)) from error
        summary = ", ".join(f"{count} {name}" for name, count in written.items() if count)
        self.stdout.write(f"Imported {summary or 'nothing'}.")
