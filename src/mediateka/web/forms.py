from django import forms
from django.utils.translation import gettext_lazy as _

from mediateka.catalogue.models import Collection, Film, Theme


class FilmFilterForm(forms.Form):
    """The film list's filters; unknown or bad values are ignored rather than erroring."""

    theme = forms.ModelChoiceField(
        Theme.objects.all(),
        to_field_name="key",
        required=False,
        label=_("Theme"),
        empty_label=_("All themes"),
    )
    kind = forms.ChoiceField(required=False, label=_("Kind"))
    collection = forms.ModelChoiceField(
        Collection.objects.public(),
        to_field_name="slug",
        required=False,
        label=_("Collection"),
        empty_label=_("All collections"),
    )
    year = forms.TypedChoiceField(required=False, label=_("Year"), coerce=int, empty_value=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *Film.Kind.choices]
        years = (
            Film.objects.listed()
            .exclude(year=None)
            .values_list("year", flat=True)
            .distinct()
            .order_by("-year")
        )
        self.fields["year"].choices = [("", _("All years")), *((y, y) for y in years)]

    def filter(self, films):
        if not self.is_valid():
            return films
        data = self.cleaned_data
        if data.get("theme"):
            films = films.filter(themes=data["theme"])
        if data.get("kind"):
            films = films.filter(kind=data["kind"])
        if data.get("collection"):
            films = films.filter(collection=data["collection"])
        if data.get("year"):
            films = films.filter(year=data["year"])
        return films
