"""The hostile-input suite: crafted input through the real entry points, and proof that nothing moved.

`unchanged` snapshots every table (row count and a digest of its rows) and every file under the test's
media, upload, public-media and work folders; on leaving the block it asserts that both are exactly as
they were. A refusal that writes one row, leaves one `.part` file or touches one stored caption fails.
"""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

# Rows that a refused request may write without storing anything of the user's: sign-in bookkeeping.
IGNORED_TABLES = {"sessions.session", "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"}


def table_state() -> dict[str, tuple[int, str]]:
    state = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if label in IGNORED_TABLES or not model._meta.managed:
            continue
        rows = list(model._default_manager.order_by("pk").values_list())
        digest = hashlib.sha256(repr(rows).encode()).hexdigest()
        state[label] = (len(rows), digest)
    return state


def file_state() -> dict[str, str]:
    roots = {
        "media": Path(settings.MEDIA_ROOT),
        "uploads": Path(settings.MEDIATEKA_UPLOAD_DIR),
        "public": Path(settings.MEDIATEKA_PUBLIC_MEDIA_DIR),
        "work": Path(settings.MEDIATEKA_WORK_DIR),
    }
    files = {}
    for name, root in roots.items():
        if not root.exists():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_symlink():
                files[f"{name}/{path.relative_to(root)}"] = f"-> {path.readlink()}"
            elif path.is_file():
                files[f"{name}/{path.relative_to(root)}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def _changes(before: dict, after: dict) -> list[str]:
    return [
        f"{key}: {before.get(key)} -> {after.get(key)}"
        for key in sorted(before.keys() | after.keys())
        if before.get(key) != after.get(key)
    ]


@pytest.fixture
def unchanged(db):
    """`with unchanged(): ...` asserts that the block left every table and stored file as it found it."""

    @contextlib.contextmanager
    def block():
        tables, files = table_state(), file_state()
        yield
        moved = _changes(tables, table_state()) + _changes(files, file_state())
        assert not moved, "a refused input changed what is stored:\n" + "\n".join(moved)

    return block
