"""The `unchanged` guard itself must notice a stray row and a stray file, or the suite proves nothing."""

from pathlib import Path

import pytest
from django.conf import settings

from mediateka.catalogue.models import Film


def test_unchanged_notices_a_new_row(unchanged):
    with pytest.raises(AssertionError, match=r"catalogue\.film"), unchanged():
        Film.objects.create(slug="stray", title="Stray")


def test_unchanged_notices_a_leftover_file(unchanged):
    folder = Path(settings.MEDIATEKA_UPLOAD_DIR)
    with pytest.raises(AssertionError, match=r"uploads/left\.part"), unchanged():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "left.part").write_bytes(b"")


def test_unchanged_passes_when_nothing_moves(unchanged):
    Film.objects.create(slug="kept", title="Kept")
    with unchanged():
        assert Film.objects.filter(slug="kept").exists()
