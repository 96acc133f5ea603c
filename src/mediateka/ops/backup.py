"""Backups: one tar archive holding a consistent copy of the database and a manifest of the media.

The database copy is taken first and in one go, and the media after it: the pointer flip writes an
encoding's files before the database names them, and superseded files stay for a grace period,
so every file that the copied database refers to is still there when the media are read.

- SQLite: the online backup API (a consistent snapshot while the site runs).
- PostgreSQL: `pg_dump --format=custom` when pg_dump is installed (one snapshot, exact types and
  sequences, restored with pg_restore); else Django's `dumpdata` of every app inside one
  REPEATABLE READ transaction, which needs no tool but holds the whole dump in memory.
- The archive is created 0600 in a folder created 0700: it holds password hashes, sessions and
  API tokens.
- Media: every stored file with its size and SHA-256. On disk storage the bytes go into the
  archive; on object storage only the manifest does (a bucket is backed up by its own versioning
  or replication), and `restore` checks the bucket against it.
"""

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction

FORMAT = "mediateka-backup/1"
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
# Transient or re-created rows that a restore does not need (dumpdata only).
DUMPDATA_EXCLUDE = ["contenttypes", "auth.permission", "sessions", "ops.workerheartbeat", "axes"]
SKIPPED_PREFIXES = ("healthz/",)


class BackupError(Exception):
    pass


@dataclass
class Summary:
    database_method: str
    media_files: int = 0
    media_bytes: int = 0
    media_included: bool = True
    problems: list[str] = field(default_factory=list)


# --- reading the media --------------------------------------------------------------------------


def media_names(prefix: str = "") -> list[str]:
    """Every file in the media storage, found with listdir so that disk and buckets agree."""
    try:
        directories, files = default_storage.listdir(prefix)
    except FileNotFoundError:
        return []
    base = f"{prefix}/" if prefix else ""
    names = [f"{base}{name}" for name in files]
    for directory in directories:
        names += media_names(f"{base}{directory}")
    return sorted(n for n in names if not n.startswith(SKIPPED_PREFIXES))


def _is_local() -> bool:
    try:
        default_storage.path("")
    except NotImplementedError:
        return False
    return True


class _HashingReader:
    """A file-like reader that hashes what passes through it: archive and checksum in one pass."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return False

    def read(self, n: int = -1) -> bytes:
        data = self.handle.read(n)
        self.digest.update(data)
        self.size += len(data)
        return data


def sha256_of_stored(name: str) -> str:
    with default_storage.open(name, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


# --- the database -------------------------------------------------------------------------------


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _tool(name: str) -> str | None:
    return shutil.which(name)


def choose_method(method: str) -> str:
    vendor = connection.vendor
    if method == "auto":
        if vendor == "sqlite":
            return "sqlite"
        if vendor == "postgresql" and _tool("pg_dump"):
            return "pg_dump"
        return "dumpdata"
    if method == "sqlite" and vendor != "sqlite":
        raise BackupError("the sqlite method needs an SQLite database")
    if method == "pg_dump" and (vendor != "postgresql" or not _tool("pg_dump")):
        raise BackupError("the pg_dump method needs PostgreSQL and pg_dump on the PATH")
    return method


def _dump_database(method: str, folder: Path) -> Path:
    if method == "sqlite":
        target = folder / "mediateka.sqlite3"
        source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]))
        copy = sqlite3.connect(str(target))
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
        return target
    if method == "pg_dump":
        target = folder / "postgresql.dump"
        args, env = _pg_environment()
        done = subprocess.run(  # noqa: S603 - fixed argv
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(target),
                *args,
            ],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise BackupError(f"pg_dump failed (try --method dumpdata): {done.stderr.strip()[-2000:]}")
        return target
    target = folder / "dumpdata.json"
    # One snapshot for every table, as pg_dump would see it (unless already inside a transaction,
    # whose isolation can no longer change).
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if snapshot:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        call_command(
            "dumpdata",
            natural_foreign=True,
            natural_primary=True,
            exclude=DUMPDATA_EXCLUDE,
            output=str(target),
            verbosity=0,
        )
    return target


def _file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


# --- writing ------------------------------------------------------------------------------------


def private_folder(folder: Path, *, tighten: bool) -> None:
    """Creates folder 0700; tighten: an existing one is made 0700 too (the default backups folder).

    An archive holds password hashes, sessions and API tokens."""
    existed = folder.exists()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if tighten or not existed:
        folder.chmod(0o700)


def open_private(path: Path):
    """A new file open for writing that only its owner may read, however the umask is set."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # the file may have existed (an interrupted run's partial)
    return os.fdopen(descriptor, "wb")


