"""The mission's projects as IATI 2.03 activity XML, valid against the IATI schema (subset, see xsd/)."""

from .xml import validate

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _activities(client):
    response = client.get("/iati/activities.xml")
    assert response.status_code == 200
    return validate(response.content, "iati-activities-subset.xsd")


def test_iati_export_validates_and_carries_codes_narratives_and_dates(client, mission_records):
    root = _activities(client)
    assert root.get("version") == "2.03"
    activities = {a.findtext("iati-identifier"): a for a in root.findall("iati-activity")}
    running = activities["XM-DAC-47066-hiv-2014"]
    assert running.find("reporting-org").get("ref") == "XM-DAC-47066"
    titles = {n.get(XML_LANG): n.text for n in running.find("title").findall("narrative")}
    assert set(titles) == {"en", "ru", "tg"}
    roles = [(o.get("role"), o.findtext("narrative")) for o in running.findall("participating-org")]
    assert roles == [("4", "International Organization for Migration"), ("2", "Ministry of Health")]
    assert running.find("activity-status").get("code") == "2"
    assert [(d.get("type"), d.get("iso-date")) for d in running.findall("activity-date")] == [
        ("2", "2014-02-01")
    ]
    sector = running.find("sector")
    assert (sector.get("code"), sector.get("vocabulary")) == ("15190", "1")
    closed = activities["XM-DAC-47066-disaster-2012"]
    assert closed.find("activity-status").get("code") == "4"
    assert [d.get("type") for d in closed.findall("activity-date")] == ["2", "4"]
    assert [o.get("role") for o in closed.findall("participating-org")] == ["4", "1"]


def test_a_project_without_dates_is_left_out_and_said_so(client, mission_records):
    root = _activities(client)
    identifiers = [a.findtext("iati-identifier") for a in root.findall("iati-activity")]
    assert "XM-DAC-47066-training-centre" not in identifiers
    assert "training-centre: no date recorded" in client.get("/iati/activities.xml").content.decode()


def test_export_iati_command_writes_the_same_document(mission_records, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "iati.xml"
    call_command("export_iati", output=str(out))
    validate(out.read_bytes(), "iati-activities-subset.xsd")


def test_the_demo_catalogue_exports_valid_iati_for_every_project_it_can(client, demo):
    from mediateka.mission.models import Project

    root = _activities(client)
    left_out = client.get("/iati/activities.xml").content.decode().count("left out, as IATI requires it")
    assert len(root.findall("iati-activity")) + left_out == Project.objects.count()
    assert len(root.findall("iati-activity")) > left_out
