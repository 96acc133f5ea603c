from pathlib import Path

from django.core.management.base import BaseCommand

from mediateka.ops import nginx


class Command(BaseCommand):
    help = (
        "Prints the nginx site for this host (/etc/nginx/sites-available/mediateka), with the data "
        "dir's paths filled in: static files, public films' media and the X-Accel-Redirect location."
    )

    def add_arguments(self, parser):
        parser.add_argument("server_name", help="the site's host name, e.g. media.example.org")
        parser.add_argument("--upstream", default="127.0.0.1:8000", help="where `mediateka run` listens")
        parser.add_argument("--no-tls", action="store_true", help="plain HTTP on port 80 (a test host)")
        parser.add_argument(
            "--standalone",
            type=Path,
            metavar="RUN_DIR",
            help="a whole nginx.conf for `nginx -c` run without root, with its pid and temporary files "
            "in RUN_DIR, on plain HTTP (trying a host out, the load benchmark)",
        )
        parser.add_argument("--listen", default="127.0.0.1:8080", help="with --standalone: address:port")

    def handle(self, *args, server_name, upstream, no_tls, standalone, listen, **options):
        if standalone:
            self.stdout.write(
                nginx.standalone(
                    run_dir=standalone.resolve(), listen=listen, upstream=upstream, server_name=server_name
                )
            )
        else:
            self.stdout.write(nginx.site(server_name=server_name, upstream=upstream, tls=not no_tls))
