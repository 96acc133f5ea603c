"""Crafted files through the real import entry points: each is refused with a message naming what is
wrong, and leaves every table and stored file as it was.

The entry points: `manage import` (the catalogue as JSON), `manage import_films_csv`, and the outreach
officer's import page. Each crafted catalogue and film sheet also carries a valid edit ahead of the bad
part, so `unchanged` proves that the refusal is whole, not merely that the bad row was skipped.
"""

import codecs
import io
import json
import time
import zipfile
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from openpyxl import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from mediateka.catalogue import roles
from mediateka.catalogue.models import Film, Status
from mediateka.mission.models import Organisation
from mediateka.outreach.importer import MAX_ROWS
from mediateka.outreach.models import Membership
from mediateka.transfer.catalogue_json import dumps, export_catalogue
from tests.api.conftest import add_version

PUBLIC_VIDEO = [["public"], "tg"]
SECRET_VIDEO = [["secret"], "ru"]
PUBLIC_CAPTION = [PUBLIC_VIDEO, "en", "subtitles"]
SECRET_CAPTION = [SECRET_VIDEO, "en", "subtitles"]


@pytest.fixture(autouse=True)
def _quick_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def library(db):
    """A published film and a draft, each with a version, an encoding and caption files in storage."""
    Organisation.objects.create(key="iom", name_en="IOM", kind="intergovernmental")
    public = Film.objects.create(slug="public", title_en="Public", status=Status.PUBLISHED)
    add_version(public, "tg")
    secret = Film.objects.create(slug="secret", title_en="Secret", status=Status.DRAFT)
    add_version(secret, "ru")


# ---------------------------------------------------------------- the catalogue as JSON


def _row(document: dict, table: str, key) -> dict:
    key = key(document) if callable(key) else key
    return next(row for row in document["tables"][table] if row["_key"] == key)


def edit(table: str, key, field: str, value):
    def mutate(document):
        _row(document, table, key)[field] = value(document) if callable(value) else value

    return mutate


def add(table: str, row: dict):
    return lambda document: document["tables"][table].append(row)


def encoding_of(video):
    return lambda document: _row(document, "videos", video)["current_encoding"]


def rung_of(video, name):
    return lambda document: [encoding_of(video)(document), name]


def field_of(table, key, field):
    return lambda document: _row(document, table, key)[field]


