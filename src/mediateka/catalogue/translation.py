from modeltranslation.translator import TranslationOptions, register

from .models import Collection, Film, Theme


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("name",)


@register(Collection)
class CollectionTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Film)
class FilmTranslation(TranslationOptions):
    fields = ("title", "synopsis", "audience", "usage_rights")
