from django.db.models import Prefetch
from django.shortcuts import render

from mediateka.mission.models import Mission, Project, ThematicArea
from mediateka.mission.today import today
from mediateka.ops.page_cache import public_page


@public_page()
def mission(request):
    current = Mission.objects.current()
    active = Project.objects.active().prefetch_related("participations__organisation")
    areas = (
        ThematicArea.objects.filter(projects__in=active)
        .distinct()
        .prefetch_related(Prefetch("projects", queryset=active, to_attr="active_projects"))
    )
    return render(
        request,
        "web/mission.html",
        {
            "mission": current,
            "today": today(current),
            "areas": areas,
            "offices": current.offices.all() if current else [],
        },
    )