JSON_CASES = {
    "published-film-without-slug-or-title": (
        add("films", {"_key": [""], "slug": "", "status": "published", "title_en": ""}),
        "films row 3 (slug ''): title_en: This field cannot be blank.",
    ),
    "slug-that-is-a-path": (
        add("films", {"_key": ["../../x"], "slug": "../../x", "title_en": "Escape"}),
        "films row 3 (slug '../../x'): slug: Enter a valid “slug”",
    ),
    "title-as-nested-list": (
        edit("films", ["public"], "title_en", [[[["deep"]]]]),
        "films row 1 (slug 'public'): title_en: expected a string, not a list.",
    ),
    "title-too-long": (
        edit("films", ["public"], "title_en", "x" * 301),
        "title_en: Ensure this value has at most 300 characters (it has 301).",
    ),
    "status-not-a-choice": (
        edit("films", ["public"], "status", "leaked"),
        "films row 1 (slug 'public'): status: Value 'leaked' is not a valid choice.",
    ),
    "year-as-text": (
        edit("films", ["public"], "year", "2013"),
        "year: expected a whole number, not the string '2013'.",
    ),
    "boolean-as-text": (
        edit("films", ["public"], "title_is_devised", "yes"),
        "title_is_devised: expected true or false, not the string 'yes'.",
    ),
    "nul-character": (
        edit("films", ["public"], "synopsis_en", "safe\x00migration"),
        "synopsis_en: a NUL character is not allowed.",
    ),
    "unknown-field": (
        edit("films", ["public"], "is_superuser", True),
        "films row 1 (slug 'public'): unknown field 'is_superuser'.",
    ),
    "key-not-matching-the-row": (
        edit("films", ["public"], "_key", ["elsewhere"]),
        "films row 1 (slug 'public'): _key: does not match the row's own slug.",
    ),
    "the-same-record-twice": (
        add("films", {"_key": ["public"], "slug": "public", "title_en": "Twice"}),
        "films row 3 (slug 'public'): _key: the same record as row 1.",
    ),
    "link-as-an-object": (
        edit("videos", PUBLIC_VIDEO, "film", {"slug": "public"}),
        "film: expected the key of a row of films, not an object.",
    ),
    "link-to-a-record-not-in-the-file": (
        edit("films", ["public"], "collection", ["nowhere"]),
        "collection: Collection ['nowhere'] is named but not in the file.",
    ),
    "draft-caption-file-on-a-public-film": (
        edit("captions", PUBLIC_CAPTION, "file", field_of("captions", SECRET_CAPTION, "file")),
        "holds the file of another caption track.",
    ),
    "caption-path-climbing-out": (
        edit("captions", PUBLIC_CAPTION, "file", "captions/../../secret_key"),
        "file: 'captions/../../secret_key' is not a path the storage makes (captions/<folder>/<file>).",
    ),
    "caption-absolute-path": (
        edit("captions", PUBLIC_CAPTION, "file", "/etc/passwd"),
        "file: '/etc/passwd' is not a path the storage makes",
    ),
    "caption-under-encodings": (
        edit("captions", PUBLIC_CAPTION, "file", "encodings/abc/master.m3u8"),
        "is not a path the storage makes (captions/<folder>/<file>).",
    ),
    "original-of-another-version": (
        edit("videos", PUBLIC_VIDEO, "original", field_of("videos", SECRET_VIDEO, "original")),
        "original: originals/secret-ru/ holds the file of another version.",
    ),
    "encoding-prefix-climbing-out": (
        add("encodings", {"_key": ["../media"], "prefix": "../media", "video": PUBLIC_VIDEO}),
        "prefix: '../media' is not an encoding prefix",
    ),
    "poster-climbing-out": (
        edit("encodings", encoding_of(PUBLIC_VIDEO), "poster", "../../secret_key"),
        "poster: '../../secret_key' is not a file name inside the encoding's folder.",
    ),
    "rung-playlist-absolute": (
        edit("rungs", rung_of(PUBLIC_VIDEO, "144p"), "playlist", "/etc/passwd"),
        "playlist: '/etc/passwd' is not a file name inside the encoding's folder.",
    ),
    "current-encoding-of-the-draft": (
        edit("videos", PUBLIC_VIDEO, "current_encoding", encoding_of(SECRET_VIDEO)),
        "is not an encoding of this version.",
    ),
    "draft-encoding-moved-to-the-public-version": (
        edit("encodings", encoding_of(SECRET_VIDEO), "video", PUBLIC_VIDEO),
        "video: this encoding belongs to another version.",
    ),
    "duration-not-a-number": (
        edit("videos", PUBLIC_VIDEO, "duration", float("nan")),
        "duration: expected a number, not NaN.",
    ),
    "number-beyond-the-database": (
        add(
            "credits",
            {
                "_key": [["public"], None, ["iom"], "producer", 10**30],
                **{"film": ["public"], "collection": None, "organisation": ["iom"]},
                **{"role": "producer", "position": 10**30},
            },
        ),
        "credits row 1 (film ['public'], collection None, organisation ['iom'], role 'producer', "
        "position 1000000000000000000000000000000): position: Ensure this value is less than or equal to",
    ),
    "unknown-table": (
        lambda document: document["tables"].update(users=[{"username": "root"}]),
        "tables: unknown table 'users'.",
    ),
}


