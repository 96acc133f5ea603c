from django.core.management.base import BaseCommand

from mediateka.objectstore import exposure


class Command(BaseCommand):
    help = "Makes the bucket's media public-read for public films and private for all others."

    def handle(self, *args, **options):
        if exposure.media_storage() is None:
            self.stdout.write("Media are not on object storage with public-read films: nothing to do.")
            return
        self.stdout.write(f"Synced {exposure.sync_all()} media prefixes.")
