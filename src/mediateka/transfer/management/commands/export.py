from django.core.management.base import BaseCommand

from mediateka.transfer.catalogue_json import dumps, export_catalogue


class Command(BaseCommand):
    help = (
        "Write the whole catalogue (mission, projects, organisations, themes, collections, films, credits, "
        "versions, encodings, captions) as JSON, to standard output or a file. Media files are not included."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="file to write instead of standard output")

    def handle(self, *args, output=None, **options):
        text = dumps(export_catalogue())
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
        else:
            self.stdout.write(text, ending="")
