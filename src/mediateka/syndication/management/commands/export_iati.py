from django.core.management.base import BaseCommand

from mediateka.syndication.iati import activities


class Command(BaseCommand):
    help = "Write the mission's projects as IATI activity XML (2.03) to standard output or a file."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="file to write instead of standard output")

    def handle(self, *args, output=None, **options):
        export = activities()
        if output:
            with open(output, "wb") as handle:
                handle.write(export.xml)
        else:
            self.stdout.write(export.xml.decode("utf-8"), ending="")
        for note in export.left_out:
            self.stderr.write(f"Left out: {note}")
