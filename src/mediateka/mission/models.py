"""The mission's profile: who it is, what it works on, where its people are.

Nothing here stores a figure that can be counted: the "Today" panel is computed (today.py).
"""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    class Kind(models.TextChoices):
        INTERGOVERNMENTAL = "intergovernmental", _("Intergovernmental organisation")
        UN_AGENCY = "un_agency", _("UN agency")
        GOVERNMENT = "government", _("Government body")
        DONOR_GOVERNMENT = "donor_government", _("Donor government")
        NGO = "ngo", _("Non-governmental organisation")
        FUND = "fund", _("Fund or bank")
        BROADCASTER = "broadcaster", _("Broadcaster")
        OTHER = "other", _("Other")

    key = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    website = models.URLField(_("website"), blank=True)
    definite_article = models.BooleanField(
        _("takes 'the' in English"),
        default=False,
        help_text=_('Written "the World Bank" in an English sentence, not "World Bank".'),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def name_in_sentence(self) -> str:
        # Russian and Tajik have no articles; English says "the World Bank" but "UN Women".
        if self.definite_article and get_language() == "en":
            return f"the {self.name}"
        return self.name


class MissionQuerySet(models.QuerySet):
    def current(self) -> "Mission | None":
        """The mission this deployment serves: one deployment, one country mission."""
        return self.select_related("organisation").order_by("pk").first()


class Mission(models.Model):
    name = models.CharField(_("name"), max_length=200)
    country = models.CharField(_("country"), max_length=100)
    member_since = models.DateField(_("member state since"))
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, null=True, blank=True
    )

    objects = MissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("mission")
        verbose_name_plural = _("missions")

    def __str__(self) -> str:
        return self.name


class ThematicArea(models.Model):
    key = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("thematic service area")
        verbose_name_plural = _("thematic service areas")

    def __str__(self) -> str:
        return self.name


class ProjectQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Project.Status.IMPLEMENTATION)


class Project(models.Model):
    class Status(models.IntegerChoices):
        # The IATI ActivityStatus codelist, so that the IATI export needs no mapping.
        PIPELINE = 1, _("Pipeline/identification")
        IMPLEMENTATION = 2, _("Implementation")
        FINALISATION = 3, _("Finalisation")
        CLOSED = 4, _("Closed")
        CANCELLED = 5, _("Cancelled")
        SUSPENDED = 6, _("Suspended")

    key = models.SlugField(_("key"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=300)
    summary = models.TextField(_("summary"), blank=True)
    area = models.ForeignKey(
        ThematicArea, verbose_name=_("thematic area"), on_delete=models.PROTECT, related_name="projects"
    )
    status = models.PositiveSmallIntegerField(_("status"), choices=Status.choices, default=Status.PIPELINE)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    organisations = models.ManyToManyField(
        Organisation, through="Participation", verbose_name=_("organisations"), related_name="projects"
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["area__position", "title"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="project_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def participants(self, role: str) -> list[Organisation]:
        # Iterating the prefetched rows keeps a page of projects to one query for participations.
        rows = sorted(self.participations.all(), key=lambda p: (p.position, p.pk))
        return [p.organisation for p in rows if p.role == role]


class Participation(models.Model):
    class Role(models.TextChoices):
        IMPLEMENTING = "implementing", _("Implementing partner")
        DONOR = "donor", _("Donor")
        GOVERNMENT = "government", _("Government counterpart")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="participations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    # The first implementing partner is the one that "implements"; the rest work "in cooperation".
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("participating organisation")
        verbose_name_plural = _("participating organisations")
        constraints = [
            models.UniqueConstraint(fields=["project", "organisation", "role"], name="participation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


class Office(models.Model):
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="offices")
    town = models.CharField(_("town"), max_length=100)
    is_main = models.BooleanField(_("main office"), default=False)
    head_count = models.PositiveIntegerField(_("head count"), default=0)

    class Meta:
        ordering = ["-is_main", "town"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    def __str__(self) -> str:
        return self.town
