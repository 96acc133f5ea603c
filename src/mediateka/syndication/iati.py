"""The mission's projects as IATI activities (IATI Activity Standard 2.03).

Codes come straight from the records: Project.status *is* the ActivityStatus code, and a
participation's role maps onto the OrganisationRole codelist. Every project is reported under the
sector 15190 "Facilitation of orderly, safe, regular and responsible migration" (vocabulary 1, OECD
DAC 5-digit), which is the mission's whole remit.

The standard requires at least one participating organisation and one activity date per activity;
a project that has neither recorded is left out and listed in a comment, rather than given invented
values.
"""

from dataclasses import dataclass, field
from datetime import date
from xml.etree import ElementTree as etree

from django.conf import settings
from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone

from mediateka.mission.models import Mission, Organisation, Participation, Project
from mediateka.mission.translated import LANGUAGES

VERSION = "2.03"
SECTOR = "15190"
SECTOR_VOCABULARY = "1"  # OECD DAC CRS Purpose Codes (5 digit)
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

ROLE_CODES = {
    Participation.Role.DONOR: "1",  # Funding
    Participation.Role.GOVERNMENT: "2",  # Accountable
    Participation.Role.IMPLEMENTING: "4",  # Implementing
}
# OrganisationType codelist; kinds with no single code get no type attribute.
ORGANISATION_TYPES = {
    Organisation.Kind.INTERGOVERNMENTAL: "40",  # Multilateral
    Organisation.Kind.UN_AGENCY: "40",
    Organisation.Kind.FUND: "40",
    Organisation.Kind.GOVERNMENT: "10",  # Government
    Organisation.Kind.DONOR_GOVERNMENT: "10",
}
# ActivityDateType: 1 planned start, 2 actual start, 3 planned end, 4 actual end.
STARTED = {Project.Status.IMPLEMENTATION, Project.Status.FINALISATION, Project.Status.CLOSED}
ENDED = {Project.Status.CLOSED, Project.Status.CANCELLED}


@dataclass
class Export:
    xml: bytes
    left_out: list[str] = field(default_factory=list)


def _narratives(parent, obj, name: str) -> int:
    """One <narrative> per language the text exists in; returns how many were written."""
    written = 0
    for language in LANGUAGES:
        value = (getattr(obj, f"{name}_{language}", "") or "").strip()
        if value:
            narrative = etree.SubElement(parent, "narrative")
            narrative.set(XML_LANG, language)
            narrative.text = value
            written += 1
    return written


def _dates(project: Project) -> list[tuple[str, date]]:
    dates = []
    if project.start_date:
        dates.append(("2" if project.status in STARTED else "1", project.start_date))
    if project.end_date:
        dates.append(("4" if project.status in ENDED else "3", project.end_date))
    return dates


def _organisation(parent, tag: str, organisation: Organisation, **attributes):
    element = etree.SubElement(parent, tag)
    for name, value in attributes.items():
        element.set(name.replace("_", "-"), value)
    kind = ORGANISATION_TYPES.get(organisation.kind)
    if kind and "type" not in attributes:
        element.set("type", kind)
    _narratives(element, organisation, "name")
    return element


def activities() -> Export:
    mission = Mission.objects.current()
    reporting_ref = settings.MEDIATEKA_IATI_REPORTING_ORG
    projects = Project.objects.select_related("area").prefetch_related(
        Prefetch("participations", queryset=Participation.objects.select_related("organisation"))
    )
    now = timezone.now().replace(microsecond=0)
    root = etree.Element("iati-activities", version=VERSION)
    root.set("generated-datetime", now.isoformat())
    left_out = []
    for project in projects:
        participations = sorted(project.participations.all(), key=lambda p: (p.position, p.pk))
        dates = _dates(project)
        if not participations or not dates:
            missing = [
                what
                for what, ok in (("participating organisation", participations), ("date", dates))
                if not ok
            ]
            left_out.append(f"{project.key}: no {' and no '.join(missing)} recorded")
            continue
        activity = etree.SubElement(root, "iati-activity")
        activity.set(XML_LANG, settings.MODELTRANSLATION_DEFAULT_LANGUAGE)
        etree.SubElement(activity, "iati-identifier").text = f"{reporting_ref}-{project.key}"
        reporting = etree.SubElement(activity, "reporting-org", ref=reporting_ref)
        organisation = mission.organisation if mission else None
        reporting.set("type", ORGANISATION_TYPES.get(organisation.kind, "40") if organisation else "40")
        if organisation:
            _narratives(reporting, organisation, "name")
        title = etree.SubElement(activity, "title")
        _narratives(title, project, "title")
        description = etree.SubElement(activity, "description", type="1")  # 1: general
        if not _narratives(description, project, "summary"):
            # A description is required; the title is the most that the records say.
            _narratives(description, project, "title")
        for participation in participations:
            _organisation(
                activity, "participating-org", participation.organisation, role=ROLE_CODES[participation.role]
            )
        etree.SubElement(activity, "activity-status", code=str(project.status))
        for kind, when in dates:
            etree.SubElement(activity, "activity-date", type=kind).set("iso-date", when.isoformat())
        country = settings.MEDIATEKA_IATI_RECIPIENT_COUNTRY
        if country:
            etree.SubElement(activity, "recipient-country", code=country, percentage="100")
        etree.SubElement(activity, "sector", code=SECTOR, vocabulary=SECTOR_VOCABULARY, percentage="100")
    for note in left_out:
        root.append(etree.Comment(f" left out, as IATI requires it: {note} "))
    etree.indent(root)
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return Export(xml=xml, left_out=left_out)


def activities_view(request):
    export = activities()
    response = HttpResponse(export.xml, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="iati-activities.xml"'
    return response
