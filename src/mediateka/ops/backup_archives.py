"""The archives `backup` has written, as files on the host: checked, and not kept for ever.

`verify` reads one through and checks every checksum in its manifest without restoring anything
(a copy taken off the host can be checked there); `prune` keeps the newest few.
"""

import hashlib
import tarfile
from pathlib import Path

from .backup import CHUNK, BackupError, Summary, read_manifest

PATTERN = "mediateka-*.tar"


def _digest(archive: tarfile.TarFile, member: str) -> tuple[str, int] | None:
    try:
        handle = archive.extractfile(member)
    except KeyError:
        return None
    digest, size = hashlib.sha256(), 0
    while data := handle.read(CHUNK):
        digest.update(data)
        size += len(data)
    return digest.hexdigest(), size


def verify(path: Path) -> Summary:
    """Every checksum of the archive checked against its manifest; nothing restored or written."""
    try:
        with tarfile.open(path, "r") as archive:
            return _verify(archive)
    except (OSError, tarfile.TarError, ValueError) as error:  # not a tar, or a damaged manifest
        raise BackupError(f"{path} cannot be read as a Mediateka backup: {error}") from None


def _verify(archive: tarfile.TarFile) -> Summary:
    manifest = read_manifest(archive)
    database = manifest["database"]
    result = Summary(database_method=database["method"], media_included=manifest["media_included"])
    try:
        found = _digest(archive, database["file"])
        if found is None:
            result.problems.append(f"{database['file']}: missing from the archive")
        elif found[0] != database["sha256"]:
            result.problems.append(f"{database['file']}: checksum mismatch")
        for entry in manifest["media"]:
            result.media_files += 1
            result.media_bytes += entry["size"]
            if not manifest["media_included"]:
                continue  # the bytes are in the bucket: `restore` checks them there
            found = _digest(archive, f"media/{entry['name']}")
            if found is None:
                result.problems.append(f"{entry['name']}: missing from the archive")
            elif found != (entry["sha256"], entry["size"]):
                result.problems.append(f"{entry['name']}: checksum mismatch")
    except (tarfile.TarError, OSError, EOFError) as error:
        result.problems.append(f"the archive ends early or is damaged: {error}")
    return result


def prune(folder: Path, keep: int) -> list[Path]:
    """Removes all but the newest `keep` archives named mediateka-<UTC time>.tar; returns them."""
    if keep < 1:
        raise BackupError("--keep must be at least 1: the archive just written is always kept")
    archives = sorted(folder.glob(PATTERN), key=lambda p: p.name)  # the names sort by time
    removed = archives[:-keep]
    for old in removed:
        old.unlink()
    return removed
