"""The archives `backup` writes: private on disk, checked without a restore, pruned to the newest."""

import io
import os
import stat
import tarfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError

SEGMENT = os.urandom(50_000)


def _backup(*args: str) -> str:
    out = io.StringIO()
    call_command("backup", "--method", "dumpdata", *args, stdout=out)
    return out.getvalue()


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def data_dir(settings, tmp_path, db):
    settings.DATA_DIR = tmp_path / "data"
    default_storage.save("encodings/Pfx1/144p/seg_00001.m4s", ContentFile(SEGMENT))
    return settings.DATA_DIR


def test_archives_are_0600_in_a_0700_folder_whatever_the_umask(data_dir, tmp_path):
    old = os.umask(0o002)
    try:
        written = _backup()
        archive = next((data_dir / "backups").glob("mediateka-*.tar"))
        assert str(archive) in written
        assert (_mode(archive), _mode(archive.parent)) == (0o600, 0o700)
        archive.parent.chmod(0o755)  # loosened by hand: the next backup tightens it again
        _backup()
        assert _mode(archive.parent) == 0o700
        elsewhere = tmp_path / "offsite" / "copy.tar"  # a folder backup creates is private too
        _backup("--output", str(elsewhere))
        assert (_mode(elsewhere), _mode(elsewhere.parent)) == (0o600, 0o700)
    finally:
        os.umask(old)


def test_verify_checks_every_checksum_without_restoring(data_dir, tmp_path):
    archive = tmp_path / "mediateka.tar"
    _backup("--output", str(archive))
    out = io.StringIO()
    call_command("backup", "--verify", str(archive), stdout=out)
    assert "is whole" in out.getvalue() and "1 media files (50000 bytes)" in out.getvalue()

    with tarfile.open(archive) as tar:
        start = tar.getmember("media/encodings/Pfx1/144p/seg_00001.m4s").offset_data
    damaged = bytearray(archive.read_bytes())
    damaged[start + 100] ^= 0xFF  # one bit-flipped byte in the segment's copy
    archive.write_bytes(bytes(damaged))
    errors = io.StringIO()
    with pytest.raises(CommandError, match="is damaged: 1 problems"):
        call_command("backup", "--verify", str(archive), stdout=io.StringIO(), stderr=errors)
    assert "encodings/Pfx1/144p/seg_00001.m4s: checksum mismatch" in errors.getvalue()

    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(archive.read_bytes()[:2048])
    with pytest.raises(CommandError, match=r"truncated\.tar cannot be read"):
        call_command("backup", "--verify", str(truncated), stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError, match="is not a file"):
        call_command("backup", "--verify", str(tmp_path / "nothing.tar"))


def test_keep_prunes_all_but_the_newest_archives(data_dir):
    folder = data_dir / "backups"
    folder.mkdir(parents=True)
    old = [folder / f"mediateka-2026010{day}T020000Z.tar" for day in range(1, 5)]
    for path in old:
        path.write_bytes(b"an older archive")
    unrelated = folder / "notes.txt"
    unrelated.write_text("kept")
    written = _backup("--keep", "2")
    left = sorted(p.name for p in folder.glob("mediateka-*.tar"))
    assert len(left) == 2 and left[0] == old[-1].name  # the newest old one and the new one
    assert written.count("Removed ") == 3 and unrelated.exists()
    with pytest.raises(CommandError, match="--keep must be at least 1"):
        _backup("--keep", "0")
