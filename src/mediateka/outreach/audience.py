"""Who a screening reached: the audience columns, their sub-groups, and the limits a count keeps.

Shared by the models, the entry forms, the imports and the reports, so a number is checked the same
way whichever door it comes in by.
"""

from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mediateka.catalogue.models import year_error

# The audience columns, in the order forms, tables and exports show them.
AUDIENCE = [
    ("attendees", _("People attending")),
    ("women", _("Women and girls")),
    ("men", _("Men and boys")),
    ("age_under_18", _("Under 18")),
    ("age_18_29", _("18–29")),
    ("age_30_44", _("30–44")),
    ("age_45_plus", _("45 and over")),
    ("migrants", _("Migrants")),
    ("returned_migrants", _("Returned migrants")),
    ("family_members", _("Migrants' family members")),
    ("materials", _("Materials handed out")),
]
COUNTS = [name for name, _label in AUDIENCE]
SEXES = ["women", "men"]
AGE_BANDS = ["age_under_18", "age_18_29", "age_30_44", "age_45_plus"]
MIGRATION = ["migrants", "returned_migrants", "family_members"]
# Sub-groups that together may not exceed the people attending: each person is counted once in each.
SUBGROUPS = {"sex": SEXES, "age": AGE_BANDS, "migration": MIGRATION}
SUBGROUP_TOO_LARGE = {
    "sex": _("Women and men together (%(sum)s) are more than the people attending (%(total)s)."),
    "age": _("The age bands together (%(sum)s) are more than the people attending (%(total)s)."),
    "migration": _(
        "Migrants, returned migrants and family members together (%(sum)s) are more than "
        "the people attending (%(total)s)."
    ),
}

# No film of the organisation is older: an earlier date is a slip ("0213" for "2013"), and one in
# year 1 would stretch every monthly report over two thousand years of empty months.
FIRST_YEAR = 1950
# More people than this at one screening, or watching one broadcast, is a slip too; the bounds also
# keep every sum of the reach far inside a 64-bit integer (SQLite stops with "integer overflow").
MOST_AT_A_SCREENING = 1_000_000
MOST_WATCHING = 1_000_000_000
TOO_MANY = _("This number is larger than %(limit)s, which cannot be right: check it.")


def too_many(value: int | None, limit: int) -> ValidationError | None:
    if value is None or value <= limit:
        return None
    return ValidationError(TOO_MANY, code="too_many", params={"limit": limit})


def recorded_year_error(year: int | None) -> ValidationError | None:
    return year_error(year, FIRST_YEAR, timezone.localdate().year)


def audience_errors(counts: dict) -> dict[str, ValidationError]:
    """Each sub-group that adds up to more than the people attending, keyed by its first field."""
    total = counts.get("attendees") or 0
    errors = {}
    for group, names in SUBGROUPS.items():
        added = sum(counts.get(name) or 0 for name in names)
        if added > total:
            errors[names[0]] = ValidationError(
                SUBGROUP_TOO_LARGE[group], code="subgroup", params={"sum": added, "total": total}
            )
    return errors


def count_sums(prefix: str = "") -> dict:
    """Sum of every audience column, and the number of screenings, as aggregate expressions."""
    return {name: Sum(f"{prefix}{name}") for name in COUNTS}