@pytest.mark.parametrize(("mutate", "message"), JSON_CASES.values(), ids=JSON_CASES.keys())
def test_a_crafted_catalogue_is_refused_whole(library, unchanged, tmp_path, mutate, message):
    document = json.loads(dumps(export_catalogue()))
    _row(document, "organisations", ["iom"])["name_en"] = "A valid edit ahead of the bad row"
    mutate(document)
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    err = StringIO()
    with unchanged(), pytest.raises(CommandError, match=r"problem\(s\); nothing was imported\."):
        call_command("import", str(path), stdout=StringIO(), stderr=err)
    assert message in err.getvalue()


RAW_CASES = {
    "nested-too-deeply": ("[" * 100_000 + "]" * 100_000, "it is nested too deeply to be a catalogue."),
    "not-json": ("{not json", "Expecting property name enclosed in double quotes"),
    "another-format": (
        '{"format": "something-else", "version": 1, "tables": {}}',
        "Not a mediateka-catalogue",
    ),
    "a-list-not-an-object": ("[]", "Not a mediateka-catalogue version 1 file."),
}


@pytest.mark.parametrize(("text", "message"), RAW_CASES.values(), ids=RAW_CASES.keys())
def test_a_file_that_is_no_catalogue_is_refused(library, unchanged, tmp_path, text, message):
    path = tmp_path / "catalogue.json"
    path.write_text(text, encoding="utf-8")
    err = StringIO()
    with unchanged(), pytest.raises(CommandError) as refused:
        call_command("import", str(path), stdout=StringIO(), stderr=err)
    assert message in err.getvalue() + str(refused.value)


# ---------------------------------------------------------------- films from a spreadsheet

VALID_ROW = "public,Changed ahead of the bad row\n"
CSV_CASES = {
    "cell-of-20-mb": (
        f"slug,title_en\n{VALID_ROW}huge," + "x" * 20_000_000 + "\n",
        "Row 3: a cell is longer than 131072 characters.",
    ),
    "one-slug-on-two-rows": (
        f"slug,title_en\n{VALID_ROW}public,Again\n",
        "Row 3: the slug 'public' is also on row 2; a film may be on one row only.",
    ),
    "badly-quoted": (
        f'slug,title_en\n{VALID_ROW}new,"Quoted"then not\n',
        "Row 3: this is not well-formed CSV (',' expected after '\"').",
    ),
    "slug-that-is-a-path": (
        f"slug,title_en\n{VALID_ROW}../../x,Escape\n",
        "Row 3: slug: String should match pattern",
    ),
    "no-english-title": (
        f"slug,title_en,title_ru\n{VALID_ROW.strip()},\nnew,,Новый\n",
        "Row 3: title: The English title is required",
    ),
    "status-not-a-choice": (
        f"slug,title_en,status\n{VALID_ROW.strip()},\nnew,New,leaked\n",
        "Row 3: status: Input should be",
    ),
    "more-cells-than-columns": (
        f"slug,title_en\n{VALID_ROW}new,New,extra\n",
        "Row 3: more cells than the header has columns.",
    ),
    "unknown-column": (
        f"slug,title_en,is_superuser\n{VALID_ROW.strip()},yes\n",
        "Row 1: unknown column 'is_superuser'.",
    ),
}


@pytest.mark.parametrize(("text", "message"), CSV_CASES.values(), ids=CSV_CASES.keys())
def test_a_crafted_film_sheet_is_refused_whole(library, unchanged, tmp_path, text, message):
    path = tmp_path / "films.csv"
    path.write_text(text, encoding="utf-8")
    err = StringIO()
    with unchanged(), pytest.raises(CommandError, match=r"nothing was written"):
        call_command("import_films_csv", str(path), stdout=StringIO(), stderr=err)
    assert message in err.getvalue()


def test_a_film_sheet_that_is_not_utf8_is_refused(library, unchanged, tmp_path):
    path = tmp_path / "films.csv"
    path.write_bytes("slug,title_ru\npublic,Фильм\n".encode("cp1251"))
    with unchanged(), pytest.raises(CommandError, match="as UTF-8"):
        call_command("import_films_csv", str(path), stdout=StringIO(), stderr=StringIO())


# ---------------------------------------------------------------- the outreach import page


