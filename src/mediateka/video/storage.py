"""Moving files between the worker's scratch space and the media storage.

Everything goes through Django's default storage, so the same code writes to disk or to object
storage; nothing here assumes a local path except the scratch side.
"""

import contextlib
import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage


def store_tree(local_dir: Path, prefix: str) -> int:
    """Copies every file under local_dir to storage under prefix; returns the bytes written."""
    total = 0
    for path in sorted(Path(local_dir).rglob("*")):
        if path.is_file():
            name = f"{prefix}/{path.relative_to(local_dir).as_posix()}"
            if default_storage.exists(name):
                default_storage.delete(name)
            with path.open("rb") as handle:
                saved = default_storage.save(name, File(handle))
            if saved != name:  # a storage that renames would break the playlists' relative links
                raise RuntimeError(f"storage saved {name} as {saved}")
            total += path.stat().st_size
    # Object storage gives the new objects the visibility of their film (objectstore.s3).
    tree_stored = getattr(default_storage, "tree_stored", None)
    if tree_stored is not None:
        tree_stored(prefix)
    return total


def move_into_storage(local: Path, name: str) -> None:
    """Moves a local file into storage under exactly `name`; the local file is gone afterwards.

    On disk storage on the same file system this is a rename, however large the file; otherwise
    (object storage, another file system) a streamed copy. Running it again after a crash is safe.
    """
    try:
        target = Path(default_storage.path(name))
    except NotImplementedError:
        target = None
    if target is not None:
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(local, target)
            return
        except OSError as error:
            if error.errno != errno.EXDEV:
                raise
    if default_storage.exists(name):  # half of an earlier attempt: a storage that renames would keep it
        default_storage.delete(name)
    with local.open("rb") as handle:
        saved = default_storage.save(name, File(handle))
    if saved != name:
        raise RuntimeError(f"storage saved {name} as {saved}")
    local.unlink()


def delete_tree(prefix: str) -> None:
    try:
        directories, files = default_storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in files:
        default_storage.delete(f"{prefix}/{name}")
    for directory in directories:
        delete_tree(f"{prefix}/{directory}")
    with contextlib.suppress(NotImplementedError, OSError):  # local storage leaves empty folders behind
        os.rmdir(default_storage.path(prefix))


@contextmanager
def local_copy(name: str) -> Iterator[Path]:
    """A local path for a stored file: the file itself on disk, else a temporary download."""
    try:
        local = Path(default_storage.path(name))
    except NotImplementedError:
        local = None
    if local is not None:
        yield local
        return
    suffix = Path(name).suffix
    with tempfile.NamedTemporaryFile(suffix=suffix) as tmp, default_storage.open(name, "rb") as source:
        shutil.copyfileobj(source, tmp, 1024 * 1024)
        tmp.flush()
        yield Path(tmp.name)


def stream_range(name: str, first: int, length: int, chunk: int) -> Iterator[bytes]:
    """Bytes first..first+length-1 of a stored file: one ranged GET on object storage, a seek on disk."""
    ranged = getattr(default_storage, "stream_range", None)
    if ranged is not None:
        yield from ranged(name, first, length, chunk)
        return
    with default_storage.open(name, "rb") as handle:
        handle.seek(first)
        remaining = length
        while remaining > 0:
            data = handle.read(min(chunk, remaining))
            if not data:
                break
            remaining -= len(data)
            yield data
