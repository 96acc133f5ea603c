"""The system checks of a deployment (ops.checks): each fails with a message naming what to change."""

import uuid

from django.core import checks as django_checks

from mediateka.ops import checks
from tests.live import mediateka, process_env
from tests.storage.conftest import KEYS, REGION, s3_server  # noqa: F401 - the real S3 server fixture


def _ids(found) -> list[str]:
    return [message.id for message in found]


def test_a_generated_secret_key_fails_check_deploy(tmp_path):
    env = process_env(tmp_path)  # no SECRET_KEY: the node makes one of its own
    done = mediateka(env, "manage", "check", "--deploy")
    assert done.returncode == 1
    assert "(mediateka.E001) SECRET_KEY is not set" in done.stderr
    env["SECRET_KEY"] = "a-shared-secret-key-" + uuid.uuid4().hex * 2
    assert "mediateka.E001" not in mediateka(env, "manage", "check", "--deploy").stderr


def test_checks_are_registered_for_check_deploy_or_always():
    deploy_only = django_checks.registry.registry.get_checks(include_deployment_checks=True)
    always = django_checks.registry.registry.get_checks(include_deployment_checks=False)
    for check in (checks.secret_key_set, checks.allowed_hosts_named, checks.media_storage_writable):
        assert check in deploy_only and check not in always
    for check in (checks.ffmpeg_runs, checks.folders_writable):
        assert check in always


def test_a_wildcard_host_list_fails(settings):
    settings.ALLOWED_HOSTS = ["media.example.org"]
    assert checks.allowed_hosts_named() == []
    settings.ALLOWED_HOSTS = ["*"]
    [error] = checks.allowed_hosts_named()
    assert error.id == "mediateka.E002" and error.msg.startswith("ALLOWED_HOSTS is '*'")


def test_the_bundled_ffmpeg_passes_and_a_missing_one_fails(settings):
    settings.FFMPEG_BINARY = ""
    assert checks.ffmpeg_runs() == []
    settings.FFMPEG_BINARY = "/opt/no-such-ffmpeg"
    [error] = checks.ffmpeg_runs()
    assert error.id == "mediateka.E003"
    assert error.msg == "MEDIATEKA_FFMPEG: /opt/no-such-ffmpeg cannot be run (No such file or directory)."


def test_an_ffmpeg_without_our_encoders_fails(settings, tmp_path):
    # A real program answering as an FFmpeg built without libx264 would.
    fake = tmp_path / "ffmpeg"
    fake.write_text(
        "#!/bin/sh\necho 'Encoders:'\necho ' A....D aac                  AAC (Advanced Audio Coding)'\n"
    )
    fake.chmod(0o755)
    settings.FFMPEG_BINARY = str(fake)
    [error] = checks.ffmpeg_runs()
    assert error.msg == f"MEDIATEKA_FFMPEG: {fake} cannot encode for Mediateka (missing: libx264)."


def test_a_work_dir_that_cannot_be_written_fails(settings, tmp_path):
    assert checks.folders_writable() == []
    blocker = tmp_path / "a-file"
    blocker.write_text("a file where a folder should be")
    settings.MEDIATEKA_WORK_DIR = blocker / "work"
    [error] = checks.folders_writable()
    assert error.id == "mediateka.E005"
    assert error.msg.startswith(f"MEDIATEKA_WORK_DIR: {blocker / 'work'} cannot be written")


def test_media_on_disk_that_cannot_be_written_fail(settings, tmp_path, db):
    assert checks.media_storage_writable() == []
    blocker = tmp_path / "media-file"
    blocker.write_text("a file where the media folder should be")
    settings.MEDIA_ROOT = blocker
    [error] = checks.media_storage_writable()
    assert error.id == "mediateka.E004" and error.msg.startswith("MEDIATEKA_DATA_DIR: the media storage")


def test_a_missing_bucket_fails(settings, s3_server):  # noqa: F811 - the fixture
    name = f"no-such-bucket-{uuid.uuid4().hex[:8]}"
    settings.MEDIATEKA_S3_BUCKET = name
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "mediateka.objectstore.s3.MediaStorage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": s3_server,
                "region_name": REGION,
                "addressing_style": "path",
                **KEYS,
            },
        },
    }
    [error] = checks.media_storage_writable()
    assert error.id == "mediateka.E004"
    assert error.msg.startswith(f"MEDIATEKA_S3_BUCKET: the media storage (bucket '{name}') cannot be written")
    assert "NoSuchBucket" in error.msg
    assert error.hint.startswith("Create the bucket")
