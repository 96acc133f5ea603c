"""The mission: its projects, the organisations it works with, and the Today figures."""

from django.db.models import Prefetch
from django.utils import translation
from ninja import Router

from mediateka.mission.models import Mission, Organisation, Participation, Project
from mediateka.mission.today import today

from .. import catalogue_schemas as cat
from .. import schemas
from ..cache import cached
from ..language import requested_language, text
from ..present import Presenter
from ..respond import json_response

router = Router(tags=["mission"])


@router.get(
    "/projects",
    response={200: cat.ProjectList, 304: None, 422: schemas.Error},
    summary="The mission's projects, with their IATI status and participating organisations",
    operation_id="projects_list",
)
@cached
def project_list(request, lang: str | None = None):
    language = requested_language(request, lang)
    projects = Project.objects.select_related("area").prefetch_related(
        Prefetch("participations", queryset=Participation.objects.select_related("organisation"))
    )
    with translation.override(language):
        data = {"language": language, "results": projects}
        context = Presenter(request, language).context()
        return json_response(request, cat.ProjectList, data, language=language, context=context)


@router.get(
    "/organisations",
    response={200: cat.OrganisationList, 304: None, 422: schemas.Error},
    summary="Partners, donors, government bodies and broadcasters",
    operation_id="organisations_list",
)
@cached
def organisation_list(request, lang: str | None = None):
    language = requested_language(request, lang)
    with translation.override(language):
        data = {"language": language, "results": Organisation.objects.all()}
        context = Presenter(request, language).context()
        return json_response(request, cat.OrganisationList, data, language=language, context=context)


@router.get(
    "/today",
    response={200: schemas.TodayResult, 304: None, 422: schemas.Error},
    summary='The mission\'s "Today" figures, counted from the records',
    operation_id="today",
)
@cached
def today_figures(request, lang: str | None = None):
    language = requested_language(request, lang)
    mission = Mission.objects.current()
    figures = today(mission)
    empty = {"text": "", "language": language, "fallback": False}
    data = {
        "language": language,
        "result": {
            "mission": text(mission, "name", language) if mission else empty,
            "country": text(mission, "country", language) if mission else empty,
            "member_since": figures.member_since,
            "active_projects": figures.active_projects,
            "active_areas": figures.active_areas,
            "staff_total": figures.staff_total,
            "staff_floor": figures.staff_floor,
            "staff_is_exact": figures.staff_is_exact,
        },
    }
    return json_response(request, schemas.TodayResult, data, language=language)
