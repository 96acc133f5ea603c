"""`mediateka manage export` / `import`: the whole catalogue as JSON, without loss."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from mediateka.api.transfer import TABLES, TransferError, _fields, dumps, export_catalogue, import_catalogue
from mediateka.catalogue.models import Film
from mediateka.video.models import Video


def _export() -> str:
    out = StringIO()
    call_command("export", stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_export_flush_import_export_is_identical(rich_film, make_film, tmp_path):
    make_film("a-draft", status="draft", audience_tg="Муҳоҷирон")
    first = _export()
    document = json.loads(first)
    assert {t.name for t in TABLES} == set(document["tables"])
    assert document["tables"]["films"] and document["tables"]["encodings"] and document["tables"]["captions"]
    call_command("flush", interactive=False, verbosity=0)
    assert not Film.objects.exists()
    path = tmp_path / "catalogue.json"
    path.write_text(first, encoding="utf-8")
    call_command("import", str(path), stdout=StringIO())
    assert _export() == first
    # And the restored rows still hang together: the version plays its encoding.
    video = Video.objects.get(film__slug="every-one-of-us", language="ru")
    assert video.current_encoding.video_id == video.pk


def test_every_field_of_every_table_is_written(rich_film):
    document = export_catalogue()
    for table in TABLES:
        rows = document["tables"][table.name]
        if rows:
            assert {f.name for f in _fields(table.model)} | {"_key", *table.m2m} == set(rows[0]), table.name


def test_import_updates_records_with_the_same_keys(rich_film):
    document = export_catalogue()
    film = next(row for row in document["tables"]["films"] if row["slug"] == "every-one-of-us")
    film["title_ru"] = "Каждый из нас"
    written = import_catalogue(json.loads(dumps(document)))
    assert written["films"] == 1
    assert Film.objects.get(slug="every-one-of-us").title_ru == "Каждый из нас"
    assert Film.objects.count() == 1


def test_import_refuses_other_files_and_writes_nothing(rich_film, tmp_path):
    with pytest.raises(TransferError):
        import_catalogue({"format": "something-else"})
    document = export_catalogue()
    document["tables"]["films"][0]["collection"] = ["no-such-collection"]
    document["tables"]["films"][0]["title_en"] = "Changed"
    with pytest.raises(TransferError):
        import_catalogue(document)
    assert Film.objects.get().title_en == "Every One of Us"
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(CommandError):
        call_command("import", str(bad))
