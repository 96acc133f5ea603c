"""The staff groups and what each may do, kept in step with the models after every migrate."""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q
from django.utils.translation import gettext_noop

ADMINISTRATOR = gettext_noop("Administrator")
EDITOR = gettext_noop("Editor")
OUTREACH_OFFICER = gettext_noop("Outreach officer")

# App labels, not imports: a later app joins the editors' remit by being listed here.
EDITED_APPS = ["mission", "catalogue", "video"]
READ_ONLY_FOR_OUTREACH = ["catalogue", "video"]
# Outreach records: officers keep them (for their own organisation: the app scopes the rows);
# editors only read them, every organisation's (the "view_every_organisation" permission).
RECORDED_BY_OUTREACH = {"outreach": ["screening", "screeningfilm", "broadcast"]}
READ_BY_EDITORS = ["outreach"]


def ensure_groups(**_kwargs) -> None:
    every = Permission.objects.all()
    Group.objects.get_or_create(name=ADMINISTRATOR)[0].permissions.set(every)
    Group.objects.get_or_create(name=EDITOR)[0].permissions.set(
        every.filter(content_type__app_label__in=EDITED_APPS)
        | every.filter(content_type__app_label__in=READ_BY_EDITORS, codename__startswith="view_")
    )
    recorded = Q(pk__in=[])
    for app_label, models in RECORDED_BY_OUTREACH.items():
        recorded |= Q(content_type__app_label=app_label, content_type__model__in=models)
    Group.objects.get_or_create(name=OUTREACH_OFFICER)[0].permissions.set(
        every.filter(content_type__app_label__in=READ_ONLY_FOR_OUTREACH, codename__startswith="view_")
        | every.filter(recorded)
    )