@pytest.fixture
def officer(library, django_user_model):
    user = django_user_model.objects.create_user("officer-h", password="test-password-1", is_staff=True)
    user.groups.add(Group.objects.get(name=roles.OUTREACH_OFFICER))
    organisation = Organisation.objects.create(key="ngo-h", name_en="NGO", kind="ngo")
    Membership.objects.create(user=user, organisation=organisation)
    return user


def _zip_bomb() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b" " * (60 * 1024 * 1024))
    return out.getvalue()


def _rows_csv(count: int) -> bytes:
    return ("date,district,venue_kind,films\n" + "2013-05-14,vose,school,public\n" * count).encode()


PAGE_CASES = {
    "one-column": ("one.csv", b"date\n2013-04-01\n", "The file has only one column"),
    "binary-11-bytes": (
        "photo.csv",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00",
        "This file is not a table: it holds binary",
    ),
    "utf16-other-columns": (
        "u.csv",
        "name;age\nA;3\n".encode("utf-16"),
        "The first row must name the columns",
    ),
    "utf16-cut-short": ("u.csv", codecs.BOM_UTF16_LE + b"d\x00a", "The file could not be read as text"),
    "cell-of-9-mb": (
        "big.csv",
        b"date,district,notes\n2013-05-14,vose," + b"x" * 9_000_000 + b"\n",
        "Row 2 has a cell longer than 131072 characters.",
    ),
    "too-many-rows": (
        "many.csv",
        _rows_csv(MAX_ROWS + 1),
        f"At most {MAX_ROWS} rows can be imported at a time.",
    ),
    "not-a-workbook": ("sheet.xlsx", b"PK\x03\x04 but no workbook", "This is not a readable XLSX file."),
    "zip-bomb": ("bomb.xlsx", _zip_bomb(), "This XLSX file is too large once unpacked: at most 25 MB."),
}


def _post(client, name: str, content: bytes):
    upload = io.BytesIO(content)
    upload.name = name
    return client.post("/en/outreach/import/", {"file": upload})  # no dry run: a real import


@pytest.mark.parametrize(("name", "content", "message"), PAGE_CASES.values(), ids=PAGE_CASES.keys())
def test_the_import_page_refuses_a_crafted_file_with_a_message(
    client, officer, unchanged, name, content, message
):
    client.force_login(officer)
    with unchanged():
        response = _post(client, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()


@pytest.fixture(scope="session")
def sheet_of_100000_rows() -> bytes:
    """A workbook of 100,000 rows stating its size, as Excel and Kobo write it; the rows are written
    into openpyxl's sheet directly, which takes a fraction of the seconds openpyxl would."""
    book = Workbook()
    book.active.append(["date", "district"])
    saved = io.BytesIO()
    book.save(saved)
    rows = "".join(
        f'<row r="{n}"><c r="A{n}"><v>{n}</v></c><c r="B{n}"><v>{n}</v></c></row>' for n in range(2, 100_002)
    )
    out = io.BytesIO()
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                sheet = data.decode().replace('ref="A1:B1"', 'ref="A1:B100001"')
                data = sheet.replace("</sheetData>", rows + "</sheetData>").encode()
            target.writestr(name, data)
    return out.getvalue()


def test_a_sheet_of_100000_rows_is_refused_after_reading_one_row_past_the_limit(
    client, officer, unchanged, sheet_of_100000_rows, monkeypatch
):
    read = []
    real = ReadOnlyWorksheet._get_row
    monkeypatch.setattr(ReadOnlyWorksheet, "_get_row", lambda *a, **k: read.append(1) or real(*a, **k))
    client.force_login(officer)
    started = time.monotonic()
    with unchanged():
        response = _post(client, "export.xlsx", sheet_of_100000_rows)
    assert f"At most {MAX_ROWS} rows can be imported at a time." in response.content.decode()
    assert len(read) == MAX_ROWS + 2  # the header, the rows allowed, and the one over
    assert time.monotonic() - started < 10
