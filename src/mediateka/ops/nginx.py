"""The nginx site in front of `mediateka run`, written from the settings it must agree with.

`mediateka manage nginx_config` prints it for a host (docs/deploy.md); the load benchmark and the
front-server tests run nginx with the same text, so what is measured and tested is what is deployed.

What nginx does itself: static files; public films' media, through the links that
objectstore.disk keeps under MEDIATEKA_PUBLIC_MEDIA_DIR; and the bytes of any other media file
once Django has allowed it (X-Accel-Redirect to an internal location). With the media in a bucket
none of the media locations exist: viewers fetch from the bucket or its CDN. Everything else, and
any media address without a link (drafts' signed addresses, a film just unpublished), goes to
Django.

TLS comes in two steps, because nginx refuses a site whose certificate files do not exist yet:
first the plain-HTTP site (`--no-tls`), which answers certbot's challenge from ACME_ROOT; then,
once certbot has the certificate, the TLS site.
"""

import os
import re
import shutil
import subprocess
from pathlib import Path

from django.conf import settings

from mediateka.video.serving import CONTENT_TYPES

ACME_ROOT = "/var/www/letsencrypt"
# `http2 on;` replaced `listen ... http2` in nginx 1.25.1; Debian 12 ships 1.22, which knows only the latter.
HTTP2_DIRECTIVE_SINCE = (1, 25, 1)

# The media types Django gives these files (video.serving), so that both servers send the same.
TYPES = (
    "types { "
    + " ".join(f"{kind.split(';')[0]} {suffix[1:]};" for suffix, kind in CONTENT_TYPES.items())
    + " }\n        charset utf-8; charset_types text/vtt;"  # captions, as Django labels them
)

# Every request of one tus upload (/upload/<id>) goes to the same node, which holds its partial
# file: the hash of the address picks the node, and stays put when another node joins or leaves.
UPSTREAMS = """\
upstream mediateka {{ {servers} keepalive 64; }}
upstream mediateka_uploads {{ hash $uri consistent; {servers} keepalive 16; }}
"""

ACME = "    location /.well-known/acme-challenge/ {{ root {acme_root}; }}   # certbot --webroot\n"

SITE = """\
{redirect}
server {{
    {listen}
    server_name {server_name};
{tls}{acme}    client_max_body_size 64m;            # one upload chunk, not a whole film

    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $host;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;   # sign-in lock-outs by client
    proxy_set_header X-Request-ID $request_id;    # the same id in nginx's log lines and Mediateka's

    location /static/ {{ alias {static}/; expires 1y; access_log off; }}
{media}
    # Prometheus scrapes gunicorn directly on the private network, never through here.
    location = /metrics {{ return 404; }}

    location /upload/ {{
        proxy_pass http://mediateka_uploads;
        proxy_request_buffering off;     # upload chunks stream to the app as they arrive
        proxy_read_timeout 300s;
    }}
    location / {{
        proxy_pass http://mediateka;
        proxy_read_timeout 300s;
    }}
    location @mediateka {{ proxy_pass http://mediateka; }}
}}
"""

MEDIA = """
    # Public films' media, straight from disk: only public films' folders are linked here.
    location /media/ {{
        root {public};
        try_files $uri @mediateka;
        {types}
        add_header Cache-Control "public, max-age=31536000, immutable";
        add_header Access-Control-Allow-Origin "*";   # partner sites embed the player
    }}

    # Any other media file, once Django has allowed it.
    location /protected-media/ {{
        internal;
        alias {media}/;
        {types}
        add_header Cache-Control $upstream_http_cache_control;
        add_header Access-Control-Allow-Origin $upstream_http_access_control_allow_origin;
    }}
"""

TLS = """\
    ssl_certificate     {certificate};
    ssl_certificate_key {certificate_key};
{http2}"""

REDIRECT = """
server {{
    listen {http_port};
    server_name {server_name};
{acme}    location / {{ return 301 https://$host{port_suffix}$request_uri; }}
}}
"""

