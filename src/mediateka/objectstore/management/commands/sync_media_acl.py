from django.core.management.base import BaseCommand

from mediateka.objectstore import exposure


class Command(BaseCommand):
    help = (
        "Exposes public films' media (public-read objects in the bucket, links in the public media "
        "folder on disk) and hides all others."
    )

    def handle(self, *args, **options):
        if exposure.media_storage() is None:
            self.stdout.write("Media are on object storage without public-read films: nothing to do.")
            return
        self.stdout.write(f"Synced {exposure.sync_all()} media prefixes.")
