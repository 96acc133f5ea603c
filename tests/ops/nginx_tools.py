"""nginx and openssl as a host has them, for the tests of the generated site."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from mediateka.ops import nginx


def binary(name: str, *fallbacks: str) -> str:
    found = shutil.which(name) or next((path for path in fallbacks if os.access(path, os.X_OK)), None)
    if found:
        return found
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{name} is required in CI (apt-get install {name}).")
    pytest.skip(f"NOTICE: {name} not found; test skipped.")


def nginx_binary() -> str:
    return binary("nginx", "/usr/sbin/nginx")


def nginx_test(site_text: str, run_dir: Path) -> subprocess.CompletedProcess:
    """`nginx -t` of the site inside a whole configuration whose own files are under run_dir."""
    run_dir.mkdir(parents=True, exist_ok=True)
    conf = run_dir / "nginx.conf"
    conf.write_text(nginx.wrap(site_text, run_dir))
    return subprocess.run(
        [nginx_binary(), "-t", "-c", str(conf), "-p", str(run_dir), "-e", str(run_dir / "startup.log")],
        capture_output=True,
        text=True,
    )


def self_signed(folder: Path, name: str) -> tuple[Path, Path]:
    """A self-signed certificate and key for name, as a stand-in for certbot's files."""
    folder.mkdir(parents=True, exist_ok=True)
    certificate, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run(
        [
            binary("openssl"),
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            f"/CN={name}",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
        ],
        check=True,
        capture_output=True,
    )
    return certificate, key
