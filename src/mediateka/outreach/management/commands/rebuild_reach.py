from django.core.management.base import BaseCommand

from mediateka.outreach import rollup


class Command(BaseCommand):
    help = "Recompute the monthly reach from every screening (after a bulk load or a restore)."

    def handle(self, *args, **options):
        cells = rollup.rebuild()
        self.stdout.write(f"Monthly reach rebuilt: {cells} cells.")
