"""`mediateka manage export` / `import`: the whole catalogue as JSON, without loss."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from mediateka.catalogue.models import Film
from mediateka.mission.models import Organisation
from mediateka.search import index
from mediateka.transfer.catalogue_json import (
    TABLES,
    TransferError,
    _fields,
    dumps,
    export_catalogue,
    import_catalogue,
)
from mediateka.video.models import CaptionTrack, Video


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


def _exported() -> dict:
    return json.loads(dumps(export_catalogue()))


def _row(document: dict, table: str, key: list) -> dict:
    return next(row for row in document["tables"][table] if row["_key"] == key)


def _refusal(document: dict) -> str:
    with pytest.raises(TransferError) as refused:
        import_catalogue(json.loads(dumps(document)))
    return str(refused.value)


def test_a_published_film_without_slug_or_title_is_refused_with_a_message_per_row(rich_film):
    document = _exported()
    document["tables"]["films"].append({"_key": [""], "slug": "", "status": "published", "title_en": ""})
    document["tables"]["films"].append({"_key": ["../../x"], "slug": "../../x", "title_en": "Escape"})
    problems = _refusal(document).splitlines()
    assert "films row 2 (slug ''): slug: This field cannot be blank." in problems
    assert "films row 2 (slug ''): title_en: This field cannot be blank." in problems
    assert any(p.startswith("films row 3 (slug '../../x'): slug: Enter a valid “slug”") for p in problems)
    assert Film.objects.count() == 1


def test_a_title_of_the_wrong_type_is_refused_not_turned_into_text(rich_film):
    document = _exported()
    _row(document, "films", ["every-one-of-us"])["title_ru"] = [[[["Каждый"]]]]
    _row(document, "films", ["every-one-of-us"])["year"] = "2013"
    problems = _refusal(document).splitlines()
    assert "films row 1 (slug 'every-one-of-us'): title_ru: expected a string, not a list." in problems
    assert (
        "films row 1 (slug 'every-one-of-us'): year: expected a whole number, not the string '2013'."
        in problems
    )
    assert Film.objects.get().title_ru == ""


def test_a_caption_cannot_take_the_file_of_a_draft_films_caption(rich_film, make_film):
    draft = make_film("a-draft", status="draft")
    draft_file = draft.videos.get().captions.get(language="en").file
    document = _exported()
    public_caption = _row(document, "captions", [[["every-one-of-us"], "ru"], "tg", "subtitles"])
    public_caption["file"] = draft_file
    folder = draft_file.rsplit("/", 1)[0]
    assert f"file: {folder}/ holds the file of another caption track." in _refusal(document)
    assert CaptionTrack.objects.filter(file=draft_file).count() == 1


@pytest.mark.parametrize(
    ("table", "field", "value", "message"),
    [
        ("captions", "file", "captions/../../secret_key", "is not a path the storage makes"),
        ("captions", "file", "/etc/passwd", "is not a path the storage makes"),
        ("videos", "original", "originals/../../../etc/passwd", "is not a path the storage makes"),
        ("encodings", "poster", "../../secret_key", "is not a file name inside the encoding's folder"),
        ("encodings", "download", "/srv/media/other.mp4", "is not a file name inside the encoding's folder"),
        ("rungs", "playlist", "360p/../../../x.m3u8", "is not a file name inside the encoding's folder"),
    ],
)
def test_stored_paths_must_have_the_shape_the_storage_makes(rich_film, table, field, value, message):
    document = _exported()
    document["tables"][table][0][field] = value
    assert message in _refusal(document)


def test_a_version_cannot_play_an_encoding_of_another_version(rich_film, make_film):
    make_film("a-draft", status="draft")
    document = _exported()
    draft_encoding = _row(document, "videos", [["a-draft"], "tg"])["current_encoding"]
    _row(document, "videos", [["every-one-of-us"], "ru"])["current_encoding"] = draft_encoding
    assert "current_encoding: " in _refusal(document)
    assert "is not an encoding of this version." in _refusal(document)


def test_an_encoding_cannot_move_to_another_version(rich_film, make_film):
    make_film("a-draft", status="draft")
    document = _exported()
    public_video = _row(document, "videos", [["every-one-of-us"], "ru"])
    draft_encoding = _row(
        document, "encodings", _row(document, "videos", [["a-draft"], "tg"])["current_encoding"]
    )
    draft_encoding["video"] = public_video["_key"]
    assert "video: this encoding belongs to another version." in _refusal(document)


def test_a_refused_row_anywhere_leaves_the_database_exactly_as_it_was(rich_film):
    document = _exported()
    _row(document, "films", ["every-one-of-us"])["title_en"] = "Changed"
    _row(document, "organisations", ["iom"])["name_en"] = "Changed"
    document["tables"]["captions"][-1]["file"] = "captions/../x.vtt"
    _refusal(document)
    assert Film.objects.get().title_en == "Every One of Us"
    assert Organisation.objects.get(key="iom").name_en == "International Organization for Migration"


@pytest.mark.django_db(transaction=True)
def test_a_failing_search_index_neither_fails_the_committed_import_nor_later_ones(
    rich_film, tmp_path, monkeypatch
):
    def broken(film_ids):
        raise RuntimeError("the index is unwell")

    monkeypatch.setattr(index, "index_films", broken)
    document = _exported()
    _row(document, "films", ["every-one-of-us"])["title_en"] = "First"
    path = tmp_path / "catalogue.json"
    path.write_text(dumps(document), encoding="utf-8")
    call_command("import", str(path), stdout=StringIO())
    assert Film.objects.get().title_en == "First"
    _row(document, "films", ["every-one-of-us"])["title_en"] = "Second"
    path.write_text(dumps(document), encoding="utf-8")
    call_command("import", str(path), stdout=StringIO())
    assert Film.objects.get().title_en == "Second"
    assert Video.objects.get(language="ru").current_encoding.video.film.title_en == "Second"


def test_the_demo_catalogue_imports_into_itself_unrefused(demo):
    written = import_catalogue(json.loads(dumps(export_catalogue())))
    assert written["films"] == Film.objects.count() > 0
