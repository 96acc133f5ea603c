"""The nginx site in front of `mediateka run`, written from the settings it must agree with.

`mediateka manage nginx_config` prints it for a host (docs/deploy.md); the load benchmark and the
front-server test run nginx with the same text, so what is measured and tested is what is deployed.

What nginx does itself: static files; public films' media, through the links that
objectstore.disk keeps under MEDIATEKA_PUBLIC_MEDIA_DIR; and the bytes of any other media file
once Django has allowed it (X-Accel-Redirect to an internal location). Everything else, and any
media address without a link (drafts' signed addresses, a film just unpublished), goes to Django.
"""

import os
from pathlib import Path

from django.conf import settings

from mediateka.video.serving import CONTENT_TYPES

# The media types Django gives these files (video.serving), so that both servers send the same.
TYPES = (
    "types { "
    + " ".join(f"{kind.split(';')[0]} {suffix[1:]};" for suffix, kind in CONTENT_TYPES.items())
    + " }\n        charset utf-8; charset_types text/vtt;"  # captions, as Django labels them
)

SITE = """\
upstream mediateka {{ server {upstream}; keepalive 64; }}
{redirect}
server {{
    {listen}
    server_name {server_name};
{tls}    client_max_body_size 64m;            # one upload chunk, not a whole film

    proxy_http_version 1.1;
    proxy_set_header Connection "";
    proxy_set_header Host $host;
    proxy_set_header X-Forwarded-Proto $scheme;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;   # sign-in lock-outs by client
    proxy_set_header X-Request-ID $request_id;    # the same id in nginx's log lines and Mediateka's

    location /static/ {{ alias {static}/; expires 1y; access_log off; }}

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

    # Prometheus scrapes gunicorn directly on the private network, never through here.
    location = /metrics {{ return 404; }}

    location / {{
        proxy_pass http://mediateka;
        proxy_request_buffering off;     # upload chunks stream to the app as they arrive
        proxy_read_timeout 300s;
    }}
    location @mediateka {{ proxy_pass http://mediateka; }}
}}
"""

TLS = """\
    ssl_certificate     /etc/letsencrypt/live/{server_name}/fullchain.pem;
    ssl_certificate_key /etc/letsencrypt/live/{server_name}/privkey.pem;
"""

REDIRECT = """
server {{
    listen 80;
    server_name {server_name};
    location / {{ return 301 https://$host$request_uri; }}
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


def site(*, server_name: str, upstream: str, listen: str | None = None, tls: bool = True) -> str:
    """The upstream and server blocks for one site; with TLS, also the plain-HTTP redirect."""
    return SITE.format(
        upstream=upstream,
        redirect=REDIRECT.format(server_name=server_name) if tls else "",
        listen=f"listen {listen or ('443 ssl http2' if tls else '80')};",
        server_name=server_name,
        tls=TLS.format(server_name=server_name) if tls else "",
        static=Path(settings.STATIC_ROOT),
        public=Path(settings.MEDIATEKA_PUBLIC_MEDIA_DIR),
        media=Path(settings.MEDIA_ROOT),
        types=TYPES,
    )


def standalone(*, run_dir: Path, listen: str, upstream: str, server_name: str = "localhost") -> str:
    """A complete configuration serving the site on listen, with its files under run_dir."""
    return STANDALONE.format(
        # As root, nginx's workers would otherwise become nobody, who cannot read a private tmp dir.
        user="user root;\n" if os.geteuid() == 0 else "",
        run=run_dir,
        site=site(server_name=server_name, upstream=upstream, listen=listen, tls=False),
    )
