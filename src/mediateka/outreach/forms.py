"""The officer's entry forms (also used, row by row, by the import) and the dashboard's filters."""

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mediateka.catalogue.models import Film
from mediateka.mission.models import Organisation, Project

from . import places
from .audience import COUNTS, FIRST_YEAR
from .models import Broadcast, Screening

NOT_NEGATIVE = {"min_value": _("A count cannot be negative.")}


def film_choices(kept):
    """The public films, and the films a saved record already names (`kept`, their ids).

    A film archived or unpublished after it was shown stays a valid choice for the records of that
    screening, so that they can still be edited, with the film kept; it cannot be added to another.
    """
    return Film.objects.filter(Q(pk__in=Film.objects.public()) | Q(pk__in=kept)).order_by("title")


class ScreeningForm(forms.ModelForm):
    """A screening for one organisation: the officer's own, or any for an administrator.

    Validation lives on the model (Screening.clean), so the admin and the import apply the same
    rules; a likely duplicate is a warning, shown until the officer confirms with `save_anyway`.
    """

    organisation = forms.ModelChoiceField(Organisation.objects.all(), label=_("Organiser"))
    district = forms.ChoiceField(label=_("District or city"))
    films = forms.ModelMultipleChoiceField(
        Film.objects.none(), to_field_name="slug", label=_("Films shown"), widget=forms.CheckboxSelectMultiple
    )
    save_anyway = forms.BooleanField(
        label=_("This is a different screening: save it anyway"), required=False, widget=forms.CheckboxInput
    )

    class Meta:
        model = Screening
        fields = [
            "organisation",
            "date",
            "district",
            "locality",
            "venue_kind",
            "films",
            "facilitator",
            *COUNTS,
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisation is not None:
            # An officer records for their organisation only; the field is not theirs to change.
            del self.fields["organisation"]
            self.instance.organisation = organisation
        self.fields["district"].choices = [("", "—"), *places.grouped_district_choices()]
        kept = self.instance.films.values_list("pk", flat=True) if self.instance.pk else []
        self.fields["films"].queryset = film_choices(kept)
        self.fields["date"].widget = forms.DateInput(
            attrs={"type": "date", "min": f"{FIRST_YEAR}-01-01", "max": timezone.localdate().isoformat()},
            format="%Y-%m-%d",
        )
        for name in COUNTS:
            field = self.fields[name]
            field.error_messages.update(NOT_NEGATIVE)
            field.widget.attrs.update({"min": 0, "inputmode": "numeric"})
        self.duplicates = Screening.objects.none()

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        self.duplicates = Screening.objects.duplicates_of(
            district=cleaned["district"],
            locality=cleaned.get("locality", ""),
            date=cleaned["date"],
            films=cleaned["films"],
            exclude_pk=self.instance.pk,
        )
        return cleaned

    @property
    def needs_confirmation(self) -> bool:
        """A likely duplicate that the officer has not yet confirmed as a different screening."""
        return self.duplicates.exists() and not self.cleaned_data.get("save_anyway")


class BroadcastForm(forms.ModelForm):
    organisation = forms.ModelChoiceField(Organisation.objects.all(), label=_("Recorded by"))

    class Meta:
        model = Broadcast
        fields = ["organisation", "channel", "aired_at", "film", "estimated_audience", "estimate_source"]

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisation is not None:
            del self.fields["organisation"]
            self.instance.organisation = organisation
        self.fields["film"].queryset = film_choices([self.instance.film_id] if self.instance.pk else [])
        self.fields["aired_at"].widget = forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        )
        self.fields["estimated_audience"].error_messages.update(NOT_NEGATIVE)
        self.fields["estimated_audience"].widget.attrs.update({"min": 0, "inputmode": "numeric"})


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("A KoboToolbox or ODK export of the Mediateka form, or a sheet with the same columns."),
    )
    dry_run = forms.BooleanField(
        label=_("Check only: show what would be imported, save nothing"), required=False, initial=True
    )

    MAX_BYTES = 10 * 1024 * 1024

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file may be at most 10 MB."))
        suffix = upload.name.rsplit(".", 1)[-1].lower()
        if suffix not in ("csv", "xlsx"):
            raise forms.ValidationError(_("Choose a .csv or .xlsx file."))
        return upload


class ReachFilterForm(forms.Form):
    """The dashboard's filters; bad values are ignored rather than shown as errors."""

    BY = [
        ("film", _("Film")),
        ("theme", _("Theme")),
        ("project", _("Project")),
        ("region", _("Region")),
        ("month", _("Month")),
    ]

    by = forms.ChoiceField(label=_("Report by"), choices=BY, required=False)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    region = forms.ChoiceField(label=_("Region"), required=False)
    project = forms.ModelChoiceField(
        Project.objects.all(),
        to_field_name="key",
        label=_("Project"),
        required=False,
        empty_label=_("All projects"),
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("All years")), *((y, y) for y in years)]
        self.fields["region"].choices = [
            ("", _("All regions")),
            *((k, p.name) for k, p in places.REGIONS.items()),
        ]

    def values(self) -> dict:
        data = {}
        if self.is_bound:
            self.is_valid()  # fills cleaned_data with the valid fields; an invalid one means "all"
            data = self.cleaned_data
        by = data.get("by") or "film"
        project = data.get("project")
        if project and by in ("theme", "project"):
            by = "film"  # within one project, theme and project breakdowns do not apply
        return {"by": by, "year": data.get("year"), "region": data.get("region") or "", "project": project}
