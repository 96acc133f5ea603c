"""`mediateka manage backup` and `restore`, round-tripped between two real data dirs (and databases)."""

import hashlib
import json
import os
import re
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from mediateka.ops.backup import BackupError, restore_backup, write_backup
from tests.live import django_script, mediateka, process_env

MEDIA = """
import os
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
files = {
    "originals/a1/source.mp4": os.urandom(300_000),
    "encodings/Pfx1/master.m3u8": b"#EXTM3U\\n",
    "encodings/Pfx1/144p/seg_00001.m4s": os.urandom(70_000),
    "captions/Cap1/tg-subtitles.vtt": "WEBVTT\\n\\n00:00.000 --> 00:01.000\\nСалом\\n".encode(),
    "empty.txt": b"",
}
for name, data in files.items():
    assert default_storage.save(name, ContentFile(data)) == name
"""
DUMP = """
import io
from django.core.management import call_command
out = io.StringIO()
call_command("dumpdata", "catalogue", "mission", "video", "auth.user", "auth.group",
             natural_foreign=True, natural_primary=True, stdout=out)
print(out.getvalue())
"""


def _sorted(objects: list) -> list:
    return sorted(objects, key=lambda o: json.dumps(o, sort_keys=True))


def _dumped(text: str) -> list:
    # Django's JSON writes a time's milliseconds only when it has microseconds: 31.0004 s is written
    # "31.000Z", read back as 31 s and written again "31Z". The same instant to the millisecond the
    # dump keeps, so both spellings are read as one.
    return _sorted(json.loads(re.sub(r'(T\d\d:\d\d:\d\d)Z"', r'\1.000Z"', text)))


def _database(env) -> list:
    return _dumped(django_script(env, DUMP))


RESTORE_THEN_DUMP = (
    """
import io, sys
from django.core.management import call_command
report = io.StringIO()
call_command("restore", {archive!r}, stdout=report)
print(report.getvalue().strip(), file=sys.stderr)
"""
    + DUMP
)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _media(data_dir: Path) -> dict[str, str]:
    root = data_dir / "media"
    return {p.relative_to(root).as_posix(): _sha256(p) for p in root.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("source") / "data"
    env = process_env(data_dir)
    done = mediateka(env, "demo", "--no-samples")
    assert done.returncode == 0, done.stderr
    django_script(env, MEDIA)
    return {"env": env, "data_dir": data_dir, "database": _database(env), "media": _media(data_dir)}


def _methods():
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    return ["pg_dump" if on_postgres else "sqlite", "dumpdata"]


@pytest.mark.parametrize("method", _methods())
def test_backup_restores_the_database_and_every_media_file_with_its_checksum(source, tmp_path, method):
    archive = tmp_path / "mediateka.tar"
    done = mediateka(source["env"], "manage", "backup", "--output", str(archive), "--method", method)
    assert done.returncode == 0, done.stderr
    assert f"database by {method}" in done.stdout

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    assert manifest["database"]["method"] == method and manifest["media_included"]
    assert {entry["name"]: entry["sha256"] for entry in manifest["media"]} == source["media"]

    target_dir = tmp_path / "target"
    target = process_env(target_dir)
    # One process restores, then dumps what it restored (each start of Python costs seconds).
    restored = _dumped(django_script(target, RESTORE_THEN_DUMP.format(archive=str(archive))))
    assert restored == source["database"]
    assert _media(target_dir) == source["media"]  # every file back, byte for byte


def test_restore_refuses_a_database_that_is_not_empty(db, tmp_path):
    archive = tmp_path / "mediateka.tar"
    write_backup(archive, method="dumpdata")
    with pytest.raises(BackupError, match="database is not empty"):
        restore_backup(archive)  # into the test database, which has its tables: a live library


def test_restore_refuses_a_media_storage_that_is_not_empty(db, tmp_path, settings):
    archive = tmp_path / "mediateka.tar"
    default_storage.save("originals/x/source.mp4", ContentFile(b"film"))
    write_backup(archive, method="dumpdata")
    with pytest.raises(BackupError, match="media storage is not empty"):
        restore_backup(archive, allow_existing_database=True)
