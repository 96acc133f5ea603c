from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mediateka.ops import nginx


class Command(BaseCommand):
    help = (
        "Prints the nginx site for this host (/etc/nginx/sites-available/mediateka), with the data "
        "dir's paths filled in: static files, public films' media and the X-Accel-Redirect location "
        "(none of the media locations when media live in a bucket). Write it with --no-tls first, "
        "run certbot, then write it again without --no-tls."
    )

    def add_arguments(self, parser):
        parser.add_argument("server_name", help="the site's host name, e.g. media.example.org")
        parser.add_argument(
            "--upstream",
            action="append",
            help="where `mediateka run` listens (address:port); repeat it for each web node "
            "(default 127.0.0.1:8000)",
        )
        parser.add_argument(
            "--no-tls",
            action="store_true",
            help="plain HTTP only: the site to start with, before certbot has the certificate",
        )
        parser.add_argument("--http-port", type=int, default=80, help="the plain-HTTP port (80)")
        parser.add_argument("--https-port", type=int, default=443, help="the HTTPS port (443)")
        parser.add_argument(
            "--certificate", help="the certificate chain (default /etc/letsencrypt/live/NAME/fullchain.pem)"
        )
        parser.add_argument(
            "--certificate-key", help="its private key (default /etc/letsencrypt/live/NAME/privkey.pem)"
        )
        parser.add_argument(
            "--acme-root",
            default=nginx.ACME_ROOT,
            help="the folder certbot --webroot writes its challenges to (default %(default)s)",
        )
        parser.add_argument(
            "--nginx-version",
            help="write the site for this nginx version, e.g. 1.22.1 (default: the installed nginx's; "
            "before 1.25.1 HTTP/2 is switched on in the listen line, from it with `http2 on;`)",
        )
        parser.add_argument(
            "--standalone",
            type=Path,
            metavar="RUN_DIR",
            help="a whole nginx.conf for `nginx -c` run without root, with its pid and temporary files "
            "in RUN_DIR, on plain HTTP (trying a host out, the load benchmark)",
        )
        parser.add_argument("--listen", help="address:port to listen on (default: the port alone)")

    def handle(self, *args, server_name, upstream, no_tls, standalone, listen, **options):
        upstreams = upstream or ["127.0.0.1:8000"]
        if standalone:
            self.stdout.write(
                nginx.standalone(
                    run_dir=standalone.resolve(),
                    listen=listen or "127.0.0.1:8080",
                    upstream=upstreams,
                    server_name=server_name,
                )
            )
            return
        if options["nginx_version"]:
            version = nginx.parse_version(options["nginx_version"])
            if version is None:
                raise CommandError(
                    f"--nginx-version {options['nginx_version']!r} is not a version like 1.22.1"
                )
        else:
            version = nginx.installed_version()
        self.stdout.write(
            nginx.site(
                server_name=server_name,
                upstreams=upstreams,
                tls=not no_tls,
                listen=listen,
                http_port=options["http_port"],
                https_port=options["https_port"],
                certificate=options["certificate"],
                certificate_key=options["certificate_key"],
                acme_root=options["acme_root"],
                nginx_version=version,
            )
        )
