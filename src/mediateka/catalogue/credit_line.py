"""The sentence that credits a project's partners and donors, written from the records.

Whole sentences are translated (not glued fragments), so each language can order its clauses.
"""

from django.utils.translation import gettext as _

from mediateka.mission.models import Participation, Project


def join_names(names: list[str]) -> str:
    if len(names) <= 1:
        return "".join(names)
    return _("%(items)s and %(last)s") % {"items": ", ".join(names[:-1]), "last": names[-1]}


def project_credit_line(project: Project | None) -> str:
    if project is None:
        return ""
    implementing = [o.name_in_sentence for o in project.participants(Participation.Role.IMPLEMENTING)]
    donors = [o.name_in_sentence for o in project.participants(Participation.Role.DONOR)]
    values = {
        "project": project.title,
        "lead": implementing[0] if implementing else "",
        "partners": join_names(implementing[1:]),
        "donors": join_names(donors),
    }
    if not implementing:
        return _("Created under the %(project)s.") % values
    if len(implementing) > 1 and donors:
        text = _(
            "Created under the %(project)s, which is implemented by %(lead)s in cooperation with "
            "%(partners)s with the financial support of %(donors)s."
        )
    elif len(implementing) > 1:
        text = _(
            "Created under the %(project)s, which is implemented by %(lead)s in cooperation with "
            "%(partners)s."
        )
    elif donors:
        text = _(
            "Created under the %(project)s, which is implemented by %(lead)s with the financial support "
            "of %(donors)s."
        )
    else:
        text = _("Created under the %(project)s, which is implemented by %(lead)s.")
    return text % values
