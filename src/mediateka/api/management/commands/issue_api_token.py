from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from mediateka.api.models import ApiToken


class Command(BaseCommand):
    help = "Issue an API token for a user and print it; it is stored hashed and cannot be shown again."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="what the token is for, shown in the admin")

    def handle(self, *args, username: str, name: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}.")
        if not user.is_active:
            raise CommandError(f"The user {username!r} is not active.")
        _row, token = ApiToken.objects.issue(user, name)
        self.stdout.write(token)
