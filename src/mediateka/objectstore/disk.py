"""Media on the local disk, with the public films' folders linked into a tree nginx serves itself.

A published film's encodings and captions are public, like public-read objects in a bucket: the
front server can hand them out without asking Django. `exposure` keeps one symbolic link per
public prefix under MEDIATEKA_PUBLIC_MEDIA_DIR (`<dir>/media/encodings/<prefix>` -> the folder in
MEDIA_ROOT) and removes it when the film stops being public. nginx looks there first for
`/media/…` and passes whatever it does not find to Django, which checks the film and answers
through X-Accel-Redirect (docs/deploy.md). Without nginx nothing changes: Django serves the same
addresses. Drafts are never linked; they stay behind signed addresses.
"""

import os
import threading
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class MediaStorage(FileSystemStorage):
    public_read = True

    def public_root(self) -> Path:
        # Read when used, so that a changed setting (a test's data dir) is followed like MEDIA_ROOT.
        return Path(settings.MEDIATEKA_PUBLIC_MEDIA_DIR) / "media"

    def tree_stored(self, prefix: str) -> None:
        from .exposure import sync_prefix

        sync_prefix(prefix)

    def expose(self, prefix: str, public: bool) -> None:
        """Links (public) or unlinks the prefix's folder."""
        link = self.public_root() / prefix
        target = Path(self.path(prefix))
        if not public or not target.is_dir():
            if link.is_symlink():
                link.unlink()
            return
        link.parent.mkdir(parents=True, exist_ok=True)
        # Made beside and renamed over: a concurrent reader sees the old link or the new, never none.
        staging = link.with_name(f".{link.name}.{os.getpid()}.{threading.get_ident()}")
        if staging.is_symlink():
            staging.unlink()
        staging.symlink_to(target, target_is_directory=True)
        os.replace(staging, link)
