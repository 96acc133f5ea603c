"""The outreach officer's pages: their records, the entry forms, the import and the XLSForm.

Another organisation's record is answered with 404, not 403, so that its existence is not told.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from .. import rollup
from ..access import can_read, can_record, recording_organisation
from ..forms import BroadcastForm, ImportForm, ScreeningForm
from ..models import Broadcast, Screening, organisation_of

PER_PAGE = 25


def _reader(request):
    if not can_read(request.user):
        raise PermissionDenied
    return request.user


@login_required
def records(request):
    user = _reader(request)
    screenings = Screening.objects.visible_to(user).select_related("organisation").prefetch_related("films")
    page = Paginator(screenings, PER_PAGE).get_page(request.GET.get("page"))
    editable = set(
        Screening.objects.editable_by(user).filter(pk__in=[s.pk for s in page]).values_list("pk", flat=True)
    )
    return render(
        request,
        "outreach/records.html",
        {
            "organisation": organisation_of(user),
            "page": page,
            "editable": editable,
            "broadcasts": Broadcast.objects.visible_to(user).select_related("film", "organisation")[:20],
            "can_record": can_record(user),
            "can_record_broadcast": can_record(user, "broadcast"),
        },
    )


def _save_screening(form, user) -> Screening:
    with transaction.atomic(), rollup.deferred():
        screening = form.save(commit=False)
        if not screening.pk:
            screening.created_by = user
        screening.save()
        form.save_m2m()
    return screening


@login_required
def screening_form(request, pk=None):
    user = request.user
    screening = None
    if pk is not None:
        screening = Screening.objects.editable_by(user).filter(pk=pk).first()
        if screening is None:
            readable = get_object_or_404(
                Screening.objects.visible_to(user).select_related("organisation"), pk=pk
            )
            return render(request, "outreach/screening_detail.html", {"screening": readable})
        organisation = screening.organisation if not user.is_superuser else None
    else:
        organisation = recording_organisation(user)
    form = ScreeningForm(request.POST or None, instance=screening, organisation=organisation)
    if request.method == "POST" and form.is_valid() and not form.needs_confirmation:
        saved = _save_screening(form, user)
        messages.success(
            request,
            _("The screening of %(date)s in %(place)s is saved.")
            % {"date": saved.date, "place": saved.place},
        )
        return redirect("outreach:records")
    return render(
        request,
        "outreach/screening_form.html",
        {
            "form": form,
            "screening": screening,
            "warn_duplicate": form.is_bound and form.is_valid() and form.needs_confirmation,
        },
    )


@login_required
def broadcast_form(request, pk=None):
    user = request.user
    broadcast = None
    if pk is not None:
        broadcast = Broadcast.objects.editable_by(user).filter(pk=pk).first()
        if broadcast is None:
            readable = get_object_or_404(Broadcast.objects.visible_to(user).select_related("film"), pk=pk)
            return render(request, "outreach/broadcast_detail.html", {"broadcast": readable})
        organisation = broadcast.organisation if not user.is_superuser else None
    else:
        if not can_record(user, "broadcast"):
            raise PermissionDenied
        organisation = organisation_of(user)
    form = BroadcastForm(request.POST or None, instance=broadcast, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        if not saved.pk:
            saved.created_by = user
        saved.save()
        messages.success(request, _("The broadcast on %(channel)s is saved.") % {"channel": saved.channel})
        return redirect("outreach:records")
    return render(request, "outreach/broadcast_form.html", {"form": form, "broadcast": broadcast})


@login_required
def import_screenings(request):
    user = request.user
    organisation = recording_organisation(user)
    if organisation is None:
        # An administrator without an organisation has nobody to import for.
        messages.error(
            request, _("Your account is not linked to an organisation, so there is nothing to import for.")
        )
        return redirect("outreach:records")
    form = ImportForm(request.POST or None, request.FILES or None)
    result = error = None
    if request.method == "POST" and form.is_valid():
        # openpyxl weighs ~12 MB: loaded by the worker that imports, not by every web worker.
        from ..importer import ImportFileError
        from ..importer import run as run_import

        upload = form.cleaned_data["file"]
        try:
            result = run_import(
                upload.name, upload.read(), organisation, user, dry_run=form.cleaned_data["dry_run"]
            )
        except ImportFileError as problem:
            error = str(problem)
    return render(
        request,
        "outreach/import.html",
        {"form": form, "result": result, "error": error, "organisation": organisation},
    )


@login_required
def xlsform_download(request):
    _reader(request)
    from .. import xlsform  # openpyxl, only when the form is asked for
    from ..exports import XLSX_TYPE

    response = HttpResponse(xlsform.build(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{xlsform.FORM_ID}.xlsx"'
    return response
