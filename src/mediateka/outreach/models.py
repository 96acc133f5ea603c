"""Where the films were shown and to whom: screenings, broadcasts, and the reach computed from them.

A screening's audience is counted once, as totals by sex, by age band and by migration status,
each a sub-group of the people attending. Reach is never typed in: the public figures are sums of
these records, kept per month and region in `MonthlyReach` (rollup.py) so that a dashboard over a
million screenings stays fast.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mediateka.catalogue.models import Film, Theme
from mediateka.mission.models import Organisation, Project

from . import places
from .audience import (
    COUNTS,
    MOST_AT_A_SCREENING,
    MOST_WATCHING,
    audience_errors,
    count_sums,
    recorded_year_error,
    too_many,
)


class Membership(models.Model):
    """The organisation an outreach officer records for: they see and edit its records only."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="outreach_membership",
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="members"
    )

    class Meta:
        verbose_name = _("outreach membership")
        verbose_name_plural = _("outreach memberships")
        # On Membership, not on the records, so that the officers' "all permissions on screenings"
        # never includes it: editors read every organisation's records, officers their own.
        permissions = [("view_every_organisation", _("Can read every organisation's outreach records"))]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation}"


def organisation_of(user) -> Organisation | None:
    if not user.is_authenticated:
        return None
    membership = getattr(user, "outreach_membership", None)
    return membership.organisation if membership else None


class RecordQuerySet(models.QuerySet):
    """What a user may read and change: shared by screenings and broadcasts."""

    def visible_to(self, user):
        if not user.is_active or not user.is_authenticated:
            return self.none()
        if user.is_superuser or user.has_perm("outreach.view_every_organisation"):
            return self.all()
        organisation = organisation_of(user)
        if organisation is None or not user.has_perm(f"outreach.view_{self.model._meta.model_name}"):
            return self.none()
        return self.filter(organisation=organisation)

    def editable_by(self, user):
        if not user.is_active or not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.all()
        organisation = organisation_of(user)
        if organisation is None or not user.has_perm(f"outreach.change_{self.model._meta.model_name}"):
            return self.none()
        return self.filter(organisation=organisation)

    def real(self):
        return self.filter(is_sample=False)


class ScreeningQuerySet(RecordQuerySet):
    """Reach straight from the screenings: each report is one grouped query in the database."""

    def totals(self) -> dict:
        return self.aggregate(screenings=Count("pk"), **count_sums())

    def by_region(self):
        return self.values("region").annotate(screenings=Count("pk"), **count_sums()).order_by("region")

    def by_month(self):
        return (
            self.annotate(month=TruncMonth("date"))
            .values("month")
            .annotate(screenings=Count("pk"), **count_sums())
            .order_by("month")
        )

    def duplicates_of(self, *, district: str, locality: str, date, films, exclude_pk=None):
        """Likely the same screening recorded twice: same place, same day, a film in common."""
        found = self.filter(
            district=district, locality__iexact=locality.strip(), date=date, films__in=list(films)
        )
        if exclude_pk:
            found = found.exclude(pk=exclude_pk)
        return found.distinct()


