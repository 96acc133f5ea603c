from django.shortcuts import render

from mediateka.catalogue.models import Film, Theme
from mediateka.mission.models import Mission
from mediateka.mission.today import today
from mediateka.ops.page_cache import public_page
from mediateka.video.playback import watchable_first


@public_page()
def home(request):
    mission = Mission.objects.current()
    return render(
        request,
        "web/home.html",
        {
            "mission": mission,
            "today": today(mission),
            "latest": watchable_first(Film.objects.listed().for_listing())[:6],
            "themes": Theme.objects.filter(films__status="published").distinct(),
        },
    )
