"""Debt bondage joins the starter set of forced labour: a person searching for slavery or forced
labour means the films about workers held by a debt too. Added to the set only where the editors
have kept it, and only the members it lacks."""

from django.db import migrations

NOTE = "forced labour"
# The genitive too: Russian's stemmer reads "кабала" as a past-tense verb (каба-ла), so the
# nominative alone would not meet the films' "в долговой кабале".
ADDED = ["debt bondage", "долговая кабала", "долговой кабалы", "долговое рабство", "ғуломии қарзӣ"]


def add(apps, schema_editor):
    SynonymSet = apps.get_model("search", "SynonymSet")
    for row in SynonymSet.objects.filter(note=NOTE):
        members = [line.strip() for line in row.members.splitlines() if line.strip()]
        row.members = "\n".join(members + [m for m in ADDED if m not in members])
        row.save(update_fields=["members"])


def remove(apps, schema_editor):
    SynonymSet = apps.get_model("search", "SynonymSet")
    for row in SynonymSet.objects.filter(note=NOTE):
        row.members = "\n".join(line for line in row.members.splitlines() if line.strip() not in ADDED)
        row.save(update_fields=["members"])


class Migration(migrations.Migration):
    dependencies = [("search", "0006_starter_synonyms")]

    operations = [migrations.RunPython(add, remove)]
