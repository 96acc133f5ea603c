"""What the library holds: films, the series they belong to, who made them, and its version."""

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mediateka.mission.models import Organisation, Project

# The years a film's year or publication may fall in; the API's schema documents the same bounds.
FIRST_YEAR, LAST_YEAR = 1800, 2200
YEAR_OUT_OF_RANGE = _("The year must be between %(first)s and %(last)s.")


def year_error(year: int | None, first: int, last: int) -> ValidationError | None:
    if year is None or first <= year <= last:
        return None
    return ValidationError(YEAR_OUT_OF_RANGE, code="year_range", params={"first": first, "last": last})


class Theme(models.Model):
    key = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    UNLISTED = "unlisted", _("Unlisted")
    ARCHIVED = "archived", _("Archived")


class DevisedTitle(models.Model):
    """A title supplied by the cataloguer is shown in square brackets, as libraries do."""

    title = models.CharField(_("title"), max_length=300)
    title_is_devised = models.BooleanField(
        _("devised title"), default=False, help_text=_("The title was supplied by the cataloguer.")
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return f"[{self.title}]" if self.title_is_devised else self.title


class CollectionQuerySet(models.QuerySet):
    def public(self):
        return self.filter(status=Status.PUBLISHED)


class Collection(DevisedTitle):
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="collections",
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="collections")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)

    objects = CollectionQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("collection")
        verbose_name_plural = _("collections")

    def get_absolute_url(self) -> str:
        return reverse("web:collection", args=[self.slug])


class FilmQuerySet(models.QuerySet):
    def public(self):
        """Reachable by its address: published or unlisted."""
        return self.filter(status__in=[Status.PUBLISHED, Status.UNLISTED])

    def listed(self):
        """Shown in lists, search, feeds and sitemaps."""
        return self.filter(status=Status.PUBLISHED)

    def visible_to(self, user):
        if user.is_active and user.is_staff and user.has_perm("catalogue.view_film"):
            return self.all()
        return self.public()

    def for_listing(self):
        return self.select_related("collection", "project").prefetch_related("themes")


class Film(DevisedTitle):
    class Kind(models.TextChoices):
        FEATURE = "feature", _("Feature film")
        DOCUMENTARY = "documentary", _("Documentary")
        PSA = "psa", _("Public service announcement")
        ANIMATION = "animation", _("Animation")
        TV_PROGRAMME = "tv", _("TV programme")

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, blank=True)
    synopsis = models.TextField(_("synopsis"), blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="films")
    collection = models.ForeignKey(
        Collection,
        verbose_name=_("collection"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="films",
    )
    collection_position = models.PositiveSmallIntegerField(_("position in collection"), null=True, blank=True)
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="films",
    )
    audience = models.CharField(_("audience"), max_length=300, blank=True)
    usage_rights = models.CharField(_("usage rights"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FilmQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "pk"]
        verbose_name = _("film")
        verbose_name_plural = _("films")
        indexes = [models.Index(fields=["status", "-published_at"])]

    def save(self, *args, **kwargs):
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("web:film", args=[self.slug])

    def clean(self):
        super().clean()
        # A moment at the calendar's ends (year 1, year 9999) cannot even be turned into UTC to be
        # stored: refused here, with the field named, not left to fail in the database adapter.
        errors = {
            field: error
            for field, year in (
                ("year", self.year),
                ("published_at", self.published_at.year if self.published_at else None),
            )
            if (error := year_error(year, FIRST_YEAR, LAST_YEAR))
        }
        if errors:
            raise ValidationError(errors)

    @property
    def is_public(self) -> bool:
        return self.status in (Status.PUBLISHED, Status.UNLISTED)

    @property
    def is_listed(self) -> bool:
        """What FilmQuerySet.listed() keeps, for films already fetched."""
        return self.status == Status.PUBLISHED


class Credit(models.Model):
    class Role(models.TextChoices):
        PRODUCER = "producer", _("Producer")
        COMMISSIONER = "commissioner", _("Commissioner")
        IMPLEMENTING = "implementing", _("Implementing partner")
        DONOR = "donor", _("Donor")
        BROADCASTER = "broadcaster", _("Broadcaster")

    film = models.ForeignKey(Film, on_delete=models.CASCADE, null=True, blank=True, related_name="credits")
    collection = models.ForeignKey(
        Collection, on_delete=models.CASCADE, null=True, blank=True, related_name="credits"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="credits"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("credit")
        verbose_name_plural = _("credits")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(film__isnull=False, collection__isnull=True)
                | models.Q(film__isnull=True, collection__isnull=False),
                name="credit_belongs_to_film_or_collection",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class CatalogueStateQuerySet(models.QuerySet):
    def bump(self) -> None:
        if not self.filter(pk=1).update(version=uuid.uuid4(), changed_at=timezone.now()):
            self.get_or_create(pk=1)

    def changed_at(self):
        return self.filter(pk=1).values_list("changed_at", flat=True).first()


class CatalogueState(models.Model):
    """Changed after every committed write to what the catalogue shows (changes.films_changed), so
    that cached responses (api.cache) know they are stale with one primary-key read. A random value
    rather than a counter: two processes bumping at once must not reach the same number."""

    version = models.UUIDField(default=uuid.uuid4)
    # When anything the API shows last changed: the Last-Modified of every list.
    changed_at = models.DateTimeField(default=timezone.now)

    objects = CatalogueStateQuerySet.as_manager()

    class Meta:
        verbose_name = _("catalogue state")
        verbose_name_plural = _("catalogue states")

    def __str__(self) -> str:
        return f"catalogue version {self.version}"
