"""The screening report as an XLSForm, for offline collection with KoboToolbox or ODK Collect.

The form is built from the live catalogue (films) and the place reference, in the three
languages, and its field names are the import's column names: an XLSX export of the submissions
("XML values and headers") imports as it is.
"""

import io

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from mediateka.catalogue.models import Film
from mediateka.mission.translated import LANGUAGES

from . import places
from .audience import AGE_BANDS, COUNTS, MIGRATION, SEXES
from .exports import no_formulas
from .models import Screening

FORM_ID = "mediateka_screening"


def _in_each_language(text) -> list[str]:
    """A lazy or callable text rendered in each of the form's languages."""
    out = []
    for code in LANGUAGES:
        with translation.override(code):
            out.append(str(text() if callable(text) else text))
    return out


def _sum_constraint(names: list[str]) -> str:
    others = " + ".join(f"${{{name}}}" for name in names[:-1])
    return f". >= 0 and {others} + . <= ${{attendees}}"


def _survey_rows() -> list[tuple]:
    """(type, name, label, hint, required, constraint, constraint message, choice_filter)."""
    labels = {f.name: f.verbose_name for f in Screening._meta.get_fields() if hasattr(f, "verbose_name")}
    not_negative = lambda: _("A count cannot be negative.")  # noqa: E731 - rendered once per language
    rows = [
        ("start", "start", None, None, None, None, None, None),
        ("end", "end", None, None, None, None, None, None),
        (
            "date",
            "date",
            lambda: _("Date of the screening"),
            None,
            "yes",
            ". <= today()",
            lambda: _("The date is in the future: record a screening once it has taken place."),
            None,
        ),
        ("select_one region", "region", lambda: _("Region"), None, "yes", None, None, None),
        (
            "select_one district",
            "district",
            lambda: _("District or city"),
            None,
            "yes",
            None,
            None,
            "region=${region}",
        ),
        ("text", "locality", lambda: _("Town or jamoat"), None, None, None, None, None),
        ("select_one venue", "venue_kind", lambda: _("Venue"), None, "yes", None, None, None),
        ("select_multiple film", "films", lambda: _("Films shown"), None, "yes", None, None, None),
        ("text", "facilitator", lambda: _("Facilitator"), None, None, None, None, None),
        ("begin_group", "audience", lambda: _("Audience"), None, None, None, None, None),
    ]
    last_of_group = {SEXES[-1]: SEXES, AGE_BANDS[-1]: AGE_BANDS, MIGRATION[-1]: MIGRATION}
    hints = {
        "attendees": lambda: _("Everyone who watched, counted once."),
        "men": lambda: _("Women and men together may not be more than the people attending."),
        "age_45_plus": lambda: _("The age bands together may not be more than the people attending."),
        "family_members": lambda: _("Count each person once, in the first group that applies."),
    }
    for name in COUNTS:
        if name == "materials":
            rows.append(("end_group", "", None, None, None, None, None, None))
        group = last_of_group.get(name)
        constraint = _sum_constraint(group) if group else ". >= 0"
        message = not_negative
        if group:
            message = lambda: _("Too many: the sub-groups add up to more than the people attending.")  # noqa: E731
        rows.append(
            (
                "integer",
                name,
                (lambda label=labels[name]: str(label).capitalize()),
                hints.get(name),
                "yes" if name == "attendees" else None,
                constraint,
                message,
                None,
            )
        )
    rows.append(("text", "notes", lambda: _("Notes"), None, None, None, None, None))
    return rows


def build() -> bytes:
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    languages = [f"{translation.get_language_info(code)['name']} ({code})" for code in LANGUAGES]
    survey.append(
        [
            "type",
            "name",
            *(f"label::{lang}" for lang in languages),
            *(f"hint::{lang}" for lang in languages),
            "required",
            "constraint",
            *(f"constraint_message::{lang}" for lang in languages),
            "choice_filter",
        ]
    )
    blank = [""] * len(languages)
    for kind, name, label, hint, required, constraint, message, choice_filter in _survey_rows():
        survey.append(
            [
                kind,
                name,
                *(_in_each_language(label) if label else blank),
                *(_in_each_language(hint) if hint else blank),
                required or "",
                constraint or "",
                *(_in_each_language(message) if message else blank),
                choice_filter or "",
            ]
        )

    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", *(f"label::{lang}" for lang in languages), "region"])
    for key, region in places.REGIONS.items():
        choices.append(["region", key, *(region.names[code] for code in LANGUAGES), ""])
    for key, district in places.DISTRICTS.items():
        choices.append(["district", key, *(district.names[code] for code in LANGUAGES), district.region])
    for value, label in Screening.Venue.choices:
        choices.append(["venue", value, *_in_each_language(label), ""])
    for film in Film.objects.public().order_by("title"):
        choices.append(["film", film.slug, *_in_each_language(lambda film=film: film.display_title), ""])

    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    settings.append(
        [_("Mediateka: film screening report"), FORM_ID, timezone.now().strftime("%Y%m%d%H%M"), languages[0]]
    )
    out = io.BytesIO()
    # A film titled "=HYPERLINK(...)" is a label in the form, not a formula in the officer's Excel.
    no_formulas(book).save(out)
    return out.getvalue()
