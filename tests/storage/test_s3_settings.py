"""Choosing object storage by settings: the storage backend and the policy's media origins follow."""

import json

from tests.live import mediateka

PRINT = """
import json
from django.conf import settings
from django.core.files.storage import storages
storage = storages["default"]
print(json.dumps({
    "origins": settings.MEDIATEKA_MEDIA_ORIGINS,
    "policy": settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
    "storage": type(storage).__name__,
    "url": storage.url("encodings/p/master.m3u8"),
}))
"""


def test_a_bucket_setting_moves_media_to_object_storage_behind_the_cdn(tmp_path):
    env = {
        "MEDIATEKA_DATA_DIR": str(tmp_path),
        "PATH": "/usr/bin:/bin",
        "MEDIATEKA_S3_BUCKET": "mission-media",
        "MEDIATEKA_S3_REGION": "eu-central-1",
        "MEDIATEKA_S3_CUSTOM_DOMAIN": "cdn.example.org",
        "MEDIATEKA_S3_ACCESS_KEY_ID": "key",
        "MEDIATEKA_S3_SECRET_ACCESS_KEY": "secret",
    }
    done = mediateka(env, "manage", "shell", "-c", PRINT)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["storage"] == "MediaStorage"
    assert found["origins"] == ["https://cdn.example.org"]
    # Players may fetch media from the CDN, and only from there besides this site.
    assert found["policy"]["media-src"] == ["'self'", "blob:", "https://cdn.example.org"]
    assert found["policy"]["connect-src"] == ["'self'", "https://cdn.example.org"]
    assert found["url"] == "https://cdn.example.org/encodings/p/master.m3u8"  # unsigned: one URL per object

    refused = mediateka({**env, "MEDIATEKA_ACCEL_REDIRECT": "/protected-media/"}, "manage", "check")
    assert refused.returncode != 0
    assert "MEDIATEKA_ACCEL_REDIRECT serves files from disk" in refused.stderr
