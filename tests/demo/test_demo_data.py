"""The demo catalogue's data files: every text in three languages, every reference resolved, and a
second load changing nothing."""

import pytest

from mediateka.catalogue.models import Collection, Film, Theme
from mediateka.demo.loader import FILES, LANGUAGES, load, read
from mediateka.mission.models import Mission, Office, Organisation, Participation, Project, ThematicArea

TRANSLATED = {  # file -> the fields that every record of it translates
    "organisations": ("name", "short_name"),
    "areas": ("name",),
    "projects": ("title", "summary"),
    "themes": ("name",),
    "collections": ("title", "description"),
    "films": ("title", "synopsis", "audience"),
}


def _texts(value, path):
    """Every object in value with a language key, with where it is."""
    if isinstance(value, dict):
        if set(value) & set(LANGUAGES):
            yield path, value
            return
        for key, item in value.items():
            yield from _texts(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, f"{path}[{index}]")


@pytest.mark.parametrize("name", FILES)
def test_every_translated_text_is_filled_in_all_three_languages(name):
    texts = list(_texts(read(name), name))
    assert texts
    for path, text in texts:
        assert set(text) == set(LANGUAGES), path
        for code in LANGUAGES:
            assert isinstance(text[code], str) and text[code].strip(), f"{path}.{code}"


def test_every_record_has_its_translated_fields():
    mission = read("mission")
    assert isinstance(mission["name"], dict) and isinstance(mission["country"], dict)
    assert all(isinstance(office["town"], dict) for office in mission["offices"])
    for name, fields in TRANSLATED.items():
        for record in read(name):
            missing = [field for field in fields if not isinstance(record.get(field), dict)]
            assert not missing, f"{name}: {record.get('key') or record['slug']} lacks {missing}"


def test_every_reference_names_a_record():
    keys = {name: {r["key"] for r in read(name)} for name in TRANSLATED if name != "films"}
    assert read("mission")["organisation"] in keys["organisations"]
    for project in read("projects"):
        assert project["area"] in keys["areas"]
        assert {p["organisation"] for p in project["organisations"]} <= keys["organisations"]
    for record in read("collections") + read("films"):
        assert set(record["themes"]) <= keys["themes"]
        assert record["project"] in keys["projects"] | {None}
        assert record.get("collection") in keys["collections"] | {None}


MODELS = (Organisation, Mission, Office, ThematicArea, Project, Participation, Theme, Collection, Film)


def _rows():
    """Every row of the demo's tables; participations without their primary keys, as a load
    replaces them."""
    rows = {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}
    for row in rows["Participation"]:
        del row["id"]
    for model in (Collection, Film):
        rows[f"{model.__name__} themes"] = sorted(model.themes.through.objects.values_list())
    return rows


def test_loading_twice_changes_nothing(db):
    counts = load()
    rows = _rows()
    assert load() == counts == {"organisations": 22, "projects": 15, "films": 6, "collections": 1}
    again = _rows()
    for film in rows["Film"] + again["Film"]:
        del film["updated_at"]
    assert again == rows
    assert {name: len(r) for name, r in rows.items()} == {
        "Organisation": 22,
        "Mission": 1,
        "Office": 5,
        "ThematicArea": 7,
        "Project": 15,
        "Participation": 50,
        "Theme": 6,
        "Collection": 1,
        "Film": 6,
        "Collection themes": 1,
        "Film themes": 11,
    }
