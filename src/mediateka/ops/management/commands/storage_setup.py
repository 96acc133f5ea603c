from botocore.exceptions import BotoCoreError, ClientError
from django.core.management.base import BaseCommand, CommandError

from mediateka.ops import storage_setup


class Command(BaseCommand):
    help = (
        "Creates the bucket MEDIATEKA_S3_BUCKET names (private), lets it honour per-object ACLs, and "
        "sets its CORS rules for the players; safe to run again."
    )

    def handle(self, *args, **options):
        try:
            for line in storage_setup.set_up():
                self.stdout.write(line)
        except ValueError as error:
            raise CommandError(str(error)) from None
        except (ClientError, BotoCoreError) as error:
            raise CommandError(
                f"The bucket could not be set up: {error}. Check MEDIATEKA_S3_ENDPOINT_URL and the "
                "MEDIATEKA_S3_* keys (the keys need permission to create and configure buckets)."
            ) from None
        self.stdout.write("The bucket is ready; `mediateka manage check --deploy` tries a write.")
