"""Loads the demo catalogue (the JSON files in data/) into the database; running it again changes
nothing. Every translatable text there is an object with the keys "en", "ru" and "tg"."""

import json
from datetime import date
from importlib import resources

from django.db import transaction

from mediateka.catalogue.models import Collection, Film, Status, Theme
from mediateka.mission.models import Mission, Office, Organisation, Participation, Project, ThematicArea
from mediateka.mission.translated import LANGUAGES

FILES = ("mission", "organisations", "areas", "projects", "themes", "collections", "films")


def read(name: str):
    """The records of data/<name>.json, one of FILES."""
    return json.loads(resources.files(__package__).joinpath("data", f"{name}.json").read_text("utf-8"))


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _texts(field: str, texts: dict[str, str]) -> dict[str, str]:
    return {f"{field}_{lang}": texts.get(lang, "") for lang in LANGUAGES}


@transaction.atomic
def load() -> dict[str, int]:
    data = {name: read(name) for name in FILES}
    organisations = {
        o["key"]: Organisation.objects.update_or_create(
            key=o["key"],
            defaults={
                **_texts("name", o["name"]),
                **_texts("short_name", o["short_name"]),
                "kind": o["kind"],
                "website": o["website"],
                "definite_article": o.get("article", False),
            },
        )[0]
        for o in data["organisations"]
    }
    mission = Mission.objects.current() or Mission()
    for field in ("name", "country"):
        for name, value in _texts(field, data["mission"][field]).items():
            setattr(mission, name, value)
    mission.member_since = _date(data["mission"]["member_since"])
    mission.organisation = organisations[data["mission"]["organisation"]]
    mission.save()
    for office in data["mission"]["offices"]:
        Office.objects.update_or_create(
            mission=mission,
            town_en=office["town"]["en"],
            defaults={
                **_texts("town", office["town"]),
                "is_main": office["is_main"],
                "head_count": office["head_count"],
            },
        )
    areas = {
        a["key"]: ThematicArea.objects.update_or_create(
            key=a["key"], defaults={**_texts("name", a["name"]), "position": position}
        )[0]
        for position, a in enumerate(data["areas"])
    }
    projects = {}
    for p in data["projects"]:
        project = Project.objects.update_or_create(
            key=p["key"],
            defaults={
                **_texts("title", p["title"]),
                **_texts("summary", p["summary"]),
                "area": areas[p["area"]],
                "status": p["status"],
                "start_date": _date(p["start"]),
                "end_date": _date(p["end"]),
            },
        )[0]
        project.participations.all().delete()
        Participation.objects.bulk_create(
            Participation(
                project=project,
                organisation=organisations[o["organisation"]],
                role=o["role"],
                position=position,
            )
            for position, o in enumerate(p["organisations"])
        )
        projects[p["key"]] = project
    themes = {
        t["key"]: Theme.objects.update_or_create(key=t["key"], defaults=_texts("name", t["name"]))[0]
        for t in data["themes"]
    }
    collections = {}
    for c in data["collections"]:
        collection = Collection.objects.update_or_create(
            slug=c["slug"],
            defaults={
                **_texts("title", c["title"]),
                **_texts("description", c["description"]),
                "title_is_devised": c["title_is_devised"],
                "project": projects.get(c["project"]),
                "status": Status.PUBLISHED,
            },
        )[0]
        collection.themes.set([themes[k] for k in c["themes"]])
        collections[c["key"]] = collection
    for f in data["films"]:
        film, _created = Film.objects.update_or_create(
            slug=f["slug"],
            defaults={
                **_texts("title", f["title"]),
                **_texts("synopsis", f["synopsis"]),
                **_texts("audience", f["audience"]),
                "title_is_devised": f["title_is_devised"],
                "kind": f["kind"],
                "year": f["year"],
                "project": projects.get(f["project"]),
                "collection": collections.get(f["collection"]),
                "status": Status.PUBLISHED,
            },
        )
        film.themes.set([themes[k] for k in f["themes"]])
    return {
        "organisations": len(organisations),
        "projects": len(projects),
        "films": len(data["films"]),
        "collections": len(collections),
    }
