"""`mediateka manage nginx_config`: the sites it writes pass `nginx -t` in the order a host needs
them (plain HTTP before certbot, TLS after), for one or many web nodes, with media on disk or in
a bucket. The nginx and openssl of this machine; CI installs them (.ci/run)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from mediateka.ops import nginx
from tests.ops.nginx_tools import nginx_binary, nginx_test, self_signed

NAME = "media.example.org"


def _config(*args: str) -> str:
    out = io.StringIO()
    call_command("nginx_config", NAME, *args, stdout=out)
    return out.getvalue()


def test_the_http_only_site_passes_nginx_t_before_any_certificate_exists(tmp_path):
    site = _config("--no-tls", "--http-port", "8081", "--acme-root", str(tmp_path / "acme"))
    assert "ssl" not in site and "listen 8081;" in site
    assert f"location /.well-known/acme-challenge/ {{ root {tmp_path / 'acme'}; }}" in site
    done = nginx_test(site, tmp_path / "run")
    assert done.returncode == 0, done.stderr
    # The TLS site at this point names certificates certbot has not made: nginx refuses it.
    refused = nginx_test(_config(), tmp_path / "run")
    assert refused.returncode != 0 and "fullchain.pem" in refused.stderr


def test_the_tls_site_passes_nginx_t_with_the_certificate_in_place(tmp_path):
    certificate, key = self_signed(tmp_path / "tls", NAME)
    site = _config(
        "--certificate", str(certificate), "--certificate-key", str(key), "--http-port", "8081",
        "--https-port", "8443",
    )  # fmt: skip
    assert f"ssl_certificate     {certificate};" in site and f"ssl_certificate_key {key};" in site
    assert "listen 8081;" in site and "return 301 https://$host:8443$request_uri;" in site
    done = nginx_test(site, tmp_path / "run")
    assert done.returncode == 0, done.stderr
    assert "warn" not in done.stderr, done.stderr  # no deprecated `listen ... http2` on a current nginx


def test_http2_is_switched_on_as_the_nginx_version_wants_it(tmp_path):
    current = _config("--nginx-version", "1.25.1")
    assert "listen 443 ssl;" in current and "http2 on;" in current
    debian12 = _config("--nginx-version", "1.22.1")
    assert "listen 443 ssl http2;" in debian12 and "http2 on;" not in debian12
    with pytest.raises(CommandError, match="not a version"):
        _config("--nginx-version", "latest")
    assert nginx.installed_version() is not None, nginx_binary()


def test_many_web_nodes_and_one_node_per_upload(tmp_path):
    site = _config("--no-tls", "--upstream", "10.0.0.1:8000", "--upstream", "10.0.0.2:8000")
    assert "upstream mediateka { server 10.0.0.1:8000; server 10.0.0.2:8000; keepalive 64; }" in site
    assert (
        "upstream mediateka_uploads { hash $uri consistent; server 10.0.0.1:8000; server 10.0.0.2:8000;"
        in site
    )
    upload_location = site[site.index("location /upload/") :]
    assert upload_location.split("}", 1)[0].count("proxy_pass http://mediateka_uploads;") == 1
    assert nginx_test(site, tmp_path / "run").returncode == 0


def test_media_in_a_bucket_leave_no_disk_media_locations(settings, tmp_path):
    assert "location /media/" in _config("--no-tls") and "/protected-media/" in _config("--no-tls")
    settings.MEDIATEKA_S3_BUCKET = "mediateka-media"
    site = _config("--no-tls")
    assert "location /media/" not in site and "protected-media" not in site
    assert str(settings.MEDIA_ROOT) not in site
    assert nginx_test(site, tmp_path / "run").returncode == 0
