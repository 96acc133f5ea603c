"""`mediateka manage storage_setup` against a real S3-compatible server (moto's, over HTTP):
the bucket is made private, honours per-object ACLs, and answers CORS for the players."""

import io
import urllib.error
import urllib.request
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.storage.conftest import KEYS, REGION, s3_client, s3_server  # noqa: F401 - the fixture


@pytest.fixture
def unmade_bucket(s3_server, settings):  # noqa: F811
    name = f"setup-{uuid.uuid4().hex[:12]}"
    settings.MEDIATEKA_S3_BUCKET = name
    settings.MEDIATEKA_S3_REGION = REGION
    settings.CSRF_TRUSTED_ORIGINS = ["https://media.example.org"]
    options = {"bucket_name": name, "endpoint_url": s3_server, "region_name": REGION, **KEYS}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "mediateka.objectstore.s3.MediaStorage",
            "OPTIONS": {**options, "addressing_style": "path", "public_read": True},
        },
    }
    return name, s3_client(s3_server), s3_server


def _setup() -> str:
    out = io.StringIO()
    call_command("storage_setup", stdout=out)
    return out.getvalue()


def test_the_bucket_is_created_private_with_acls_and_cors(unmade_bucket):
    name, client, endpoint = unmade_bucket
    first = _setup()
    assert f"bucket {name}: created, private" in first and "The bucket is ready" in first
    rules = client.get_bucket_cors(Bucket=name)["CORSRules"]
    assert rules[0]["AllowedOrigins"] == ["https://media.example.org", "*"]
    assert rules[0]["AllowedHeaders"] == ["Range"] and sorted(rules[0]["AllowedMethods"]) == ["GET", "HEAD"]
    ownership = client.get_bucket_ownership_controls(Bucket=name)["OwnershipControls"]["Rules"]
    assert ownership == [{"ObjectOwnership": "BucketOwnerPreferred"}]
    grants = client.get_bucket_acl(Bucket=name)["Grants"]
    assert not [g for g in grants if "AllUsers" in g["Grantee"].get("URI", "")]  # a private bucket
    client.put_object(Bucket=name, Key="originals/x/source.mp4", Body=b"film")
    with pytest.raises(urllib.error.HTTPError) as refused:  # an object written private stays so
        urllib.request.urlopen(f"{endpoint}/{name}/originals/x/source.mp4", timeout=5)  # noqa: S310
    assert refused.value.code == 403
    # A public-read object is readable by anyone: the ACLs are honoured.
    client.put_object(Bucket=name, Key="encodings/x/master.m3u8", Body=b"#EXTM3U\n", ACL="public-read")
    with urllib.request.urlopen(f"{endpoint}/{name}/encodings/x/master.m3u8", timeout=5) as answer:  # noqa: S310
        assert answer.read() == b"#EXTM3U\n"
    assert f"bucket {name}: exists" in _setup()  # again: nothing to change


def test_without_a_bucket_there_is_nothing_to_set_up(settings):
    settings.MEDIATEKA_S3_BUCKET = ""
    with pytest.raises(CommandError, match="MEDIATEKA_S3_BUCKET is empty"):
        _setup()