# A whole nginx configuration for running nginx unprivileged beside the tests and benchmarks.
STANDALONE = """\
{user}daemon off;
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    client_body_temp_path {run}/nginx-body;
    proxy_temp_path {run}/nginx-proxy;
    fastcgi_temp_path {run}/nginx-fastcgi;
    uwsgi_temp_path {run}/nginx-uwsgi;
    scgi_temp_path {run}/nginx-scgi;
    types {{ text/css css; application/javascript js; }}
{site}
}}
"""


def installed_version() -> tuple[int, ...] | None:
    """This host's nginx version (from `nginx -v`), or None without nginx."""
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    if not binary:
        return None
    done = subprocess.run([binary, "-v"], capture_output=True, text=True, check=False)  # noqa: S603
    return parse_version(done.stderr + done.stdout)


def parse_version(text: str) -> tuple[int, ...] | None:
    found = re.search(r"(\d+)\.(\d+)\.(\d+)", text)
    return tuple(int(part) for part in found.groups()) if found else None


def site(
    *,
    server_name: str,
    upstreams: list[str] | str,
    tls: bool = True,
    listen: str | None = None,
    http_port: int = 80,
    https_port: int = 443,
    certificate: str | None = None,
    certificate_key: str | None = None,
    acme_root: str | None = ACME_ROOT,
    media_on_disk: bool | None = None,
    nginx_version: tuple[int, ...] | None = None,
) -> str:
    """The upstreams and server blocks for one site; with TLS, also the plain-HTTP redirect.

    media_on_disk: None follows the settings (no disk-media locations when media live in a bucket).
    nginx_version: the version the site is for (None: a current nginx, with `http2 on;`).
    """
    if isinstance(upstreams, str):
        upstreams = [upstreams]
    if not upstreams:
        raise ValueError("at least one upstream (address:port of `mediateka run`) is needed")
    if media_on_disk is None:
        media_on_disk = not settings.MEDIATEKA_S3_BUCKET
    http2_directive = nginx_version is None or nginx_version >= HTTP2_DIRECTIVE_SINCE
    acme = ACME.format(acme_root=acme_root) if acme_root else ""
    if tls:
        address = listen or str(https_port)
        listen_line = f"listen {address} ssl;" if http2_directive else f"listen {address} ssl http2;"
        tls_lines = TLS.format(
            certificate=certificate or f"/etc/letsencrypt/live/{server_name}/fullchain.pem",
            certificate_key=certificate_key or f"/etc/letsencrypt/live/{server_name}/privkey.pem",
            http2="    http2 on;\n" if http2_directive else "",
        )
        redirect = REDIRECT.format(
            http_port=http_port,
            server_name=server_name,
            acme=acme,
            port_suffix="" if https_port == 443 else f":{https_port}",
        )
    else:
        listen_line, tls_lines, redirect = f"listen {listen or http_port};", "", ""
    media = (
        MEDIA.format(
            public=Path(settings.MEDIATEKA_PUBLIC_MEDIA_DIR), media=Path(settings.MEDIA_ROOT), types=TYPES
        )
        if media_on_disk
        else ""
    )
    servers = " ".join(f"server {upstream};" for upstream in upstreams)
    return UPSTREAMS.format(servers=servers) + SITE.format(
        redirect=redirect,
        listen=listen_line,
        server_name=server_name,
        tls=tls_lines,
        acme="" if tls else acme,  # with TLS the challenge is answered by the plain-HTTP server
        static=Path(settings.STATIC_ROOT),
        media=media,
    )


def standalone(
    *, run_dir: Path, listen: str, upstream: list[str] | str, server_name: str = "localhost"
) -> str:
    """A complete configuration serving the site on listen, with its files under run_dir."""
    return wrap(
        site(server_name=server_name, upstreams=upstream, listen=listen, tls=False, acme_root=None), run_dir
    )


def wrap(site_text: str, run_dir: Path) -> str:
    """A site inside a whole nginx.conf that an unprivileged nginx (or `nginx -t`) can use."""
    return STANDALONE.format(
        # As root, nginx's workers would otherwise become nobody, who cannot read a private tmp dir.
        user="user root;\n" if os.geteuid() == 0 else "",
        run=run_dir,
        site=site_text,
    )
