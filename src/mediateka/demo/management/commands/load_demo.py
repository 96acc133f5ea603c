import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from mediateka.catalogue.models import Film
from mediateka.demo.loader import load
from mediateka.demo.samples import add_samples
from mediateka.outreach.demo import add_sample_outreach


class Command(BaseCommand):
    help = "Load the demo catalogue of the IOM Tajikistan multimedia page (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("--no-samples", action="store_true", help="do not make sample clips")

    def handle(self, *args, **options):
        counts = load()
        self.stdout.write(
            "Demo catalogue loaded: {films} films, {collections} collection, {projects} projects, "
            "{organisations} organisations.".format(**counts)
        )
        if not options["no_samples"]:
            queued = add_samples(Film.objects.order_by("pk"))
            if queued:
                self.stdout.write(
                    f"{queued} sample clips queued for encoding; the worker makes them playable."
                )
        made = add_sample_outreach()
        self.stdout.write(
            f"Sample outreach records: {made['screenings']} screenings, {made['broadcasts']} broadcasts."
        )
        self._demo_admin()

    def _demo_admin(self) -> None:
        """A first administrator with a random password, kept in the data dir for `make run` to show."""
        User = get_user_model()
        password_file = settings.DATA_DIR / "demo-admin-password"
        if not User.objects.filter(is_superuser=True).exists():
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser("admin", email="", password=password)
            password_file.touch(mode=0o600)
            password_file.write_text(password + "\n")
        if password_file.exists() and User.objects.filter(username="admin").exists():
            self.stdout.write(
                f"Sign in to the admin at /admin/ as 'admin' with the password in {password_file} "
                f"({password_file.read_text().strip()}); "
                "change it with `mediateka manage changepassword admin`."
            )
        else:
            self.stdout.write("An administrator exists already; sign in at /admin/ with that account.")
