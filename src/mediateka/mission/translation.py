from modeltranslation.translator import TranslationOptions, register

from .models import Mission, Office, Organisation, Project, ThematicArea


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name", "short_name")


@register(Mission)
class MissionTranslation(TranslationOptions):
    fields = ("name", "country")


@register(ThematicArea)
class ThematicAreaTranslation(TranslationOptions):
    fields = ("name",)


@register(Project)
class ProjectTranslation(TranslationOptions):
    fields = ("title", "summary")


@register(Office)
class OfficeTranslation(TranslationOptions):
    fields = ("town",)
