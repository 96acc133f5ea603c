"""Outreach pages, all under the language prefixes: public reach pages and the officer's pages."""

from django.urls import path, re_path

from .views import officer, public

app_name = "outreach"

urlpatterns = [
    path("reach/", public.dashboard, name="dashboard"),
    re_path(r"^reach/export\.(?P<fmt>csv|xlsx)$", public.export, name="export"),
    path("reach/projects/<slug:key>/", public.project_report, name="project"),
    path("reach/projects/<slug:key>/report.pdf", public.project_report_pdf, name="project-pdf"),
    path("reach/kits/<slug:slug>.zip", public.kit, name="kit"),
    path("outreach/", officer.records, name="records"),
    path("outreach/screenings/new/", officer.screening_form, name="screening-new"),
    path("outreach/screenings/<int:pk>/", officer.screening_form, name="screening"),
    path("outreach/broadcasts/new/", officer.broadcast_form, name="broadcast-new"),
    path("outreach/broadcasts/<int:pk>/", officer.broadcast_form, name="broadcast"),
    path("outreach/import/", officer.import_screenings, name="import"),
    path("outreach/mediateka-screening.xlsx", officer.xlsform_download, name="xlsform"),
]
