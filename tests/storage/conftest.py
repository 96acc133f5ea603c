"""A real S3-compatible server for the object storage tests: moto in server mode, on 127.0.0.1.

It is a separate process spoken to over HTTP by boto3, exactly as a bucket in production is; it
enforces object ACLs for anonymous requests, which is what the public/draft tests rely on.
"""

import subprocess
import sys
import uuid

import boto3
import pytest

from tests.live import free_port, wait_until_answering
from tests.video.conftest import clip  # noqa: F401 - the session's clip maker, shared with tests/video

REGION = "us-east-1"
KEYS = {"access_key": "test-access-key", "secret_key": "test-secret-key"}


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    port = free_port()
    log_path = tmp_path_factory.mktemp("moto") / "server.log"
    log = log_path.open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_answering(url + "/moto-api/", server, log_path, seconds=30)
    yield url
    server.terminate()
    server.wait(timeout=10)
    log.close()


def s3_client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )


@pytest.fixture
def bucket(s3_server, settings):
    """A new bucket, made the media storage for this test; returns (name, client)."""
    name = f"media-{uuid.uuid4().hex[:12]}"
    client = s3_client(s3_server)
    client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "mediateka.objectstore.s3.MediaStorage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": s3_server,
                "region_name": REGION,
                "addressing_style": "path",
                "public_read": True,
                **KEYS,
            },
        },
    }
    return name, client