class Record(models.Model):
    """What every outreach record keeps about itself: who entered it, when, and whether it is sample data."""

    is_sample = models.BooleanField(_("sample data"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Screening(Record):
    class Venue(models.TextChoices):
        COMMUNITY = "community", _("Community meeting")
        SCHOOL = "school", _("School or university")
        WORKPLACE = "workplace", _("Workplace")
        RESOURCE_CENTRE = "resource_centre", _("Migrant resource centre")
        HEALTH = "health", _("Health facility")
        FESTIVAL = "festival", _("Festival")
        OTHER = "other", _("Other")

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organiser"), on_delete=models.PROTECT, related_name="screenings"
    )
    date = models.DateField(_("date"))
    region = models.CharField(_("region"), max_length=12, choices=places.region_choices(), editable=False)
    district = models.CharField(_("district or city"), max_length=40, choices=places.district_choices())
    locality = models.CharField(_("town or jamoat"), max_length=120, blank=True)
    venue_kind = models.CharField(_("venue"), max_length=20, choices=Venue.choices)
    facilitator = models.CharField(_("facilitator"), max_length=200, blank=True)
    films = models.ManyToManyField(
        Film, through="ScreeningFilm", verbose_name=_("films shown"), related_name="screenings"
    )
    attendees = models.PositiveIntegerField(_("people attending"), default=0)
    women = models.PositiveIntegerField(_("women and girls"), default=0)
    men = models.PositiveIntegerField(_("men and boys"), default=0)
    age_under_18 = models.PositiveIntegerField(_("under 18"), default=0)
    age_18_29 = models.PositiveIntegerField(_("18–29"), default=0)
    age_30_44 = models.PositiveIntegerField(_("30–44"), default=0)
    age_45_plus = models.PositiveIntegerField(_("45 and over"), default=0)
    migrants = models.PositiveIntegerField(_("migrants"), default=0)
    returned_migrants = models.PositiveIntegerField(_("returned migrants"), default=0)
    family_members = models.PositiveIntegerField(_("migrants' family members"), default=0)
    materials = models.PositiveIntegerField(_("materials handed out"), default=0)
    notes = models.TextField(_("notes"), blank=True)
    # An ODK/KoboToolbox submission's UUID: importing the same export twice adds nothing.
    external_id = models.CharField(_("submission ID"), max_length=64, blank=True, editable=False)

    objects = ScreeningQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        indexes = [
            models.Index(fields=["organisation", "-date"]),
            models.Index(fields=["district", "date"]),  # the duplicate check
            models.Index(fields=["region", "date"]),  # the rollup's refresh of one month and region
        ]
        constraints = [
            # The forms say the same in words; these keep imports and scripts honest too.
            models.CheckConstraint(
                condition=Q(attendees__gte=F("women") + F("men")), name="screening_sexes_within_attendees"
            ),
            models.CheckConstraint(
                condition=Q(
                    attendees__gte=F("age_under_18") + F("age_18_29") + F("age_30_44") + F("age_45_plus")
                ),
                name="screening_ages_within_attendees",
            ),
            models.CheckConstraint(
                condition=Q(attendees__gte=F("migrants") + F("returned_migrants") + F("family_members")),
                name="screening_migration_within_attendees",
            ),
            models.UniqueConstraint(
                fields=["organisation", "external_id"],
                condition=~Q(external_id=""),
                name="screening_submission_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} · {self.place}"

    def save(self, *args, **kwargs):
        # The region follows from the district, so the two can never disagree.
        place = places.DISTRICTS.get(self.district)
        if place:
            self.region = place.region
        super().save(*args, **kwargs)

    def clean(self):
        counts = {name: getattr(self, name) for name in COUNTS}
        errors = {
            name: error for name, value in counts.items() if (error := too_many(value, MOST_AT_A_SCREENING))
        }
        for name, error in audience_errors(counts).items():
            errors.setdefault(name, error)
        if self.date and self.date > timezone.localdate():
            errors["date"] = ValidationError(
                _("The date is in the future: record a screening once it has taken place."), code="future"
            )
        elif self.date and (error := recorded_year_error(self.date.year)):
            errors["date"] = error
        if errors:
            raise ValidationError(errors)

    @property
    def place(self) -> str:
        parts = [self.locality, places.district_name(self.district), places.region_name(self.region)]
        return ", ".join(p for p in parts if p)


class ScreeningFilm(models.Model):
    screening = models.ForeignKey(Screening, on_delete=models.CASCADE, related_name="showings")
    film = models.ForeignKey(Film, on_delete=models.PROTECT, related_name="showings")

    class Meta:
        verbose_name = _("film shown")
        verbose_name_plural = _("films shown")
        constraints = [
            models.UniqueConstraint(fields=["screening", "film"], name="film_shown_once_per_screening")
        ]

    def __str__(self) -> str:
        return str(self.film)


class BroadcastQuerySet(RecordQuerySet):
    def totals(self) -> dict:
        return self.aggregate(broadcasts=Count("pk"), audience=Sum("estimated_audience"))


class Broadcast(Record):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="broadcasts"
    )
    channel = models.CharField(_("channel"), max_length=120)
    aired_at = models.DateTimeField(_("date and time"))
    film = models.ForeignKey(
        Film, verbose_name=_("film"), on_delete=models.PROTECT, related_name="broadcasts"
    )
    estimated_audience = models.PositiveIntegerField(_("estimated audience"), default=0)
    estimate_source = models.CharField(
        _("source of the estimate"),
        max_length=200,
        blank=True,
        help_text=_("For example: the channel's audience survey of 2013."),
    )

    objects = BroadcastQuerySet.as_manager()

    class Meta:
        ordering = ["-aired_at", "-pk"]
        verbose_name = _("broadcast")
        verbose_name_plural = _("broadcasts")

    def __str__(self) -> str:
        return f"{self.channel} · {self.aired_at:%Y-%m-%d %H:%M}"

    def clean(self):
        errors = {}
        if self.aired_at and self.aired_at > timezone.now():
            errors["aired_at"] = ValidationError(
                _("The date is in the future: record a broadcast once it has been aired."), code="future"
            )
        elif self.aired_at and (error := recorded_year_error(self.aired_at.year)):
            # Before it is turned into UTC to be stored, which year 1 would not survive.
            errors["aired_at"] = error
        if error := too_many(self.estimated_audience, MOST_WATCHING):
            errors["estimated_audience"] = error
        if errors:
            raise ValidationError(errors)


class MonthlyReachQuerySet(models.QuerySet):
    """Reports over the rollup: one grouped query each, a few thousand rows at most.

    A cell is the reach of one month and region, either of every screening (film, theme and
    project empty) or of the screenings that showed a given film, a film on a given theme, or a
    film of a given project; theme and project cells count a screening once however many of its
    films share that theme or project.
    """

    def overall(self):
        return self.filter(film=None, theme=None, project=None)

    def of_films(self):
        return self.filter(film__isnull=False)

    def of_themes(self):
        return self.filter(theme__isnull=False)

    def of_projects(self):
        return self.filter(project__isnull=False)

    def in_period(self, start=None, end=None):
        found = self
        if start:
            found = found.filter(month__gte=start.replace(day=1))
        if end:
            found = found.filter(month__lte=end)
        return found

    def totals(self) -> dict:
        # The sample count comes first: once "screenings" names an aggregate, it no longer names the column.
        return self.aggregate(
            sample_screenings=Sum("screenings", filter=Q(is_sample=True)),
            screenings=Sum("screenings"),
            **count_sums(),
        )

    def grouped(self, *fields: str):
        return self.values(*fields).annotate(screenings=Sum("screenings"), **count_sums()).order_by(*fields)


class MonthlyReach(models.Model):
    month = models.DateField(_("month"))
    region = models.CharField(_("region"), max_length=12, choices=places.region_choices())
    is_sample = models.BooleanField(default=False)
    film = models.ForeignKey(Film, on_delete=models.CASCADE, null=True, related_name="+")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, null=True, related_name="+")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, null=True, related_name="+")
    screenings = models.PositiveIntegerField(default=0)
    attendees = models.PositiveBigIntegerField(default=0)
    women = models.PositiveBigIntegerField(default=0)
    men = models.PositiveBigIntegerField(default=0)
    age_under_18 = models.PositiveBigIntegerField(default=0)
    age_18_29 = models.PositiveBigIntegerField(default=0)
    age_30_44 = models.PositiveBigIntegerField(default=0)
    age_45_plus = models.PositiveBigIntegerField(default=0)
    migrants = models.PositiveBigIntegerField(default=0)
    returned_migrants = models.PositiveBigIntegerField(default=0)
    family_members = models.PositiveBigIntegerField(default=0)
    materials = models.PositiveBigIntegerField(default=0)

    objects = MonthlyReachQuerySet.as_manager()

    class Meta:
        verbose_name = _("monthly reach")
        verbose_name_plural = _("monthly reach")
        indexes = [
            models.Index(fields=["month", "region"]),
            models.Index(fields=["film", "month"]),
            models.Index(fields=["project", "month"]),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} · {self.region}"


class ReachState(models.Model):
    """Changed by every write to what the public reach pages show (the rollup, a broadcast), so that
    cached pages (ops.page_cache) know they are stale with one primary-key read; random, like
    catalogue.CatalogueState, so that two writers never reach the same value."""

    version = models.UUIDField(default=uuid.uuid4)

    def __str__(self) -> str:
        return f"reach version {self.version}"

    @classmethod
    def bump(cls) -> None:
        if not cls.objects.filter(pk=1).update(version=uuid.uuid4()):
            cls.objects.get_or_create(pk=1)


from .saves import OfflineSave  # noqa: E402, F401 - its own module: this one is near its size limit