def write_backup(output: Path, *, method: str = "auto") -> Summary:
    method = choose_method(method)
    output = Path(output)
    private_folder(output.parent, tighten=output.parent == settings.DATA_DIR / "backups")
    partial = output.with_name(output.name + ".partial")
    include_media = _is_local()
    summary = Summary(database_method=method, media_included=include_media)
    with (
        tempfile.TemporaryDirectory(prefix="backup-") as scratch,
        open_private(partial) as handle,
        tarfile.open(fileobj=handle, mode="w") as archive,
    ):
        dump = _dump_database(method, Path(scratch))
        archive.add(dump, arcname=f"database/{dump.name}")
        database = {
            "vendor": connection.vendor,
            "method": method,
            "file": f"database/{dump.name}",
            "sha256": _file_sha256(dump),
        }
        media = []
        for name in media_names():
            try:
                size = default_storage.size(name)
                with default_storage.open(name, "rb") as handle:
                    reader = _HashingReader(handle)
                    if include_media:
                        info = tarfile.TarInfo(f"media/{name}")
                        info.size = size
                        info.mtime = int(datetime.now(UTC).timestamp())
                        archive.addfile(info, reader)
                    else:
                        while reader.read(CHUNK):
                            pass
            except FileNotFoundError:
                continue  # swept between the listing and the read: not referenced by the copy
            if reader.size != size:
                raise BackupError(f"{name} changed while it was read; run the backup again")
            media.append({"name": name, "size": size, "sha256": reader.digest.hexdigest()})
            summary.media_files += 1
            summary.media_bytes += size
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": database,
            "media_included": include_media,
            "media_note": ""
            if include_media
            else "Media are on object storage: this archive lists them with checksums but does not hold "
            "their bytes. Back the bucket up with its own versioning or replication.",
            "media": media,
        }
        data = json.dumps(manifest, indent=1, ensure_ascii=False).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(data)
        info.mtime = int(datetime.now(UTC).timestamp())
        archive.addfile(info, io.BytesIO(data))
    partial.replace(output)  # a half-written archive never has the final name
    return summary


# --- restoring ----------------------------------------------------------------------------------


def read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        manifest = json.load(archive.extractfile(MANIFEST))
    except KeyError:
        raise BackupError("not a Mediateka backup: the archive has no manifest.json") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def database_is_empty() -> bool:
    return not [t for t in connection.introspection.table_names() if not t.startswith("sqlite_")]


def _restore_database(archive: tarfile.TarFile, database: dict, scratch: Path) -> None:
    member = archive.getmember(database["file"])
    dump = scratch / Path(member.name).name
    with archive.extractfile(member) as source, dump.open("wb") as target:
        shutil.copyfileobj(source, target, CHUNK)
    if _file_sha256(dump) != database["sha256"]:
        raise BackupError("the database copy in the archive is damaged (checksum mismatch)")
    method = database["method"]
    if method == "sqlite":
        if connection.vendor != "sqlite":
            raise BackupError("this archive holds an SQLite database; restore it with SQLite settings")
        connection.close()
        name = Path(settings.DATABASES["default"]["NAME"])
        for suffix in ("-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(dump, name.with_name(name.name + ".restoring"))
        name.with_name(name.name + ".restoring").replace(name)
    elif method == "pg_dump":
        if connection.vendor != "postgresql" or not _tool("pg_restore"):
            raise BackupError("this archive holds a pg_dump; restore it into PostgreSQL with pg_restore")
        connection.close()
        args, env = _pg_environment()
        done = subprocess.run(  # noqa: S603 - fixed argv
            [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", *args, str(dump)],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise BackupError(f"pg_restore failed: {done.stderr.strip()[-2000:]}")
    else:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("loaddata", str(dump), verbosity=0)


def _restore_media(archive: tarfile.TarFile, manifest: dict, summary: Summary) -> None:
    for entry in manifest["media"]:
        name = entry["name"]
        if manifest["media_included"]:
            reader = _HashingReader(archive.extractfile(f"media/{name}"))
            saved = default_storage.save(name, File(reader, name=name))
            if saved != name:
                raise BackupError(f"the media storage is not empty: {name} was saved as {saved}")
            if reader.digest.hexdigest() != entry["sha256"]:
                summary.problems.append(f"{name}: checksum mismatch in the archive")
        elif not default_storage.exists(name):
            summary.problems.append(f"{name}: missing from the bucket")
            continue
        if sha256_of_stored(name) != entry["sha256"]:
            summary.problems.append(f"{name}: stored file differs from the manifest")
        summary.media_files += 1
        summary.media_bytes += entry["size"]


def restore_backup(path: Path, *, allow_existing_database: bool = False) -> Summary:
    with tarfile.open(path, "r") as archive:
        manifest = read_manifest(archive)
        if not allow_existing_database and not database_is_empty():
            raise BackupError("the database is not empty: restore into an empty database")
        if manifest["media_included"] and media_names():
            raise BackupError("the media storage is not empty: restore into an empty data dir or bucket")
        summary = Summary(
            database_method=manifest["database"]["method"], media_included=manifest["media_included"]
        )
        with tempfile.TemporaryDirectory(prefix="restore-") as scratch:
            _restore_database(archive, manifest["database"], Path(scratch))
        _restore_media(archive, manifest, summary)
    return summary
