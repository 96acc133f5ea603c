"""Public reach pages: the dashboard, the donor report per project, exports, the screening kit."""

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from mediateka.catalogue.models import Film
from mediateka.mission.models import Participation, Project
from mediateka.mission.translated import shown
from mediateka.ops import response_cache
from mediateka.ops.page_cache import public_page

from .. import charts, places, reports
from ..forms import ReachFilterForm
from ..kit import KitIncomplete, kit_for
from ..models import ReachState

# For pages that show reach figures (this dashboard, a film's page): screenings change them.
WITH_REACH = (*response_cache.CATALOGUE, ReachState)


def _selection(request) -> tuple[ReachFilterForm, dict, reports.Selection]:
    form = ReachFilterForm(request.GET or None, years=reports.years())
    values = form.values()
    return form, values, reports.Selection(values["year"], values["region"], values["project"])


def _covers(selection: reports.Selection) -> str:
    parts = [str(selection.year) if selection.year else _("All years")]
    parts.append(places.region_name(selection.region) if selection.region else _("All regions"))
    if selection.project:
        parts.append(selection.project.title)
    return " · ".join(parts)


def _chart(report: reports.Report, chart_id: str):
    if report.key == "month":

        def tick(index):
            # The year under the first column of each year, and under the first column shown.
            month = report.rows[index].key
            return str(month.year) if index == 0 or month.month == 1 else None

        return charts.columns(report, chart_id, tick)
    return charts.bars(report, chart_id)


def _profiles(figures: dict) -> list[tuple]:
    return [
        (report, _chart(report, f"chart-{kind}"))
        for kind in reports.PROFILES
        for report in [reports.profile(kind, figures)]
    ]


# Kept until the catalogue (film titles, projects, what is public) or the reach figures change.
@public_page(states=WITH_REACH)
def dashboard(request):
    form, values, selection = _selection(request)
    figures = reports.totals(selection)
    report = reports.reach_by(values["by"], selection)
    query = request.GET.copy()
    query.pop("by", None)
    return render(
        request,
        "outreach/dashboard.html",
        {
            "form": form,
            "by": values["by"],
            "dimensions": [
                (key, label)
                for key, label in reports.DIMENSIONS.items()
                if not (selection.project and key in ("theme", "project"))
            ],
            "figures": figures,
            "broadcasts": reports.broadcast_totals(selection),
            "report": report,
            "overlaps": values["by"] in reports.OVERLAPPING,
            "chart": _chart(report, "chart-main"),
            "profiles": _profiles(figures),
            "query": query.urlencode(),
            "covers": _covers(selection),
        },
    )


def _participants(project: Project) -> dict[str, list[str]]:
    rows = (
        Participation.objects.filter(project=project)
        .select_related("organisation")
        .order_by("position", "pk")
    )
    grouped = {}
    for role, label in Participation.Role.choices:
        grouped[str(label)] = [p.organisation.display_name for p in rows if p.role == role]
    return grouped


def _project_reports(project: Project, request):
    year = request.GET.get("year")
    selection = reports.Selection(year=int(year) if year and year.isdigit() else None, project=project)
    figures = reports.totals(selection)
    tables = [
        reports.films_of_project(project, selection),
        reports.reach_by("region", selection),
        reports.reach_by("month", selection),
    ]
    return selection, figures, tables


def project_report(request, key):
    project = get_object_or_404(Project.objects.select_related("area"), key=key)
    selection, figures, tables = _project_reports(project, request)
    return render(
        request,
        "outreach/project_report.html",
        {
            "project": project,
            "summary": shown(project, "summary"),
            "participants": _participants(project),
            "figures": figures,
            "broadcasts": reports.broadcast_totals(selection),
            "tables": [(report, _chart(report, f"chart-{report.key}")) for report in tables],
            "profiles": _profiles(figures),
            "year": selection.year,
        },
    )


def project_report_pdf(request, key):
    # fpdf2 and openpyxl weigh ~30 MB: loaded by the worker that exports, not by every worker.
    from .. import pdf

    project = get_object_or_404(Project, key=key)
    selection, figures, tables = _project_reports(project, request)
    profiles = [reports.profile(kind, figures) for kind in reports.PROFILES]
    content = pdf.donor_report(
        project, figures, reports.broadcast_totals(selection), tables + profiles, _participants(project)
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="reach-{project.key}-{request.LANGUAGE_CODE}.pdf"'
    return response


def export(request, fmt):
    # fpdf2 and openpyxl weigh ~30 MB: loaded by the worker that exports, not by every worker.
    from .. import exports

    _form, values, selection = _selection(request)
    by = request.GET.get("by") or values["by"]
    if by not in (*reports.DIMENSIONS, *reports.PROFILES):
        raise Http404
    if selection.project and by in ("theme", "project"):
        raise Http404
    report = reports.named(by, selection)
    covers = _covers(selection)
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(report, covers), content_type=exports.CSV_TYPE)
    else:
        response = HttpResponse(exports.to_xlsx(report, covers), content_type=exports.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="reach-by-{by}.{fmt}"'
    return response


def kit(request, slug):
    # fpdf2 and openpyxl weigh ~30 MB: loaded by the worker that exports, not by every worker.
    from .. import pdf

    film = get_object_or_404(Film.objects.visible_to(request.user).prefetch_related("themes"), slug=slug)
    found = kit_for(film, request.LANGUAGE_CODE)
    if found is None:
        raise Http404
    guide = pdf.screening_guide(
        film,
        shown(film, "synopsis").text,
        [theme.name for theme in film.themes.all()],
        request.build_absolute_uri(reverse("outreach:screening-new")),
    )
    try:
        packed = found.pack(guide)
    except KitIncomplete as incomplete:
        # 409: the request is fine, the library's files are not; said before any byte of a ZIP.
        return render(
            request,
            "outreach/kit_incomplete.html",
            {"film": film, "missing": incomplete.missing},
            status=409,
        )
    response = StreamingHttpResponse(packed, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{found.filename}"'
    return response
